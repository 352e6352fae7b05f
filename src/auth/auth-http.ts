/**
 * The two HTTP calls of token acquisition (discovery GET, token POST), kept out of the exchange
 * records on purpose: the request carries a client assertion and the response an access token.
 * A deadline on each, no redirects, a small body cap; transport trouble becomes a message.
 */
import { request, type Dispatcher } from 'undici';

export interface AuthHttpOptions {
  timeoutMs: number;
  signal: AbortSignal;
  /** The run's dispatcher (its trust anchors for https); default undici's global one. */
  dispatcher?: Dispatcher;
}

export type AuthHttpResult =
  | { ok: true; status: number; contentType: string; json: unknown; text: string }
  | { ok: false; error: string };

const MAX_BODY = 256 * 1024;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/i;

/** https anywhere; plain http only to a loopback host (a test server). A message otherwise. */
export function checkAuthUrl(raw: string, what: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `${what} '${raw}' is not an absolute URL`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK.test(url.hostname)) return undefined;
  return `${what} '${raw}' must use https (plain http is allowed only on a loopback address)`;
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function sendAuthRequest(
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  opts: AuthHttpOptions,
): Promise<AuthHttpResult> {
  const signal = AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)]);
  try {
    const res = await request(url, { method: init.method, headers: init.headers, body: init.body, signal, ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}) });
    const text = await readCapped(res.body);
    if (text === undefined) return { ok: false, error: `${init.method} ${url}: the response is larger than ${MAX_BODY} bytes` };
    const contentType = String(res.headers['content-type'] ?? '');
    let json: unknown;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      json = undefined;
    }
    return { ok: true, status: res.statusCode, contentType, json, text };
  } catch (e) {
    const err = e as { code?: string; message?: string; cause?: { code?: string } };
    if (opts.signal.aborted) return { ok: false, error: `${init.method} ${url}: aborted` };
    if (signal.aborted) return { ok: false, error: `${init.method} ${url}: no answer within ${opts.timeoutMs / 1000}s` };
    const code = err.code ?? err.cause?.code;
    if (code === 'ECONNREFUSED') return { ok: false, error: `${init.method} ${url}: connection refused` };
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { ok: false, error: `${init.method} ${url}: host name not found` };
    return { ok: false, error: `${init.method} ${url}: ${err.message ?? String(e)}` };
  }
}
