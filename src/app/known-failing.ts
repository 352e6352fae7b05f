import { readFileSync } from 'node:fs';
import { displayPath, type Diagnostic } from '../scenario/diagnostics.js';

/**
 * The --known-failing file: one glob over scenario ids per line; `#` starts a comment.
 * A listed failure does not fail the run; a listed scenario that passes does, so the list stays honest.
 */
export function loadKnownFailing(file: string): { patterns: string[]; diagnostics: Diagnostic[] } {
  const shown = displayPath(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { patterns: [], diagnostics: [{ file: shown, line: 1, column: 1, message: `cannot read known-failing list: ${(e as Error).message}` }] };
  }
  const patterns: string[] = [];
  const diagnostics: Diagnostic[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    if (/\s/.test(line)) {
      diagnostics.push({ file: shown, line: i + 1, column: 1, message: `one pattern per line, without spaces: '${line}'`, sourceLine: raw });
      return;
    }
    patterns.push(line);
  });
  return { patterns, diagnostics };
}
