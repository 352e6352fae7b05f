/**
 * NDJSON validation in batches of whole lines, so that the costly part (UTF-8 decoding,
 * JSON.parse, the FHIR R4 schema, the per-line checks) can run on worker threads while the
 * main thread reads the next bytes (see line-pool.ts):
 *   - `BatchCutter` cuts the decoded byte stream at `\n` into batches of about `size` bytes,
 *     each a Buffer with an ArrayBuffer of its own (transferable, never a pool slice);
 *   - `checkBatch` runs the same `checkLine` as a single-threaded run over one batch, with a
 *     batch-local ProblemLog and a recorder in place of the export's ResourceKeySet: it is pure
 *     (no shared state), so it gives the same answer on any thread;
 *   - `mergeBatch` applies a batch's result to the file, in batch order: problems are appended
 *     (so the first N per kind are the first N in the file) and the recorded keys are added to
 *     the export's ResourceKeySet, where duplicates are found exactly as before.
 * Only the checks that keep no state across lines run this way; organized output, attachments
 * and deleted-file comparisons stay on the single-threaded path (validate-file.ts).
 */
import type { FileCheckKind } from '../model/scenario.js';
import type { FhirResourceValidator } from './fhir-r4-schema.js';
import { checkLine, ElementRule, isBlank, type LineCheckContext, type ResourceKeySink } from './line-checks.js';
import { ProblemLog } from './problem-log.js';
import { LineTooLongError, MAX_LINE_BYTES } from './line-splitter.js';
import { hashParts, type ResourceKeySet } from './resource-key-set.js';

const NEWLINE = 0x0a;
/** Bytes decoded to one string at a time (below V8's large-object size even as two-byte text). */
const SEGMENT_BYTES = 32 * 1024;

/** What a batch's checks need, as plain data (it crosses to a worker thread). */
export interface BatchSpec {
  kinds: FileCheckKind[];
  itemType: string | undefined;
  transactionTime: number | undefined;
  /** `_elements` as sent, when the `elements` check is on. */
  elements: string[] | undefined;
  /** Whether the FHIR R4 schema check (or `elements`, which reads the schema) runs. */
  fhir: boolean;
  /** Whether resource keys are recorded for the `unique` check. */
  keys: boolean;
  maxProblems: number;
}

export interface BatchResult {
  /** Lines in the batch (blank ones included) and resource (non-blank) lines. */
  lines: number;
  resources: number;
  problems: { kind: FileCheckKind; shown: string[]; more: number }[];
  /** Recorded `hashParts(type, id)` halves and the batch line number of each keyed resource. */
  keyHi: Uint32Array<ArrayBufferLike>;
  keyLo: Uint32Array<ArrayBufferLike>;
  keyLine: Uint32Array<ArrayBufferLike>;
}

/** Counts `\n` bytes, plus one for a last line without its newline. */
export function countLines(batch: Buffer, final: boolean): number {
  let count = 0;
  let at = batch.indexOf(NEWLINE);
  while (at !== -1) {
    count += 1;
    at = batch.indexOf(NEWLINE, at + 1);
  }
  if (final && batch.length > 0 && batch[batch.length - 1] !== NEWLINE) count += 1;
  return count;
}

/**
 * Batch memory, reused: a batch is a view over an ArrayBuffer of `capacity` bytes that comes
 * back (from a worker, or from this thread) once the batch is merged. Without reuse every batch
 * would be a fresh external allocation, freed only when the GC gets round to it, and RSS would
 * carry tens of megabytes of dead batches.
 */
export class BatchBuffers {
  private readonly free: ArrayBuffer[] = [];

  constructor(readonly capacity: number, private readonly keep = 16) {}

  /** A Buffer of `length` bytes over an ArrayBuffer it alone uses (transferable). */
  get(length: number): Buffer {
    const bytes = length <= this.capacity ? (this.free.pop() ?? new ArrayBuffer(this.capacity)) : new ArrayBuffer(length);
    return Buffer.from(bytes, 0, length);
  }

  /** Give a merged batch's memory back (odd-sized ones are left to the GC). */
  release(batch: Buffer): void {
    const bytes = batch.buffer;
    if (bytes instanceof ArrayBuffer && bytes.byteLength === this.capacity && batch.byteOffset === 0 && this.free.length < this.keep) this.free.push(bytes);
  }
}

/** A batch of whole lines cut from the stream, and how many lines it holds. */
export interface CutBatch {
  bytes: Buffer;
  lines: number;
}

/** Cuts a byte stream into batches of whole lines (the last one may lack its newline). */
export class BatchCutter {
  private chunks: Buffer[] = [];
  private held = 0;
  /** Bytes since the last newline: the line being read so far. */
  private open = 0;
  /** Lines in the batches cut so far. */
  private linesCut = 0;
  readonly buffers: BatchBuffers;

  /**
   * Batches of about `size` bytes (whole lines: cut at the last newline of the chunk that reaches
   * `size`), in buffers reused through `buffers`. A line longer than `maxLine` bytes throws
   * LineTooLongError (checked once per chunk: up to a chunk more is held).
   */
  constructor(private readonly size: number, private readonly maxLine = MAX_LINE_BYTES) {
    // A batch is cut at the first newline of the chunk that reaches `size`: room for one more chunk.
    this.buffers = new BatchBuffers(size + (256 << 10));
  }

  /** Whole-line batches that this chunk completes (usually none or one). */
  push(chunk: Buffer): CutBatch[] {
    if (chunk.length === 0) return [];
    const cut = chunk.lastIndexOf(NEWLINE);
    this.chunks.push(chunk);
    this.held += chunk.length;
    this.open = cut === -1 ? this.open + chunk.length : chunk.length - cut - 1;
    if (this.open > this.maxLine) {
      const before = this.chunks.reduce((n, c) => n + countLines(c, false), this.linesCut);
      throw new LineTooLongError(before + 1, this.maxLine);
    }
    if (cut === -1 || this.held < this.size) return [];
    return [this.take(this.held - this.open, false)];
  }

  /** The whole lines held (up to the last newline), when reading stops early: they are still judged. */
  wholeLines(): CutBatch[] {
    return this.held - this.open > 0 ? [this.take(this.held - this.open, false)] : [];
  }

  /** The rest (lines after the last cut), or nothing. */
  end(): CutBatch[] {
    return this.held > 0 ? [this.take(this.held, true)] : [];
  }

  /** The first `length` held bytes as one Buffer over an ArrayBuffer of its own; the rest stays held. */
  private take(length: number, final: boolean): CutBatch {
    const batch = this.buffers.get(length);
    let filled = 0;
    const rest: Buffer[] = [];
    for (const chunk of this.chunks) {
      if (filled >= length) {
        rest.push(chunk);
        continue;
      }
      const part = Math.min(chunk.length, length - filled);
      chunk.copy(batch, filled, 0, part);
      filled += part;
      if (part < chunk.length) rest.push(chunk.subarray(part));
    }
    this.chunks = rest;
    this.held -= length;
    const lines = countLines(batch, final);
    this.linesCut += lines;
    return { bytes: batch, lines };
  }
}

/** Records resource keys as hashes (the export-wide set lives on the main thread). */
class KeyRecorder implements ResourceKeySink {
  hi: Uint32Array = new Uint32Array(1024);
  lo: Uint32Array = new Uint32Array(1024);
  line: Uint32Array = new Uint32Array(1024);
  size = 0;

  addResource(type: string, id: string, ordinal: number): undefined {
    if (this.size === this.hi.length) this.grow();
    const [h, l] = hashParts(type, id);
    this.hi[this.size] = h;
    this.lo[this.size] = l;
    this.line[this.size] = ordinal;
    this.size += 1;
    return undefined;
  }

  private grow(): void {
    const widen = (a: Uint32Array): Uint32Array => {
      const b = new Uint32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.hi = widen(this.hi);
    this.lo = widen(this.lo);
    this.line = widen(this.line);
  }
}

const NO_KEYS = new Uint32Array(0);

/**
 * Check every line of one batch, numbered from `firstLine`. `fhir` is this thread's validator
 * (required when `spec.fhir`). Lines are cut at `\n` with a trailing `\r` dropped, as
 * LineSplitter does; a batch that is the file's last may end without a newline.
 */
export function checkBatch(batch: Buffer, firstLine: number, spec: BatchSpec, fhir: FhirResourceValidator | undefined): BatchResult {
  const log = new ProblemLog(spec.maxProblems);
  const keys = spec.keys ? new KeyRecorder() : undefined;
  const ctx: LineCheckContext = {
    kinds: new Set(spec.kinds),
    itemType: spec.itemType,
    transactionTime: spec.transactionTime,
    keys,
    ordinalBase: 0,
    locate: (n) => `line ${n}`,
    fhir: spec.fhir ? fhir : undefined,
    elements: spec.elements === undefined ? undefined : new ElementRule(spec.elements),
    log,
  };
  let lines = 0;
  let resources = 0;
  const visit = (raw: string): void => {
    const n = firstLine + lines;
    lines += 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (isBlank(line)) return;
    resources += 1;
    checkLine(ctx, line, n);
  };
  // Decoded a segment of about SEGMENT_BYTES (cut after a newline) at a time: one string for a
  // whole batch would be a large object, which only a full GC frees, and RSS would climb.
  for (let from = 0; from < batch.length; ) {
    const cut = from + SEGMENT_BYTES >= batch.length ? -1 : batch.indexOf(NEWLINE, from + SEGMENT_BYTES);
    const to = cut === -1 ? batch.length : cut + 1;
    const text = batch.toString('utf8', from, to);
    from = to;
    let start = 0;
    let end = text.indexOf('\n');
    while (end !== -1) {
      visit(text.slice(start, end));
      start = end + 1;
      end = text.indexOf('\n', start);
    }
    if (start < text.length) visit(text.slice(start));
  }
  const problems = [...log.entries()].map(([kind, entry]) => ({ kind, shown: entry.shown, more: entry.more }));
  return {
    lines,
    resources,
    problems,
    keyHi: keys ? keys.hi.slice(0, keys.size) : NO_KEYS,
    keyLo: keys ? keys.lo.slice(0, keys.size) : NO_KEYS,
    keyLine: keys ? keys.line.slice(0, keys.size) : NO_KEYS,
  };
}

/** Where a merged batch goes: the file's log, the export's key set, how to name a line. */
export interface MergeTarget {
  log: ProblemLog;
  keys: ResourceKeySet | undefined;
  ordinalBase: number;
  locate(ordinal: number): string;
  /** `Type/id` of a line of this batch (read again only for a duplicate's message). */
  nameOfLine(lineNumber: number): string;
}

/** Apply one batch's result, in file order. */
export function mergeBatch(result: BatchResult, target: MergeTarget): void {
  for (const p of result.problems) target.log.merge(p.kind, p.shown, p.more);
  const { keys } = target;
  if (keys === undefined) return;
  for (let i = 0; i < result.keyHi.length; i++) {
    const n = result.keyLine[i] ?? 0;
    const earlier = keys.addHashed(result.keyHi[i] ?? 0, result.keyLo[i] ?? 0, target.ordinalBase + n);
    if (earlier !== undefined) target.log.add('unique', `line ${n}: ${target.nameOfLine(n)} already appeared (${target.locate(earlier)})`);
  }
}

/** `Type/id` of line `lineNumber` in a batch that starts at `firstLine` (the duplicate message's name). */
export function nameOfBatchLine(batch: Buffer, firstLine: number, lineNumber: number): string {
  let start = 0;
  for (let n = firstLine; n < lineNumber; n++) {
    const at = batch.indexOf(NEWLINE, start);
    if (at === -1) return 'a resource';
    start = at + 1;
  }
  const end = batch.indexOf(NEWLINE, start);
  try {
    const value = JSON.parse(batch.toString('utf8', start, end === -1 ? batch.length : end)) as { resourceType?: unknown; id?: unknown };
    return typeof value.id === 'string' ? `${String(value.resourceType)}/${value.id}` : `${String(value.resourceType)} (no id)`;
  } catch {
    return 'a resource';
  }
}
