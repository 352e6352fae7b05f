/**
 * The `auth` server option (SMART Backend Services): the registered clients with their public
 * JWKS and allowed scopes, the lifetime of issued access tokens, and whether export files demand
 * a token (`requiresAccessToken` in the manifest). Validated into a resolved config.
 */
import type { JSONWebKeySet, JWK } from 'jose';

export interface RegisteredClientOptions {
  /** The client_id: the `iss` and `sub` of its client assertions. */
  clientId: string;
  /** Public keys its assertions are signed with (RS384 or ES384); private members are refused. */
  jwks: JSONWebKeySet;
  /** Scopes it may be granted. Default `['system/*.read', 'system/*.rs']`. */
  scopes?: string[];
}

export interface AuthOptions {
  clients: RegisteredClientOptions[];
  /** Lifetime of an access token in seconds. Default 300 (the SMART upper bound). */
  tokenLifetimeSeconds?: number;
  /** Whether export files need the token (the manifest's `requiresAccessToken`). Default true. */
  requiresAccessToken?: boolean;
  /**
   * Prefix of every issued access token. Lets a test search reports for leaked tokens without
   * knowing them; letters, digits, `-`, `_` and `.` only. Default none.
   */
  tokenPrefix?: string;
}

export interface RegisteredClient {
  clientId: string;
  jwks: JSONWebKeySet;
  scopes: readonly string[];
}

export interface ResolvedAuthConfig {
  clients: ReadonlyMap<string, RegisteredClient>;
  tokenLifetimeMs: number;
  requiresAccessToken: boolean;
  tokenPrefix: string;
}

export const DEFAULT_CLIENT_SCOPES: readonly string[] = ['system/*.read', 'system/*.rs'];
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 300;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;
const CLIENT_ID = /^[A-Za-z0-9._~:-]{1,128}$/;
const SCOPE = /^[A-Za-z0-9*./_:-]+$/;

function checkKey(clientId: string, key: JWK, index: number): void {
  const where = `auth client "${clientId}" key ${index + 1}`;
  if (key.kty !== 'RSA' && key.kty !== 'EC') throw new RangeError(`${where}: kty must be RSA or EC, got "${String(key.kty)}"`);
  if (key.kty === 'EC' && key.crv !== 'P-384') throw new RangeError(`${where}: an EC key must be on curve P-384 (ES384), got "${String(key.crv)}"`);
  if (typeof key.kid !== 'string' || key.kid === '') throw new RangeError(`${where}: needs a "kid" (assertions name their key by kid)`);
  for (const member of PRIVATE_MEMBERS) {
    if (member in key) throw new RangeError(`${where}: holds the private member "${member}"; register public keys only`);
  }
}

function resolveClient(client: RegisteredClientOptions): RegisteredClient {
  if (typeof client.clientId !== 'string' || !CLIENT_ID.test(client.clientId)) {
    throw new RangeError(`auth client id ${JSON.stringify(client.clientId)} is invalid (1-128 of A-Z a-z 0-9 . _ ~ : -)`);
  }
  const keys = client.jwks?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new RangeError(`auth client "${client.clientId}": jwks.keys must list at least one public key`);
  keys.forEach((key, i) => checkKey(client.clientId, key, i));
  const scopes = client.scopes ?? DEFAULT_CLIENT_SCOPES;
  for (const scope of scopes) {
    if (!SCOPE.test(scope)) throw new RangeError(`auth client "${client.clientId}": scope ${JSON.stringify(scope)} is invalid`);
  }
  return { clientId: client.clientId, jwks: { keys: keys.map((k) => ({ ...k })) }, scopes: [...scopes] };
}

/** Applies defaults and validates; undefined when auth is off. Throws RangeError on bad options. */
export function resolveAuthOptions(opts: AuthOptions | undefined): ResolvedAuthConfig | undefined {
  if (opts === undefined) return undefined;
  if (!Array.isArray(opts.clients) || opts.clients.length === 0) throw new RangeError('auth.clients must register at least one client');
  const clients = new Map<string, RegisteredClient>();
  for (const client of opts.clients) {
    const resolved = resolveClient(client);
    if (clients.has(resolved.clientId)) throw new RangeError(`auth client "${resolved.clientId}" is registered twice`);
    clients.set(resolved.clientId, resolved);
  }
  const lifetime = opts.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > 86_400) {
    throw new RangeError(`auth.tokenLifetimeSeconds must be an integer from 1 to 86400, got ${String(lifetime)}`);
  }
  const prefix = opts.tokenPrefix ?? '';
  if (!/^[A-Za-z0-9._-]{0,64}$/.test(prefix)) throw new RangeError('auth.tokenPrefix may hold only letters, digits, ".", "_" and "-" (64 at most)');
  return { clients, tokenLifetimeMs: lifetime * 1000, requiresAccessToken: opts.requiresAccessToken ?? true, tokenPrefix: prefix };
}
