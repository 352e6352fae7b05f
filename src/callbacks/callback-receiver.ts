/**
 * The harness's callback receiver: an HTTP listener the target POSTs its callbacks to.
 * Each minted endpoint has a path `…/callbacks/<128-bit random hex>`; a request on any other
 * path is answered 404 and not recorded. Bodies are capped (413 beyond the cap). The
 * receiver never logs anything, so it cannot leak a shared secret; authentication is checked
 * later, by the step that waits (callback-auth.ts).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallbackEndpoint } from './callback-endpoint.js';
import { formatHostForUrl } from './listen-address.js';

export const DEFAULT_CALLBACK_BODY_LIMIT = 1024 * 1024;
const TOKEN_PATH = /\/callbacks\/([0-9a-f]{32})$/;

export interface CallbackReceiverOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /**
   * Base URL the target uses to reach the receiver (tunnel, container network); default
   * `http://<host>:<port>` (a wildcard host is shown as 127.0.0.1).
   */
  publicUrl?: string;
  /** Largest callback body kept; default 1 MiB. */
  maxBodyBytes?: number;
  /** Arrival times; default Date.now. */
  now?: () => number;
}

export class CallbackReceiver {
  private readonly endpoints = new Map<string, CallbackEndpoint>();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    /** Where the receiver listens, e.g. `http://127.0.0.1:41234`. */
    readonly listenUrl: string,
    /** Base of every minted URL (no trailing slash). */
    readonly publicBaseUrl: string,
    private readonly maxBodyBytes: number,
    private readonly now: () => number,
  ) {}

  /** Binds the listener; rejects with a readable message (e.g. the port is in use). */
  static async start(opts: CallbackReceiverOptions): Promise<CallbackReceiver> {
    const server = createServer();
    server.requestTimeout = 30_000;
    server.headersTimeout = 10_000;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => reject(new Error(describeListenError(err, opts.host, opts.port)));
      server.once('error', onError);
      server.listen(opts.port, opts.host, () => {
        server.off('error', onError);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const listenUrl = `http://${formatHostForUrl(opts.host)}:${port}`;
    const receiver = new CallbackReceiver(
      server,
      listenUrl,
      (opts.publicUrl ?? listenUrl).replace(/\/+$/, ''),
      opts.maxBodyBytes ?? DEFAULT_CALLBACK_BODY_LIMIT,
      opts.now ?? Date.now,
    );
    server.on('request', (req: IncomingMessage, res: ServerResponse) => receiver.handle(req, res));
    return receiver;
  }

  /** A fresh endpoint with an unguessable path; `respondStatus` is what its requests are answered. */
  mint(respondStatus = 204): CallbackEndpoint {
    const token = randomBytes(16).toString('hex');
    const endpoint = new CallbackEndpoint(token, `${this.publicBaseUrl}/callbacks/${token}`, respondStatus);
    this.endpoints.set(token, endpoint);
    if (this.closing) endpoint.close();
    return endpoint;
  }

  /** Forgets an endpoint: later requests on its path get 404. */
  release(endpoint: CallbackEndpoint): void {
    this.endpoints.delete(endpoint.token);
  }

  /** Releases every pending wait (`closed`), stops listening and drops open connections. Idempotent. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const endpoint of this.endpoints.values()) endpoint.close();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const token = TOKEN_PATH.exec(path)?.[1];
    const endpoint = token === undefined ? undefined : this.endpoints.get(token);
    if (endpoint === undefined || endpoint.closed) {
      req.resume();
      answer(res, 404, 'no callback is expected on this path\n');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let oversize = false;
    const finish = (): void => {
      const status = oversize ? 413 : endpoint.respondStatus;
      endpoint.record({
        method: req.method ?? '',
        target: req.url ?? '',
        headers: flattenHeaders(req.headers),
        body: Buffer.concat(chunks),
        oversize,
        receivedAt: this.now(),
        answeredStatus: status,
      });
      answer(res, status, oversize ? `callback body over ${this.maxBodyBytes} bytes\n` : '', oversize);
    };
    req.on('data', (chunk: Buffer) => {
      if (oversize) return;
      size += chunk.length;
      if (size > this.maxBodyBytes) {
        oversize = true;
        chunks.push(chunk.subarray(0, chunk.length - (size - this.maxBodyBytes)));
        req.pause();
        finish();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!oversize) finish();
    });
    req.on('error', () => undefined);
  }
}

function answer(res: ServerResponse, status: number, text: string, close = false): void {
  if (res.headersSent) return;
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  if (close) headers['Connection'] = 'close';
  if (status === 204 || text === '') {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
}

function flattenHeaders(raw: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function describeListenError(err: NodeJS.ErrnoException, host: string, port: number): string {
  const where = `${formatHostForUrl(host)}:${port}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return `cannot start the callback receiver: ${where} is already in use (pick another --callback-listen port, or 0 for a free one)`;
    case 'EADDRNOTAVAIL':
      return `cannot start the callback receiver: ${formatHostForUrl(host)} is not an address of this machine (--callback-listen)`;
    case 'EACCES':
      return `cannot start the callback receiver: no permission to listen on ${where}`;
    default:
      return `cannot start the callback receiver on ${where}: ${err.message}`;
  }
}
