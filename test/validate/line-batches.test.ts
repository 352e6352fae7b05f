import { afterAll, describe, expect, it } from 'vitest';
import type { FileCheckKind } from '../../src/model/scenario.js';
import { sharedFhirValidator } from '../../src/validate/fhir-r4-schema.js';
import { BatchBuffers, BatchCutter, checkBatch, countLines, mergeBatch, nameOfBatchLine, type BatchSpec, type CutBatch } from '../../src/validate/line-batches.js';
import { checkLine, isBlank, type LineCheckContext } from '../../src/validate/line-checks.js';
import { LinePool } from '../../src/validate/line-pool.js';
import { LineSplitter } from '../../src/validate/line-splitter.js';
import { ProblemLog } from '../../src/validate/problem-log.js';
import { ResourceKeySet } from '../../src/validate/resource-key-set.js';

const TX = Date.parse('2025-03-01T12:00:00Z');
const KINDS: FileCheckKind[] = ['ndjson', 'resource', 'type', 'unique', 'lastUpdated'];
const patient = (id: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ resourceType: 'Patient', id, meta: { lastUpdated: '2025-03-01T11:00:00Z' }, ...extra });

/** A file with every awkward case: CRLF, blank lines, bad JSON, invalid and late resources, duplicates, non-ASCII text, a line over 32 KB, no final newline. */
function awkwardFile(): string {
  const rows: string[] = [];
  for (let i = 1; i <= 60; i++) {
    if (i % 13 === 0) rows.push('');
    else if (i % 17 === 0) rows.push(`{"resourceType":"Patient","id":${i === 34 ? '\r' : ''}`);
    else if (i % 19 === 0) rows.push(patient(`p${i}`, { gender: 42 }));
    else if (i % 23 === 0) rows.push(patient(`p${i - 20}`));
    else if (i === 30) rows.push(patient('long', { name: [{ text: 'Zoë Ångström '.repeat(3000) }] }));
    else if (i === 31) rows.push(`${patient('crlf', { name: [{ family: '山田' }] })}\r`);
    else if (i === 41) rows.push(patient('late', { meta: { lastUpdated: '2025-03-01T13:00:00Z' } }));
    else rows.push(patient(`p${i}`, { name: [{ family: `Näme${i}` }] }));
  }
  return rows.join('\n');
}

/** The file checked line by line, as a single-threaded run does. */
function lineByLine(text: string, maxProblems: number): { log: ProblemLog; lines: number; resources: number } {
  const log = new ProblemLog(maxProblems);
  const ctx: LineCheckContext = { kinds: new Set(KINDS), itemType: 'Patient', transactionTime: TX, keys: new ResourceKeySet(), ordinalBase: 0, locate: (n) => `ordinal ${n}`, fhir: sharedFhirValidator(), elements: undefined, log };
  let resources = 0;
  const splitter = new LineSplitter((line, n) => {
    if (isBlank(line)) return;
    resources += 1;
    checkLine(ctx, line, n);
  });
  splitter.push(Buffer.from(text));
  splitter.end();
  return { log, lines: splitter.lineCount, resources };
}

/** The same file cut into chunks of `chunk` bytes, batched and merged. */
function inBatches(text: string, chunk: number, size: number, maxProblems: number): { log: ProblemLog; lines: number; resources: number } {
  const bytes = Buffer.from(text);
  const spec: BatchSpec = { kinds: KINDS, itemType: 'Patient', transactionTime: TX, elements: undefined, fhir: true, keys: true, maxProblems };
  const log = new ProblemLog(maxProblems);
  const keys = new ResourceKeySet();
  const cutter = new BatchCutter(size);
  let lines = 0;
  let resources = 0;
  const run = ({ bytes: batch, lines: cutLines }: CutBatch, final: boolean): void => {
    const firstLine = lines + 1;
    expect(cutLines).toBe(countLines(batch, final));
    lines += cutLines;
    const result = checkBatch(batch, firstLine, spec, sharedFhirValidator());
    expect(result.lines).toBe(cutLines);
    resources += result.resources;
    mergeBatch(result, { log, keys, ordinalBase: 0, locate: (n) => `ordinal ${n}`, nameOfLine: (n) => nameOfBatchLine(batch, firstLine, n) });
  };
  for (let at = 0; at < bytes.length; at += chunk) for (const b of cutter.push(bytes.subarray(at, at + chunk))) run(b, false);
  for (const b of cutter.end()) run(b, true);
  return { log, lines, resources };
}

describe('line batches', () => {
  it('cut a stream at newlines only, keeping every byte, a multi-byte character never split', () => {
    const text = awkwardFile();
    const bytes = Buffer.from(text);
    for (const chunk of [1, 7, 100, 4096]) {
      const cutter = new BatchCutter(500);
      const batches: Buffer[] = [];
      for (let at = 0; at < bytes.length; at += chunk) batches.push(...cutter.push(bytes.subarray(at, at + chunk)).map((b) => Buffer.from(b.bytes)));
      const last = cutter.end().map((b) => Buffer.from(b.bytes));
      expect(Buffer.concat([...batches, ...last]).equals(bytes)).toBe(true);
      for (const b of batches) {
        expect(b.length + chunk).toBeGreaterThan(500);
        expect(b[b.length - 1]).toBe(0x0a);
        expect(b.toString('utf8')).not.toContain('\ufffd');
      }
      expect(batches.length).toBeGreaterThan(1);
    }
  });

  it('find the same problems, with the same line numbers, as the line-by-line checks (duplicates across batches included)', () => {
    const text = awkwardFile();
    const expected = lineByLine(text, 4);
    const kindsFound = KINDS.filter((k) => expected.log.describe(k) !== undefined);
    expect(kindsFound).toEqual(['ndjson', 'resource', 'unique', 'lastUpdated']);
    expect(expected.log.describe('unique')).toMatch(/^line 23: Patient\/p3 already appeared \(ordinal 3\)/);
    for (const [chunk, size] of [[13, 200], [1000, 1], [4096, 1 << 20], [3, 64 * 1024]] as const) {
      const got = inBatches(text, chunk, size, 4);
      expect({ lines: got.lines, resources: got.resources }).toEqual({ lines: expected.lines, resources: expected.resources });
      for (const kind of KINDS) expect(got.log.describe(kind), `${kind} (chunk ${chunk}, batch ${size})`).toBe(expected.log.describe(kind));
    }
  });

  it('stop at a line longer than the limit, naming it, and hand over the whole lines before it', () => {
    const cutter = new BatchCutter(1000, 10);
    expect(cutter.push(Buffer.from('ab\ncd\n'))).toEqual([]);
    expect(cutter.push(Buffer.from('0123456'))).toEqual([]);
    expect(() => cutter.push(Buffer.from('89AB'))).toThrow(/^line 3 is longer than 10 bytes without a newline/);
    expect(cutter.wholeLines().map((b) => [b.bytes.toString(), b.lines])).toEqual([['ab\ncd\n', 2]]);
    // The limit holds within one chunk too, and counts the lines already cut into batches.
    const small = new BatchCutter(4, 10);
    expect(small.push(Buffer.from('a\nb\n')).map((b) => b.lines)).toEqual([2]);
    expect(() => small.push(Buffer.from('c\n0123456789AB'))).toThrow(/^line 4 is longer/);
  });

  it('count the lines of a batch, a last line without its newline included', () => {
    expect(countLines(Buffer.from('a\nb\n'), false)).toBe(2);
    expect(countLines(Buffer.from('a\nb'), true)).toBe(2);
    expect(countLines(Buffer.from('\n\n'), true)).toBe(2);
    expect(countLines(Buffer.from(''), true)).toBe(0);
  });

  it('reuse batch memory once a batch is merged, and leave odd-sized batches to the GC', () => {
    const buffers = new BatchBuffers(1024);
    const a = buffers.get(100);
    const memory = a.buffer;
    buffers.release(a);
    expect(buffers.get(700).buffer).toBe(memory);
    const big = buffers.get(5000);
    expect(big.length).toBe(5000);
    buffers.release(big);
    expect(buffers.get(10).buffer).not.toBe(big.buffer);
  });
});

describe('the validation worker pool', () => {
  const pools: LinePool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it('checks a batch on a worker with the same result as this thread, and gives the bytes back', async () => {
    const pool = new LinePool(1);
    pools.push(pool);
    const text = awkwardFile();
    const spec: BatchSpec = { kinds: KINDS, itemType: 'Patient', transactionTime: TX, elements: undefined, fhir: true, keys: true, maxProblems: 3 };
    const here = checkBatch(Buffer.from(text), 1, spec, sharedFhirValidator());
    const batch = new BatchBuffers(1 << 20).get(Buffer.byteLength(text));
    batch.write(text);
    const { result, batch: back } = await pool.check(batch, 1, spec);
    expect(batch.length).toBe(0);
    expect(back.toString('utf8')).toBe(text);
    expect({ ...result, keyHi: [...result.keyHi], keyLo: [...result.keyLo], keyLine: [...result.keyLine] }).toEqual({ ...here, keyHi: [...here.keyHi], keyLo: [...here.keyLo], keyLine: [...here.keyLine] });
  });

  it('fails pending batches, never hangs, when the pool goes away mid-check', async () => {
    const pool = new LinePool(1);
    const spec: BatchSpec = { kinds: KINDS, itemType: 'Patient', transactionTime: TX, elements: undefined, fhir: true, keys: false, maxProblems: 3 };
    const text = `${patient('p1')}\n`.repeat(20_000);
    const batch = new BatchBuffers(1 << 20).get(Buffer.byteLength(text));
    batch.write(text);
    const failed = expect(pool.check(batch, 1, spec)).rejects.toThrow(/closed/);
    await pool.close();
    await failed;
    expect(pool.healthy).toBe(false);
  });
});
