/**
 * One SMART Backend Services token request: sign a client assertion (RFC 7523: iss = sub =
 * client_id, aud = token endpoint, exp four minutes ahead, a fresh jti; header alg, kid, typ)
 * and POST it with grant_type=client_credentials. A refusal is reported with the server's OAuth
 * error and error_description, which names the rejected claim when the server says so.
 * The assertion and the token are handed to `onSecret` before anything could record them.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { sendAuthRequest, type AuthHttpOptions } from './auth-http.js';
import type { SigningKey } from './load-private-key.js';

export interface TokenRequest {
  clientId: string;
  signingKey: SigningKey;
  scope: string;
  tokenEndpoint: string;
  /** Clock for iat/exp (ms since the epoch). */
  now: number;
  onSecret: (value: string) => void;
}

export interface IssuedAccessToken {
  accessToken: string;
  /** When it expires (ms since the epoch, by the harness clock). */
  expiresAt: number;
  /** Lifetime the server granted, in seconds. */
  expiresIn: number;
  scope: string;
}

export type TokenResult = { ok: true; token: IssuedAccessToken } | { ok: false; error: string };

const ASSERTION_LIFETIME_S = 240;
/** Without expires_in the token is assumed to last this long (SMART suggests at most 5 minutes). */
const DEFAULT_EXPIRES_IN_S = 300;

async function signAssertion(req: TokenRequest): Promise<string> {
  const iat = Math.floor(req.now / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: req.signingKey.alg, kid: req.signingKey.kid, typ: 'JWT' })
    .setIssuer(req.clientId)
    .setSubject(req.clientId)
    .setAudience(req.tokenEndpoint)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ASSERTION_LIFETIME_S)
    .setJti(randomUUID())
    .sign(req.signingKey.key);
}

function describeRefusal(status: number, json: unknown): string {
  const body = (json ?? {}) as { error?: unknown; error_description?: unknown };
  const error = typeof body.error === 'string' ? body.error : undefined;
  const description = typeof body.error_description === 'string' ? body.error_description : undefined;
  if (error === undefined) return `${status} without an OAuth error body`;
  return `${status} ${error}${description ? `: ${description}` : ''}`;
}

export async function requestToken(req: TokenRequest, opts: AuthHttpOptions): Promise<TokenResult> {
  const assertion = await signAssertion(req);
  req.onSecret(assertion);
  const body = new URLSearchParams({
    scope: req.scope,
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  }).toString();
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
  const res = await sendAuthRequest(req.tokenEndpoint, { method: 'POST', headers, body }, opts);
  const who = `token request for client '${req.clientId}' to ${req.tokenEndpoint}`;
  if (!res.ok) return { ok: false, error: `${who} failed: ${res.error}` };
  const json = (res.json ?? {}) as { access_token?: unknown; token_type?: unknown; expires_in?: unknown; scope?: unknown };
  if (typeof json.access_token === 'string') req.onSecret(json.access_token);
  if (res.status !== 200) return { ok: false, error: `${who} was refused: ${describeRefusal(res.status, res.json)}` };
  if (typeof json.access_token !== 'string' || json.access_token === '') return { ok: false, error: `${who}: the 200 answer has no access_token` };
  if (typeof json.token_type !== 'string' || json.token_type.toLowerCase() !== 'bearer') {
    return { ok: false, error: `${who}: token_type is ${JSON.stringify(json.token_type ?? null)}, not bearer` };
  }
  const expiresIn = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : DEFAULT_EXPIRES_IN_S;
  const scope = typeof json.scope === 'string' ? json.scope : req.scope;
  return { ok: true, token: { accessToken: json.access_token, expiresAt: req.now + expiresIn * 1000, expiresIn, scope } };
}
