/**
 * Checks a SMART Backend Services client assertion (RFC 7523 private_key_jwt): a JWS signed with
 * RS384 or ES384 by a key in the client's registered JWKS (found by `kid`), `iss` = `sub` = the
 * client_id, `aud` = this token endpoint, `exp` in the future but at most five minutes ahead, and
 * a `jti` the client has not used before. A failure names the claim that was rejected.
 */
import { compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import type { RegisteredClient } from './auth-config.js';
import type { AuthRuntime } from './auth-runtime.js';

export const ASSERTION_ALGORITHMS = ['RS384', 'ES384'] as const;
/** SMART: exp "SHALL be no more than five minutes in the future"; a little clock skew is forgiven. */
const MAX_LIFETIME_MS = 5 * 60_000;
const SKEW_MS = 10_000;

export type AssertionCheck =
  | { ok: true; client: RegisteredClient }
  | { ok: false; claim: string; description: string };

interface VerifyContext {
  runtime: AuthRuntime;
  /** The absolute token endpoint URL the assertion's aud must name. */
  tokenEndpoint: string;
  now: number;
}

const reject = (claim: string, description: string): AssertionCheck => ({ ok: false, claim, description });

function decode(assertion: string): { header: ProtectedHeaderParameters; payload: JWTPayload } | undefined {
  try {
    return { header: decodeProtectedHeader(assertion), payload: decodeJwt(assertion) };
  } catch {
    return undefined;
  }
}

async function verifySignature(assertion: string, client: RegisteredClient, kid: string): Promise<AssertionCheck> {
  if (!client.jwks.keys.some((k) => k.kid === kid)) {
    return reject('kid', `kid "${kid}" matches no key in the JWKS registered for client "${client.clientId}"`);
  }
  try {
    await compactVerify(assertion, createLocalJWKSet(client.jwks), { algorithms: [...ASSERTION_ALGORITHMS] });
    return { ok: true, client };
  } catch {
    return reject('signature', `the signature does not verify against key "${kid}" registered for client "${client.clientId}" (wrong key, or a key type that does not fit alg)`);
  }
}

function checkAudience(aud: JWTPayload['aud'], tokenEndpoint: string): AssertionCheck | undefined {
  const list = aud === undefined ? [] : [aud].flat();
  if (list.includes(tokenEndpoint)) return undefined;
  const shown = aud === undefined ? 'missing' : JSON.stringify(aud);
  return reject('aud', `aud ${shown} is not this token endpoint (${tokenEndpoint})`);
}

function checkExpiry(exp: unknown, now: number): AssertionCheck | undefined {
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return reject('exp', 'exp is missing or not a number of seconds since the epoch');
  const at = exp * 1000;
  if (at <= now) return reject('exp', `exp ${exp} has passed (server time ${Math.floor(now / 1000)})`);
  if (at > now + MAX_LIFETIME_MS + SKEW_MS) return reject('exp', `exp ${exp} is more than five minutes in the future (server time ${Math.floor(now / 1000)})`);
  return undefined;
}

/** Verifies the assertion; on success its jti is recorded so that it cannot be used again. */
export async function verifyClientAssertion(assertion: string, ctx: VerifyContext): Promise<AssertionCheck> {
  const decoded = decode(assertion);
  if (decoded === undefined) return reject('client_assertion', 'client_assertion is not a compact JWS (header.payload.signature, base64url JSON)');
  const { header, payload } = decoded;
  if (!(ASSERTION_ALGORITHMS as readonly unknown[]).includes(header.alg)) {
    return reject('alg', `alg ${JSON.stringify(header.alg ?? null)} is not accepted; use ${ASSERTION_ALGORITHMS.join(' or ')}`);
  }
  if (typeof header.kid !== 'string' || header.kid === '') return reject('kid', 'the JWS header has no kid naming the signing key');
  const client = typeof payload.iss === 'string' ? ctx.runtime.config.clients.get(payload.iss) : undefined;
  if (client === undefined) return reject('iss', `iss ${JSON.stringify(payload.iss ?? null)} is not a registered client_id`);
  const signature = await verifySignature(assertion, client, header.kid);
  if (!signature.ok) return signature;
  if (payload.sub !== payload.iss) return reject('sub', `sub ${JSON.stringify(payload.sub ?? null)} must equal iss (the client_id "${client.clientId}")`);
  const problem = checkAudience(payload.aud, ctx.tokenEndpoint) ?? checkExpiry(payload.exp, ctx.now);
  if (problem !== undefined) return problem;
  if (typeof payload.jti !== 'string' || payload.jti === '') return reject('jti', 'jti is missing (a unique id per assertion is required)');
  if (!ctx.runtime.useJti(client.clientId, payload.jti, (payload.exp ?? 0) * 1000)) {
    return reject('jti', `jti ${JSON.stringify(payload.jti)} was already used by client "${client.clientId}" (a replayed assertion)`);
  }
  return { ok: true, client };
}
