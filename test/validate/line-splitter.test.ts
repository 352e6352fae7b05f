import { describe, expect, it } from 'vitest';
import { LineSplitter, LineTooLongError } from '../../src/validate/line-splitter.js';

function split(chunks: Buffer[]): [string, number][] {
  const out: [string, number][] = [];
  const splitter = new LineSplitter((line, n) => out.push([line, n]));
  for (const c of chunks) splitter.push(c);
  splitter.end();
  return out;
}

describe('LineSplitter', () => {
  it('numbers lines across chunk boundaries, with or without a final newline', () => {
    expect(split([Buffer.from('{"a":1}\n{"b"'), Buffer.from(':2}\n{"c":3}')])).toEqual([['{"a":1}', 1], ['{"b":2}', 2], ['{"c":3}', 3]]);
    expect(split([Buffer.from('x\ny\n')])).toEqual([['x', 1], ['y', 2]]);
  });

  it('keeps a multi-byte character split between chunks whole, and drops the CR of CRLF', () => {
    const bytes = Buffer.from('{"name":"Zoë"}\r\n{"name":"日本"}\r\n');
    const cut = bytes.indexOf(0xc3) + 1; // inside the two-byte ë
    expect(split([bytes.subarray(0, cut), bytes.subarray(cut, cut + 12), bytes.subarray(cut + 12)])).toEqual([
      ['{"name":"Zoë"}', 1],
      ['{"name":"日本"}', 2],
    ]);
  });

  it('reports blank lines as lines (the caller decides) and counts bytes', () => {
    const out: string[] = [];
    const splitter = new LineSplitter((line) => out.push(line));
    splitter.push(Buffer.from('a\n\n  \nb'));
    splitter.end();
    expect(out).toEqual(['a', '', '  ', 'b']);
    expect(splitter.byteCount).toBe(7);
    expect(splitter.lineCount).toBe(4);
  });

  it('refuses a line longer than its limit, naming it, after delivering the lines before it', () => {
    const out: string[] = [];
    const splitter = new LineSplitter((line) => out.push(line), 10);
    splitter.push(Buffer.from('short\n0123456789'));
    expect(() => splitter.push(Buffer.from('A'))).toThrow(LineTooLongError);
    expect(out).toEqual(['short']);
    const again = new LineSplitter(() => undefined, 10);
    expect(() => again.push(Buffer.from('a\nb\n0123456789AB'))).toThrow(/^line 3 is longer than 10 bytes without a newline/);
  });
});
