/**
 * One callback POST over node:http / node:https, with a deadline and no retries
 * (CALLBACK-02). Never rejects: a network error, a timeout or a non-2xx answer is a
 * DeliveryResult the caller logs. No keep-alive: the connection closes after the answer.
 */
import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface CallbackRequest {
  url: URL;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Aborts the POST (server closing). */
  signal?: AbortSignal;
}

export type DeliveryResult =
  | { ok: true; status: number }
  | { ok: false; status: number | undefined; reason: string };

export type PostCallback = (req: CallbackRequest) => Promise<DeliveryResult>;

function openRequest(url: URL, options: RequestOptions, onResponse: (res: IncomingMessage) => void): ClientRequest {
  return url.protocol === 'https:' ? httpsRequest(url, options, onResponse) : httpRequest(url, options, onResponse);
}

/** Sends the POST and resolves with what happened, within `timeoutMs`. */
export const postCallback: PostCallback = (cb) =>
  new Promise<DeliveryResult>((resolve) => {
    const body = Buffer.from(cb.body, 'utf8');
    const deadline = new AbortController();
    let settled = false;
    let status: number | undefined;
    const onOuterAbort = (): void => settle({ ok: false, status, reason: 'aborted (server closing)' });
    const timer = setTimeout(() => settle({ ok: false, status, reason: `no answer within ${cb.timeoutMs} ms` }), cb.timeoutMs);
    function settle(result: DeliveryResult): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cb.signal?.removeEventListener('abort', onOuterAbort);
      deadline.abort();
      resolve(result);
    }
    if (cb.signal?.aborted === true) {
      settle({ ok: false, status: undefined, reason: 'aborted before sending' });
      return;
    }
    cb.signal?.addEventListener('abort', onOuterAbort, { once: true });
    const options: RequestOptions = {
      method: 'POST',
      agent: false,
      signal: deadline.signal,
      headers: { ...cb.headers, 'Content-Length': String(body.length), Connection: 'close' },
    };
    const req = openRequest(cb.url, options, (res) => {
      status = res.statusCode;
      res.on('error', () => undefined);
      res.on('end', () => {
        const code = res.statusCode ?? 0;
        settle(code >= 200 && code < 300 ? { ok: true, status: code } : { ok: false, status: code, reason: `answered ${code}` });
      });
      res.resume();
    });
    req.on('error', (err) => settle({ ok: false, status, reason: err.message }));
    req.end(body);
  });
