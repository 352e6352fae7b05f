import path from 'node:path';

/** A problem found in an input file (scenario, catalogue, profile), with its position. */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
  /** The offending source line, for a caret display. */
  sourceLine?: string;
}

/** Thrown when input files are invalid; carries every problem found in one pass. */
export class InputError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(`${diagnostics.length} problem(s) in input files`);
    this.name = 'InputError';
  }
}

/** `file:line:column: message`, then the source line and a caret under the column. */
export function formatDiagnostic(d: Diagnostic): string {
  const head = `${d.file}:${d.line}:${d.column}: ${d.message}`;
  if (d.sourceLine === undefined) return head;
  const gutter = `${d.line} | `;
  const caret = ' '.repeat(gutter.length + Math.max(0, d.column - 1)) + '^';
  return `${head}\n  ${gutter}${d.sourceLine}\n  ${caret}`;
}

export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

/** How a file is named in messages: relative to the working directory when inside it, else absolute. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? path.resolve(file) : rel;
}
