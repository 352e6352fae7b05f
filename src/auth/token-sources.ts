/**
 * Where a client's access tokens come from: a SMART Backend Services client (signed assertion,
 * cached, renewed before expiry) or a fixed bearer token (from an environment variable).
 */
import type { Clock } from '../runner/clock.js';
import type { AuthHttpOptions } from './auth-http.js';
import type { SigningKey } from './load-private-key.js';
import { requestToken, type TokenResult } from './request-token.js';
import { TokenCache } from './token-cache.js';

export interface TokenSource {
  /** For messages: "client 'x' (RS384, kid k1)" or "bearer token from $VAR". */
  readonly label: string;
  /** A token good for now (cached; renewed before expiry). */
  current(signal: AbortSignal): Promise<TokenResult>;
  /** A newly issued token, bypassing the cache; undefined when this source cannot issue tokens. */
  fresh?: (signal: AbortSignal) => Promise<TokenResult>;
}

export interface SmartClient {
  clientId: string;
  signingKey: SigningKey;
  scope: string;
}

export interface SmartSourceOptions {
  client: SmartClient;
  tokenEndpoint: string;
  clock: Pick<Clock, 'now'>;
  http: Omit<AuthHttpOptions, 'signal'>;
  onSecret: (value: string) => void;
}

export function createSmartSource(opts: SmartSourceOptions): TokenSource & { cache: TokenCache } {
  const { client } = opts;
  const fetchToken = (signal: AbortSignal): Promise<TokenResult> =>
    requestToken(
      { clientId: client.clientId, signingKey: client.signingKey, scope: client.scope, tokenEndpoint: opts.tokenEndpoint, now: opts.clock.now(), onSecret: opts.onSecret },
      { ...opts.http, signal },
    );
  const cache = new TokenCache(fetchToken, opts.clock);
  return {
    label: `client '${client.clientId}' (${client.signingKey.alg}, kid ${client.signingKey.kid})`,
    current: (signal) => cache.get(signal),
    fresh: fetchToken,
    cache,
  };
}

/** A token handed over as is; it never expires as far as the harness knows. */
export function createStaticSource(label: string, accessToken: string): TokenSource {
  const token = { accessToken, expiresAt: Number.MAX_SAFE_INTEGER, expiresIn: Number.MAX_SAFE_INTEGER, scope: '' };
  return { label, current: () => Promise.resolve({ ok: true, token }) };
}
