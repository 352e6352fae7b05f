/**
 * Streaming GET of one export file with undici: never buffers the body, never follows
 * redirects, stops when the scenario's AbortSignal fires or the body stalls. The body is
 * decoded per Content-Encoding (gzip, x-gzip, deflate, br); a gzip body without
 * Content-Encoding is noticed (magic bytes 1f 8b), reported, and decoded anyway so the lines
 * can still be judged.
 */
import { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { request, type Dispatcher } from 'undici';
import type { HeaderValue } from '../model/results.js';

export interface OpenFileOptions {
  url: string;
  headers: Record<string, HeaderValue>;
  signal: AbortSignal;
  /** Longest wait for the response headers, and longest stall between body chunks. */
  stallTimeoutMs: number;
  dispatcher?: Dispatcher;
}

export interface OpenedFile {
  status: number;
  /** Lower-case names, repeated fields joined with ", ". */
  headers: Record<string, string>;
  /** The raw body (still encoded); consume it once, or call `discard`. */
  body: Readable;
}

export type OpenResult = { ok: true; file: OpenedFile } | { ok: false; error: string };

/** What decoding found out about the body's encoding. */
export interface EncodingReport {
  /** The coding actually applied to the bytes (identity when none). */
  coding: string;
  /** A Content-Encoding problem (FILE-04), when there is one. */
  problem?: string;
  /** Bytes on the wire (before decoding). */
  wireBytes: number;
}

export class TransportError extends Error {}

export async function openFile(opts: OpenFileOptions): Promise<OpenResult> {
  try {
    const res = await request(opts.url, {
      method: 'GET',
      headers: opts.headers,
      signal: opts.signal,
      headersTimeout: opts.stallTimeoutMs,
      bodyTimeout: opts.stallTimeoutMs,
      ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { ok: true, file: { status: res.statusCode, headers, body: res.body } };
  } catch (e) {
    return { ok: false, error: describeError(e, opts) };
  }
}

export function describeError(e: unknown, opts: Pick<OpenFileOptions, 'url' | 'signal' | 'stallTimeoutMs'>): string {
  const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code;
  if (opts.signal.aborted) {
    const reason: unknown = opts.signal.reason;
    return `aborted (${reason instanceof Error ? reason.message : 'scenario deadline'})`;
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return `no response headers within ${opts.stallTimeoutMs / 1000}s`;
  if (code === 'UND_ERR_BODY_TIMEOUT') return `the body stalled for ${opts.stallTimeoutMs / 1000}s`;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the connection was closed before the body ended';
  return err.message ?? String(e);
}

function createDecoder(coding: string): NodeJS.ReadWriteStream | undefined {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

const isGzip = (chunk: Buffer): boolean => chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b;

/**
 * The decoded body, chunk by chunk. Transport failures throw TransportError; a body that does
 * not decode ends the stream early with `report.problem` set.
 */
export async function* decodeBody(body: Readable, contentEncoding: string | undefined, report: EncodingReport): AsyncGenerator<Buffer> {
  const wire = countWireBytes(body, report);
  const first = await wire.next();
  if (first.done) return;
  const declared = (contentEncoding ?? '').trim().toLowerCase();
  let coding = declared === '' ? 'identity' : declared;
  if (coding === 'identity' && isGzip(first.value)) {
    report.problem = 'the body is gzip-compressed (it starts with 1f 8b) but the response has no Content-Encoding: gzip';
    coding = 'gzip';
  }
  report.coding = coding;
  const rest = async function* (): AsyncGenerator<Buffer> {
    yield first.value;
    yield* wire;
  };
  if (coding === 'identity') {
    yield* rest();
    return;
  }
  const decoder = createDecoder(coding);
  if (decoder === undefined) {
    report.problem = `Content-Encoding "${declared}" is not a coding the client offered (gzip)`;
    return;
  }
  const source = Readable.from(rest());
  source.on('error', (e) => decoder.emit('error', e instanceof TransportError ? e : new TransportError(e.message, { cause: e })));
  source.pipe(decoder as NodeJS.WritableStream);
  try {
    for await (const chunk of decoder as AsyncIterable<Buffer>) yield chunk;
  } catch (e) {
    if (e instanceof TransportError) throw e;
    report.problem = `Content-Encoding ${coding}, but the body does not decode as ${coding} (${(e as Error).message})`;
  } finally {
    source.destroy();
  }
}

async function* countWireBytes(body: Readable, report: EncodingReport): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      report.wireBytes += chunk.length;
      yield chunk;
    }
  } catch (e) {
    throw new TransportError((e as Error).message, { cause: e });
  }
}
