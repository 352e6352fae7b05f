import { rootCertificates, type TLSSocket } from 'node:tls';
import { Agent, buildConnector, request, type Dispatcher } from 'undici';
import type { Exchange, HeaderValue } from '../model/results.js';
import type { Redactor } from './redact.js';

export interface HttpClientOptions {
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  /** Responses larger than this are cut off and reported as a harness error. */
  maxBodyBytes: number;
  /** How much of each body is kept in the exchange record. */
  excerptBytes: number;
  redactor: Redactor;
  /**
   * Extra trust anchors (PEM) for https, on top of the system's: `--ca`, or the bundled server's
   * own certificate in TLS mode. Certificates are always verified; this never turns that off.
   */
  ca?: string[];
}

export interface OutgoingRequest {
  method: string;
  url: string;
  /** A list value goes out as separate header lines (undici writes one line per item). */
  headers: Record<string, HeaderValue>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated fields joined with ", " as RFC 9110 §5.3 allows. */
  headers: Record<string, string>;
  body: Buffer;
}

export type SendResult =
  | { ok: true; response: HttpResponse; exchange: Exchange }
  | { ok: false; error: string; exchange: Exchange };

/**
 * An undici-based client: never follows redirects, a deadline on every request, a body cap. It
 * notes the TLS version negotiated with each https origin (AUTH-01; node refuses below TLS 1.2
 * by default, so an https exchange that happened used 1.2 or later).
 */
export class HttpClient {
  private readonly agent: Agent;
  /** Negotiated TLS version by origin (`https://host:port`), e.g. `TLSv1.3`. */
  private readonly tlsVersions = new Map<string, string>();

  constructor(private readonly opts: HttpClientOptions) {
    const connector = buildConnector({ timeout: opts.connectTimeoutMs, ...(opts.ca?.length ? { ca: [...rootCertificates, ...opts.ca] } : {}) });
    this.agent = new Agent({
      connect: (options, callback) => {
        connector(options, (...args) => {
          // On an error undici passes no socket (null or undefined).
          const [, socket] = args;
          const version = socket && 'getProtocol' in socket ? (socket as TLSSocket).getProtocol() : null;
          if (version !== null) this.tlsVersions.set(originOf(options), version);
          callback(...args);
        });
      },
      headersTimeout: opts.requestTimeoutMs,
      bodyTimeout: opts.requestTimeoutMs,
    });
  }

  /** The dispatcher of this client (same trust anchors), for streamed downloads and token requests. */
  get dispatcher(): Dispatcher {
    return this.agent;
  }

  /** The TLS version negotiated with the URL's origin, once a connection was made (undefined for http). */
  tlsVersionFor(url: string): string | undefined {
    try {
      return this.tlsVersions.get(new URL(url).origin);
    } catch {
      return undefined;
    }
  }

  async send(req: OutgoingRequest, label: string, signal: AbortSignal): Promise<SendResult> {
    const started = Date.now();
    const exchange: Exchange = {
      label,
      request: {
        method: req.method,
        url: this.opts.redactor.text(req.url),
        headers: this.opts.redactor.headers(req.headers),
        ...(req.body === undefined ? {} : { bodyExcerpt: this.excerpt(Buffer.from(req.body)) }),
      },
      startedAt: new Date(started).toISOString(),
      durationMs: 0,
    };
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(this.opts.requestTimeoutMs)]);
    try {
      const res = await request(req.url, {
        method: req.method as 'GET',
        headers: req.headers,
        body: req.body,
        signal: deadline,
        dispatcher: this.agent,
      });
      const headers = flattenHeaders(res.headers);
      const { body, overflow } = await readCapped(res.body, this.opts.maxBodyBytes);
      exchange.durationMs = Date.now() - started;
      const tls = this.tlsVersionFor(req.url);
      if (tls !== undefined) exchange.tls = tls;
      exchange.response = {
        status: res.statusCode,
        headers: this.opts.redactor.headers(headers),
        bodyExcerpt: this.excerpt(body),
        bodyBytes: body.length,
        truncated: body.length > this.opts.excerptBytes || overflow,
      };
      if (overflow) {
        const error = `response body larger than the ${this.opts.maxBodyBytes}-byte cap (raise --max-body)`;
        exchange.error = error;
        return { ok: false, error, exchange };
      }
      return { ok: true, response: { status: res.statusCode, headers, body }, exchange };
    } catch (e) {
      exchange.durationMs = Date.now() - started;
      const error = describeTransportError(e, req, this.opts, signal);
      exchange.error = error;
      return { ok: false, error, exchange };
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private excerpt(body: Buffer): string {
    return this.opts.redactor.text(body.subarray(0, this.opts.excerptBytes).toString('utf8'));
  }
}

/** `https://host:port` of undici's connect options, spelled as `URL.origin` spells it. */
function originOf(options: buildConnector.Options): string {
  try {
    const host = options.hostname.includes(':') && !options.hostname.startsWith('[') ? `[${options.hostname}]` : options.hostname;
    return new URL(`${options.protocol}//${host}${options.port ? `:${options.port}` : ''}`).origin;
  } catch {
    return '';
  }
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

async function readCapped(stream: AsyncIterable<Buffer> & { destroy(): void }, cap: number): Promise<{ body: Buffer; overflow: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > cap) {
      chunks.push(chunk.subarray(0, Math.max(0, chunk.length - (size - cap))));
      stream.destroy();
      return { body: Buffer.concat(chunks), overflow: true };
    }
    chunks.push(chunk);
  }
  return { body: Buffer.concat(chunks), overflow: false };
}

function describeTransportError(e: unknown, req: OutgoingRequest, opts: HttpClientOptions, outer: AbortSignal): string {
  const err = e as { code?: string; name?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code;
  const where = `${req.method} ${opts.redactor.text(req.url)}`;
  if (outer.aborted) return `${where}: aborted (${String(outer.reason instanceof Error ? outer.reason.message : outer.reason ?? 'scenario deadline')})`;
  switch (code) {
    case 'ECONNREFUSED': return `${where}: connection refused (is the target running?)`;
    case 'ENOTFOUND': case 'EAI_AGAIN': return `${where}: host name not found`;
    case 'ECONNRESET': return `${where}: connection reset by the target`;
    case 'UND_ERR_CONNECT_TIMEOUT': return `${where}: could not connect within ${opts.connectTimeoutMs / 1000}s`;
    case 'UND_ERR_HEADERS_TIMEOUT': return `${where}: no response headers within ${opts.requestTimeoutMs / 1000}s`;
    case 'UND_ERR_BODY_TIMEOUT': return `${where}: response body stalled for ${opts.requestTimeoutMs / 1000}s`;
    case 'UND_ERR_SOCKET': return `${where}: the target closed the connection (${err.cause?.message ?? err.message ?? 'socket error'})`;
    default:
      break;
  }
  // Certificate verification is never turned off: an untrusted or mismatched certificate stops the request.
  if (code !== undefined && /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code)) {
    return `${where}: the TLS certificate was not accepted (${code}: ${err.cause?.message ?? err.message ?? ''}); if the target uses a private CA, trust it with --ca FILE`;
  }
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `${where}: no complete response within ${opts.requestTimeoutMs / 1000}s`;
  return `${where}: ${err.message ?? String(e)}`;
}
