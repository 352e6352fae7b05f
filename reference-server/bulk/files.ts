/**
 * `GET <file url>`: one NDJSON file (output, error or deleted) of a completed export job,
 * `application/fhir+ndjson`, gzip-compressed with `Content-Encoding: gzip` when the client
 * accepts it. `Accept` is optional and not needed (NDJSON is the only format).
 */
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { RequestContext } from '../context.js';
import { FHIR_NDJSON, PLAIN_JSON, sendError } from '../http-util.js';
import { handleAttachment, isAttachmentName } from './attachments.js';
import { acceptsGzip } from './content-coding.js';
import { findExportFile, listExportOutput, renderNdjson, type ExportFile } from './export-output.js';
import { isFileReady } from './manifest-pages.js';

const NOT_FOUND = { status: 404, code: 'not-found', diagnostics: 'no export file at this URL (unknown, expired or deleted)' } as const;

function findFile(ctx: RequestContext): ExportFile | undefined {
  const { config, exportJobs } = ctx.state;
  const [fileKey = '', fileName = ''] = ctx.pathParams;
  const job = exportJobs.getByFileKey(fileKey);
  // Files are ready once the job is complete, or (allowPartialManifests) once a manifest page lists them.
  if (job === undefined || !isFileReady(ctx, job, fileName)) return undefined;
  const output = listExportOutput(job, config);
  // Fault FILE-01: the last output file listed in the manifest cannot be fetched.
  if (config.faults.has('output-file-404') && output.output.at(-1)?.name === fileName) return undefined;
  return findExportFile(output, fileName);
}

/**
 * gzip-compressed, streamed through one gzip stream (chunked: the compressed length is not known
 * in advance), so a file of any size is compressed in flat memory.
 */
function sendCompressed(ctx: RequestContext, lines: readonly string[], contentType: string): void {
  const { res } = ctx;
  res.statusCode = 200;
  res.setHeader('Content-Type', `${contentType}; charset=utf-8`);
  res.setHeader('Vary', 'Accept-Encoding');
  // Fault FILE-04: the body is gzip-compressed but Content-Encoding does not say so.
  if (!ctx.state.config.faults.has('gzip-without-content-encoding')) res.setHeader('Content-Encoding', 'gzip');
  const gzip = createGzip();
  gzip.pipe(res);
  res.once('close', () => gzip.destroy());
  pumpLines(lines, gzip, () => res.destroyed);
}

/** Lines per write when streaming a file. */
const LINES_PER_WRITE = 512;

/**
 * Writes the lines in batches with backpressure, then ends `out`: a file of any size is served
 * in flat memory (one big string would also hit V8's string-length limit, 512 MiB).
 */
function pumpLines(lines: readonly string[], out: Writable, gone: () => boolean): void {
  let next = 0;
  const pump = (): void => {
    while (next < lines.length && !gone()) {
      const end = Math.min(lines.length, next + LINES_PER_WRITE);
      const more = out.write(renderNdjson(lines.slice(next, end)));
      next = end;
      if (!more) {
        out.once('drain', pump);
        return;
      }
    }
    out.end();
  };
  pump();
}

/** Byte length of a file's body, computed once per file (its lines never change once built). */
const bodyLengths = new WeakMap<readonly string[], number>();

function bodyLength(lines: readonly string[]): number {
  let length = bodyLengths.get(lines);
  if (length === undefined) {
    length = 0;
    for (const line of lines) length += Buffer.byteLength(line, 'utf8') + 1;
    bodyLengths.set(lines, length);
  }
  return length;
}

/** Uncompressed, with an exact Content-Length. */
function sendLines(ctx: RequestContext, lines: readonly string[], contentType: string): void {
  const { res } = ctx;
  const length = bodyLength(lines);
  res.statusCode = 200;
  res.setHeader('Content-Type', `${contentType}; charset=utf-8`);
  res.setHeader('Vary', 'Accept-Encoding');
  res.setHeader('Content-Length', length);
  pumpLines(lines, res, () => res.destroyed);
}

export function handleFile(ctx: RequestContext): void {
  const { faults } = ctx.state.config;
  // The bytes of an exported Attachment.url (FILE-07), served under the same rules as the files.
  if (isAttachmentName(ctx.pathParams[1] ?? '')) {
    handleAttachment(ctx);
    return;
  }
  const file = findFile(ctx);
  if (file === undefined) {
    sendError(ctx.res, NOT_FOUND);
    return;
  }
  // Fault FILE-02: a file request without Accept is refused although Accept is optional.
  if (faults.has('file-requires-accept') && ctx.req.headers.accept === undefined) {
    sendError(ctx.res, { status: 406, code: 'not-supported', diagnostics: 'send Accept: application/fhir+ndjson' });
    return;
  }
  // Fault FILE-01: NDJSON served with the wrong media type.
  const contentType = faults.has('file-wrong-content-type') ? PLAIN_JSON : FHIR_NDJSON;
  if (acceptsGzip(ctx.req.headers['accept-encoding'])) sendCompressed(ctx, file.lines, contentType);
  else sendLines(ctx, file.lines, contentType);
}
