/**
 * Download one export file as a stream and check it as it arrives: status, Content-Type,
 * Content-Encoding, then every line (see line-checks.ts), then the manifest's count. Memory
 * stays flat: one chunk, one partial line and (in a quick run) the held-back sample.
 */
import type { Dispatcher } from 'undici';
import type { Exchange, HeaderValue } from '../model/results.js';
import { mediaTypeOf } from '../assert/matchers.js';
import type { Redactor } from '../http/redact.js';
import { decodeBody, openFile, TransportError, describeError, type EncodingReport } from './file-download.js';
import { LineSplitter, LineTooLongError } from './line-splitter.js';
import { checkLine, isBlank, type LineCheckContext } from './line-checks.js';
import { LineSampler, type SamplePlan } from './line-sampler.js';
import { ProblemLog } from './problem-log.js';
import { BatchCutter, checkBatch, mergeBatch, nameOfBatchLine, type BatchResult, type BatchSpec, type CutBatch } from './line-batches.js';
import { sharedLinePool, type LinePool } from './line-pool.js';
import { ResourceKeySet } from './resource-key-set.js';

export const NDJSON_MEDIA_TYPE = 'application/fhir+ndjson';
const EXCERPT_CHARS = 500;
/** Lines are cut into batches of about this many bytes (see line-batches.ts). */
const BATCH_BYTES = 1 << 20;
/**
 * When every worker already has this many batches, this thread checks the next one itself (it
 * has a core's share to give besides reading); at most QUEUE_LIMIT batches wait to be merged.
 * Measured on 2 cores (npm run bench): depth 2 / limit 3 left both threads idle a third of the
 * time; 3 / 6 kept them busy, for about 8 MB of batches.
 */
const SHARE_DEPTH = 3;
const QUEUE_LIMIT = 6;
/** A file goes to the validation workers from this many bytes on: below, starting them costs more than it saves. */
const PARALLEL_FROM_BYTES = 4 << 20;

/** One file a manifest lists. */
export interface FileTarget {
  /** The manifest array it came from (output, deleted, error, outcome) and its index there. */
  list: string;
  index: number;
  url: string;
  type: string | undefined;
  count: unknown;
}

export interface FileReport {
  target: FileTarget;
  exchange: Exchange;
  status: number | undefined;
  /** Why the file could not be read to its end (harness or transport trouble), if so. */
  error: string | undefined;
  lines: number;
  resources: number;
  /** Lines whose content was checked (all of them unless sampled). */
  checked: number;
  sampled: boolean;
  decodedBytes: number;
  log: ProblemLog;
}

export interface FileRunOptions {
  headers: Record<string, HeaderValue>;
  /** The run's dispatcher (its trust anchors for https); default undici's global one. */
  dispatcher?: Dispatcher;
  /** The TLS version the run's client negotiated with a URL's origin, for the exchange record (AUTH-01). */
  tlsVersionFor?: (url: string) => string | undefined;
  signal: AbortSignal;
  stallTimeoutMs: number;
  redactor: Redactor;
  label: string;
  maxProblems: number;
  /** Sample files larger than `overBytes` (quick runs); undefined = check every line. */
  sample: (SamplePlan & { overBytes: number }) | undefined;
  /** The line checks, without `log` (each file gets its own). */
  lineContext: Omit<LineCheckContext, 'log' | 'itemType'>;
  /** Validation worker threads for a large file (default `defaultThreadCount()`); 0 checks every line on this thread. */
  threads?: number;
  /** A file's lines go to the workers once this many bytes have arrived, or at once when Content-Length says so (default 4 MiB). */
  parallelFromBytes?: number;
  /** Bytes per batch of lines (default 1 MiB); tests make it small to have many batches. */
  batchBytes?: number;
  /** The longest line read (default 128 MiB): a longer one ends the file's check as an error. */
  maxLineBytes?: number;
}

export async function validateFile(target: FileTarget, opts: FileRunOptions): Promise<FileReport> {
  const started = Date.now();
  const log = new ProblemLog(opts.maxProblems);
  const kinds = opts.lineContext.kinds;
  const exchange: Exchange = {
    label: opts.label,
    request: { method: 'GET', url: opts.redactor.text(target.url), headers: opts.redactor.headers(opts.headers) },
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
  };
  const report: FileReport = { target, exchange, status: undefined, error: undefined, lines: 0, resources: 0, checked: 0, sampled: false, decodedBytes: 0, log };
  const finish = (): FileReport => {
    exchange.durationMs = Date.now() - started;
    if (report.error !== undefined) exchange.error = report.error;
    return report;
  };
  const opened = await openFile({ url: target.url, headers: opts.headers, signal: opts.signal, stallTimeoutMs: opts.stallTimeoutMs, ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}) });
  if (!opened.ok) {
    report.error = `GET ${opts.redactor.text(target.url)}: ${opened.error}`;
    return finish();
  }
  const { file } = opened;
  report.status = file.status;
  const tls = opts.tlsVersionFor?.(target.url);
  if (tls !== undefined) exchange.tls = tls;
  exchange.response = { status: file.status, headers: opts.redactor.headers(file.headers), bodyExcerpt: '', bodyBytes: 0, truncated: true };
  if (file.status !== 200) {
    if (kinds.has('status')) log.add('status', `answered ${file.status}, not 200`);
    file.body.resume();
    return finish();
  }
  const contentType = file.headers['content-type'];
  if (kinds.has('contentType') && (contentType === undefined || mediaTypeOf(contentType) !== NDJSON_MEDIA_TYPE)) {
    log.add('contentType', `Content-Type is ${contentType === undefined ? 'absent' : JSON.stringify(contentType)}, not ${NDJSON_MEDIA_TYPE}`);
  }
  const encoding: EncodingReport = { coding: 'identity', wireBytes: 0 };
  const lineContext: LineCheckContext = { ...opts.lineContext, itemType: target.type, log };
  const length = Number(file.headers['content-length'] ?? NaN);
  let sampler: LineSampler | undefined;
  const startSampling = (): void => {
    if (opts.sample === undefined || sampler !== undefined) return;
    sampler = new LineSampler(opts.sample, undefined, report.resources);
    report.sampled = true;
  };
  if (opts.sample !== undefined && file.headers['content-encoding'] === undefined && length > opts.sample.overBytes) startSampling();
  let excerpt = '';
  const keepExcerpt = (chunk: Buffer): void => {
    if (excerpt.length < EXCERPT_CHARS) excerpt += chunk.subarray(0, EXCERPT_CHARS).toString('utf8');
  };
  const body = decodeBody(file.body, file.headers['content-encoding'], encoding);
  // Checks that keep state across lines (organized output, attachments, deleted files) and
  // quick-run sampling read line by line on this thread; the rest goes in batches (workers for a large file).
  const keys = lineContext.keys;
  const batched = opts.sample === undefined && lineContext.organized === undefined && lineContext.attachments === undefined && lineContext.deletedAgainst === undefined && (keys === undefined || keys instanceof ResourceKeySet);
  if (batched) {
    const counted = await checkInBatches(body, lineContext, opts, { keepExcerpt, contentLength: length, keys: keys as ResourceKeySet | undefined, url: target.url });
    report.lines = counted.lines;
    report.resources = counted.resources;
    report.checked = counted.resources;
    report.decodedBytes = counted.bytes;
    if (counted.error !== undefined) {
      report.error = `GET ${opts.redactor.text(target.url)}: ${counted.error}`;
      file.body.destroy();
    }
  } else {
    await checkLineByLine();
  }
  async function checkLineByLine(): Promise<void> {
    // Characters read so far: without a usable Content-Length (or when compressed), sampling
    // starts at the line where the file passes the size limit.
    let position = 0;
    const splitter = new LineSplitter((line, n) => {
      position += line.length + 1;
      if (opts.sample !== undefined && sampler === undefined && position > opts.sample.overBytes) startSampling();
      if (isBlank(line)) return;
      report.resources += 1;
      if (sampler !== undefined && !sampler.offer(line, n)) return;
      report.checked += 1;
      checkLine(lineContext, line, n);
    }, opts.maxLineBytes);
    try {
      for await (const chunk of body) {
        keepExcerpt(chunk);
        splitter.push(chunk);
      }
      splitter.end();
    } catch (e) {
      report.error = `GET ${opts.redactor.text(target.url)}: ${transportProblem(e, target.url, opts)}`;
      file.body.destroy();
    }
    for (const [line, n] of sampler?.drain() ?? []) {
      report.checked += 1;
      checkLine(lineContext, line, n);
    }
    report.lines = splitter.lineCount;
    report.decodedBytes = splitter.byteCount;
  }
  exchange.response.bodyExcerpt = opts.redactor.text(excerpt.slice(0, EXCERPT_CHARS));
  exchange.response.bodyBytes = encoding.wireBytes;
  if (kinds.has('encoding') && encoding.problem !== undefined) log.add('encoding', encoding.problem);
  // Organized output: a count may leave out the Parameters header lines (the IG does not say).
  const headers = opts.lineContext.organized?.file.headers ?? 0;
  if (kinds.has('count') && report.error === undefined && target.count !== undefined && target.count !== report.resources && target.count !== report.resources - headers) {
    log.add('count', `the manifest says count ${JSON.stringify(target.count)}, the file holds ${report.resources} resource line(s)`);
  }
  return finish();
}

function transportProblem(e: unknown, url: string, opts: FileRunOptions): string {
  return e instanceof TransportError ? describeError(e.cause ?? e, { url, signal: opts.signal, stallTimeoutMs: opts.stallTimeoutMs }) : (e as Error).message;
}

interface BatchedCount {
  lines: number;
  resources: number;
  bytes: number;
  error: string | undefined;
}

/**
 * Check a file's lines in batches of whole lines: on this thread while the file is small, on
 * the validation workers once it is large (Content-Length, or bytes read so far, at least
 * `parallelFromBytes`; this thread then checks a batch too whenever the workers are all busy).
 * Results are merged in file order, so problems, their line numbers and duplicate verdicts are
 * the same whichever thread checked a batch. At most QUEUE_LIMIT batches wait: memory stays
 * flat, and slow checking slows the download (backpressure).
 */
async function checkInBatches(
  body: AsyncIterable<Buffer>,
  ctx: LineCheckContext,
  opts: FileRunOptions,
  io: { keepExcerpt(chunk: Buffer): void; contentLength: number; keys: ResourceKeySet | undefined; url: string },
): Promise<BatchedCount> {
  const spec: BatchSpec = {
    kinds: [...ctx.kinds],
    itemType: ctx.itemType,
    transactionTime: ctx.transactionTime,
    elements: ctx.elements === undefined ? undefined : [...ctx.elements.selectors],
    fhir: ctx.fhir !== undefined,
    keys: io.keys !== undefined,
    maxProblems: opts.maxProblems,
  };
  const from = opts.parallelFromBytes ?? PARALLEL_FROM_BYTES;
  const count: BatchedCount = { lines: 0, resources: 0, bytes: 0, error: undefined };
  let pool: LinePool | undefined;
  let engaged = false;
  const queue: Promise<{ result: BatchResult; batch: Buffer; firstLine: number }>[] = [];
  const cutter = new BatchCutter(opts.batchBytes ?? BATCH_BYTES, opts.maxLineBytes);
  const merge = (result: BatchResult, batch: Buffer, firstLine: number): void => {
    count.resources += result.resources;
    mergeBatch(result, {
      log: ctx.log,
      keys: io.keys,
      ordinalBase: ctx.ordinalBase,
      locate: (ordinal) => ctx.locate(ordinal),
      nameOfLine: (n) => nameOfBatchLine(batch, firstLine, n),
    });
    cutter.buffers.release(batch);
  };
  const dispatch = async ({ bytes: batch, lines }: CutBatch): Promise<void> => {
    const firstLine = count.lines + 1;
    count.lines += lines;
    if (!engaged && (count.bytes >= from || io.contentLength >= from)) {
      engaged = true;
      pool = sharedLinePool(opts.threads);
    }
    if (pool === undefined) {
      merge(checkBatch(batch, firstLine, spec, ctx.fhir), batch, firstLine);
      return;
    }
    if (pool.busy(SHARE_DEPTH)) {
      queue.push(Promise.resolve({ result: checkBatch(batch, firstLine, spec, ctx.fhir), batch, firstLine }));
    } else {
      const job = pool.check(batch, firstLine, spec).then(({ result, batch: back }) => ({ result, batch: back, firstLine }));
      // Awaited in order below; a failure of a later batch must not go unhandled meanwhile.
      job.catch(() => undefined);
      queue.push(job);
    }
    while (queue.length > QUEUE_LIMIT) {
      const done = await (queue.shift() as (typeof queue)[number]);
      merge(done.result, done.batch, done.firstLine);
    }
  };
  try {
    for await (const chunk of body) {
      io.keepExcerpt(chunk);
      count.bytes += chunk.length;
      for (const batch of cutter.push(chunk)) await dispatch(batch);
    }
    for (const batch of cutter.end()) await dispatch(batch);
  } catch (e) {
    count.error = transportProblem(e, io.url, opts);
    // A line too long to hold ends the reading; the whole lines before it are still judged.
    const [whole] = e instanceof LineTooLongError ? cutter.wholeLines() : [];
    if (whole !== undefined) await dispatch(whole).catch(() => undefined);
  }
  // The lines read before a transport failure are still judged, as on the line-by-line path.
  try {
    while (queue.length > 0) {
      const done = await (queue.shift() as (typeof queue)[number]);
      merge(done.result, done.batch, done.firstLine);
    }
  } catch (e) {
    count.error ??= (e as Error).message;
  }
  return count;
}
