import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic } from './diagnostics.js';

export type DataPath = (string | number)[];

/** A parsed YAML file that can point back at the source position of any value or key. */
export interface YamlSource {
  file: string;
  value: unknown;
  /** Syntax problems (invalid YAML, duplicate keys). When non-empty, `value` is not to be trusted. */
  syntaxErrors: Diagnostic[];
  /** Diagnostic at the value at `path` (or at the key `key` of the map at `path`). */
  at(path: DataPath, message: string, key?: string): Diagnostic;
}

export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const lines = text.split(/\r?\n/);
  const diagAt = (offset: number, message: string): Diagnostic => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col, message, sourceLine: lines[pos.line - 1] };
  };
  const syntaxErrors = doc.errors.map((e) => diagAt(e.pos[0], e.message.split(/ at line \d+/)[0] ?? e.message));
  const value: unknown = syntaxErrors.length ? undefined : doc.toJS({ maxAliasCount: 100 });
  return {
    file,
    value,
    syntaxErrors,
    at(path, message, key) {
      return diagAt(findOffset(doc, path, key), message);
    },
  };
}

/** Offset of the deepest existing node along `path` (of the key itself when `key` is given). */
function findOffset(doc: Document, path: DataPath, key?: string): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const segment of [...path, ...(key === undefined ? [] : [key])]) {
    const isKeyStep = key !== undefined && segment === key && node !== undefined;
    const next = childOf(node, segment);
    if (!next) break;
    offset = (isKeyStep ? rangeStart(next.key) : rangeStart(next.value)) ?? offset;
    node = next.value;
  }
  return offset;
}

function childOf(node: unknown, segment: string | number): { key: unknown; value: unknown } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
    return pair ? { key: pair.key, value: pair.value ?? pair.key } : undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { key: item, value: item };
  }
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Partial<Node> | null | undefined)?.range;
  return range ? range[0] : undefined;
}
