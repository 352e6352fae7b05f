/**
 * The `callbacks` server option. The secret and token never appear in the resolved config
 * as plain fields: they live in closures behind `sign()` / `authorization()`, so logging or
 * serialising the config cannot leak them.
 */
import { createHmac } from 'node:crypto';

export interface CallbackOptions {
  /** HMAC-SHA256 key; when set, each callback carries `X-Callback-Signature: sha256=<hex>`. */
  secret?: string;
  /** When set, each callback carries `Authorization: Bearer <token>`. */
  bearerToken?: string;
  /** Hosts a callback-url may name. Default loopback only: 127.0.0.1, ::1, localhost. */
  allowHosts?: string[];
  /** Deadline of one callback POST. Default 5000 ms. */
  timeoutMs?: number;
}

export interface CallbackCredentials {
  readonly signs: boolean;
  readonly authorizes: boolean;
  /** `sha256=<hex HMAC-SHA256 of body>`, or undefined without a secret. */
  sign(body: string): string | undefined;
  /** `Bearer <token>`, or undefined without a token. */
  authorization(): string | undefined;
}

export interface ResolvedCallbackConfig {
  /** Normalised host names (lower case, IPv6 without brackets). */
  allowHosts: readonly string[];
  timeoutMs: number;
  credentials: CallbackCredentials;
}

export const DEFAULT_CALLBACK_HOSTS: readonly string[] = ['127.0.0.1', '::1', 'localhost'];
export const DEFAULT_CALLBACK_TIMEOUT_MS = 5_000;
const MAX_CALLBACK_TIMEOUT_MS = 60_000;
// RFC 6750 b64token: nothing that could break out of the header line.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Normalises a host the way the WHATWG URL parser does (so 0x7f.1 equals 127.0.0.1). */
export function normaliseHost(host: string): string | undefined {
  const trimmed = host.trim();
  if (trimmed === '' || /[\s/?#@]/.test(trimmed)) return undefined;
  const bare = trimmed.replace(/^\[(.*)\]$/, '$1');
  try {
    const parsed = new URL(`http://${bare.includes(':') ? `[${bare}]` : bare}/`);
    return parsed.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  } catch {
    return undefined;
  }
}

function createCredentials(secret: string | undefined, bearerToken: string | undefined): CallbackCredentials {
  return {
    signs: secret !== undefined,
    authorizes: bearerToken !== undefined,
    sign: (body) =>
      secret === undefined ? undefined : `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`,
    authorization: () => (bearerToken === undefined ? undefined : `Bearer ${bearerToken}`),
  };
}

function resolveAllowHosts(hosts: readonly string[]): string[] {
  return hosts.map((host, index) => {
    const normalised = typeof host === 'string' ? normaliseHost(host) : undefined;
    if (normalised === undefined) {
      throw new RangeError(`callbacks.allowHosts[${index}] must be a host name or IP address, got "${String(host)}"`);
    }
    return normalised;
  });
}

/** Applies defaults and validates; throws RangeError on a bad value (never echoing secrets). */
export function resolveCallbackOptions(opts: CallbackOptions = {}): ResolvedCallbackConfig {
  if (opts.secret !== undefined && (typeof opts.secret !== 'string' || opts.secret === '')) {
    throw new RangeError('callbacks.secret must be a non-empty string');
  }
  if (opts.bearerToken !== undefined && (typeof opts.bearerToken !== 'string' || !B64TOKEN.test(opts.bearerToken))) {
    throw new RangeError('callbacks.bearerToken must be a non-empty RFC 6750 b64token (letters, digits, -._~+/ and trailing =)');
  }
  const timeoutMs = opts.timeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_CALLBACK_TIMEOUT_MS) {
    throw new RangeError(`callbacks.timeoutMs must be an integer from 1 to ${MAX_CALLBACK_TIMEOUT_MS}, got ${String(timeoutMs)}`);
  }
  return {
    allowHosts: resolveAllowHosts(opts.allowHosts ?? DEFAULT_CALLBACK_HOSTS),
    timeoutMs,
    credentials: createCredentials(opts.secret, opts.bearerToken),
  };
}
