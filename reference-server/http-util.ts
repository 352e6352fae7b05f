/** Small helpers over node:http: send JSON / NDJSON / errors, read a request body with a cap. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildOperationOutcome, type ErrorSpec } from './operation-outcome.js';

export const FHIR_JSON = 'application/fhir+json';
export const FHIR_NDJSON = 'application/fhir+ndjson';
export const PLAIN_JSON = 'application/json';

/** Largest request body accepted (1 MiB); anything bigger gets 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface SendOptions {
  /** Media type without charset; `; charset=utf-8` is appended. Default application/fhir+json. */
  contentType?: string;
  headers?: Record<string, string>;
}

/** Sends `text` with the given status, content type and extra headers. */
export function sendText(res: ServerResponse, status: number, text: string, opts: SendOptions = {}): void {
  const body = Buffer.from(text, 'utf8');
  res.statusCode = status;
  for (const [name, value] of Object.entries(opts.headers ?? {})) res.setHeader(name, value);
  res.setHeader('Content-Type', `${opts.contentType ?? FHIR_JSON}; charset=utf-8`);
  res.setHeader('Content-Length', body.length);
  res.end(body);
}

/** Serialises `body` as JSON and sends it (default content type application/fhir+json). */
export function sendJson(res: ServerResponse, status: number, body: unknown, opts: SendOptions = {}): void {
  sendText(res, status, JSON.stringify(body), opts);
}

/** Sends a status with no body (and the given headers). */
export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Length', 0);
  res.end();
}

/** Sends an error as `application/fhir+json` OperationOutcome with one `error` issue. */
export function sendError(res: ServerResponse, error: ErrorSpec): void {
  const outcome = buildOperationOutcome('error', error.code, error.diagnostics);
  sendJson(res, error.status, outcome, error.headers ? { headers: error.headers } : {});
}

/** Sends a one-issue informational OperationOutcome. */
export function sendInformation(
  res: ServerResponse,
  status: number,
  diagnostics: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, buildOperationOutcome('information', 'informational', diagnostics), { headers });
}

export type BodyResult = { ok: true; text: string } | { ok: false; error: ErrorSpec };

/** Reads the whole request body as UTF-8, refusing more than `limit` bytes with a 413 ErrorSpec. */
export function readBody(req: IncomingMessage, limit: number = MAX_BODY_BYTES): Promise<BodyResult> {
  const tooLarge: BodyResult = {
    ok: false,
    error: {
      status: 413,
      code: 'too-costly',
      diagnostics: `request body exceeds the limit of ${limit} bytes`,
      headers: { Connection: 'close' },
    },
  };
  const declared = Number(req.headers['content-length'] ?? '0');
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve(tooLarge);
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        settle(tooLarge);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => settle({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    const unreadable: BodyResult = {
      ok: false,
      error: { status: 400, code: 'invalid', diagnostics: 'request body could not be read' },
    };
    req.on('error', () => settle(unreadable));
    // A client that disconnects mid-body never sends 'end'; 'close' releases the waiter.
    req.on('close', () => settle(unreadable));
  });
}

const HOST_HEADER = /^[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$/;

/**
 * The base for absolute URLs in responses: `publicBaseUrl` when configured, otherwise
 * `http(s)://<Host header>` (the scheme the request came over), falling back to the bound address
 * when Host is absent or odd.
 */
export function resolveBaseUrl(req: IncomingMessage, publicBaseUrl: string | undefined, fallback: string): string {
  if (publicBaseUrl !== undefined) return publicBaseUrl;
  const host = req.headers.host;
  // The scheme the request came over: https in TLS mode (AUTH-01).
  const scheme = (req.socket as { encrypted?: boolean }).encrypted === true ? 'https' : 'http';
  return host !== undefined && HOST_HEADER.test(host) ? `${scheme}://${host}` : fallback;
}
