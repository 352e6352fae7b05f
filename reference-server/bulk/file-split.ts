/** Splits NDJSON lines into files of at most `_maximumFileSize` bytes (a lone oversized line gets its own file). */

/** Bytes a line takes in an NDJSON file, its newline included. */
export function measureLine(line: string): number {
  return Buffer.byteLength(line, 'utf8') + 1;
}

/** Groups `lines` greedily: each group's bytes <= max, unless it is a single line. No max: one group. */
export function splitLines(lines: readonly string[], max: number | undefined): string[][] {
  if (max === undefined) return lines.length === 0 ? [] : [[...lines]];
  const groups: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const line of lines) {
    const bytes = measureLine(line);
    if (current.length > 0 && size + bytes > max) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(line);
    size += bytes;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
