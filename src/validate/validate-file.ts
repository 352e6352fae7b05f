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
import { LineSplitter } from './line-splitter.js';
import { checkLine, isBlank, type LineCheckContext } from './line-checks.js';
import { LineSampler, type SamplePlan } from './line-sampler.js';
import { ProblemLog } from './problem-log.js';

export const NDJSON_MEDIA_TYPE = 'application/fhir+ndjson';
const EXCERPT_CHARS = 500;

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
  });
  try {
    for await (const chunk of decodeBody(file.body, file.headers['content-encoding'], encoding)) {
      if (excerpt.length < EXCERPT_CHARS) excerpt += chunk.subarray(0, EXCERPT_CHARS).toString('utf8');
      splitter.push(chunk);
    }
    splitter.end();
  } catch (e) {
    report.error = `GET ${opts.redactor.text(target.url)}: ${e instanceof TransportError ? describeError(e.cause ?? e, { url: target.url, signal: opts.signal, stallTimeoutMs: opts.stallTimeoutMs }) : (e as Error).message}`;
    file.body.destroy();
  }
  for (const [line, n] of sampler?.drain() ?? []) {
    report.checked += 1;
    checkLine(lineContext, line, n);
  }
  report.lines = splitter.lineCount;
  report.decodedBytes = splitter.byteCount;
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
