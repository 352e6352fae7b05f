/**
 * Three SMART Backend Services clients for the bundled reference server in auth mode
 * (`run --bundled-auth`): fresh key pairs made for this run only (RS384 on RSA-2048 for the
 * primary client, ES384 on P-384 for the second and for the scoped one, which is registered and
 * asks for `system/Patient.rs` only, AUTH-06), the public halves registered with the server, the
 * private halves kept in memory for the harness. Nothing is written to disk.
 */
import { createPublicKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { JWK } from 'jose';
import type { AuthOptions } from '../../reference-server/index.js';
import type { AssertionAlg } from './auth-profile.js';
import { DEFAULT_SCOPE } from './auth-profile.js';
import type { SmartClient } from './token-sources.js';

const generate = promisify(generateKeyPair);

export interface BundledAuth {
  /** Options for the bundled server (public keys only). */
  server: AuthOptions;
  primary: SmartClient;
  secondary: SmartClient;
  /** Registered with, and asking for, SCOPED_CLIENT_SCOPE only (always made by createBundledAuth). */
  scoped?: SmartClient;
}

/** The bundled scoped client's scope: Patient only (AUTH-06). */
export const SCOPED_CLIENT_SCOPE = 'system/Patient.rs';

export interface BundledAuthOptions {
  /** Lifetime of the server's tokens, seconds (short, so that renewal and expiry are exercised). */
  tokenLifetimeSeconds: number;
  requiresAccessToken: boolean;
  /** Prefix of the server's tokens (canary tests). */
  tokenPrefix?: string;
}

async function makeKey(alg: AssertionAlg): Promise<KeyObject> {
  const pair = alg === 'RS384' ? await generate('rsa', { modulusLength: 2048 }) : await generate('ec', { namedCurve: 'P-384' });
  return pair.privateKey;
}

async function makeClient(clientId: string, alg: AssertionAlg, scope = DEFAULT_SCOPE): Promise<{ client: SmartClient; publicJwk: JWK }> {
  const key = await makeKey(alg);
  const kid = `${clientId}-${randomBytes(4).toString('hex')}`;
  const publicJwk: JWK = { ...(createPublicKey(key).export({ format: 'jwk' }) as JWK), kid, alg, use: 'sig' };
  return { client: { clientId, signingKey: { key, alg, kid }, scope }, publicJwk };
}

export async function createBundledAuth(opts: BundledAuthOptions): Promise<BundledAuth> {
  const [a, b, c] = await Promise.all([
    makeClient('bundled-client-a', 'RS384'),
    makeClient('bundled-client-b', 'ES384'),
    makeClient('bundled-client-scoped', 'ES384', SCOPED_CLIENT_SCOPE),
  ]);
  return {
    server: {
      clients: [
        { clientId: a.client.clientId, jwks: { keys: [a.publicJwk] } },
        { clientId: b.client.clientId, jwks: { keys: [b.publicJwk] } },
        { clientId: c.client.clientId, jwks: { keys: [c.publicJwk] }, scopes: [SCOPED_CLIENT_SCOPE] },
      ],
      tokenLifetimeSeconds: opts.tokenLifetimeSeconds,
      requiresAccessToken: opts.requiresAccessToken,
      ...(opts.tokenPrefix === undefined ? {} : { tokenPrefix: opts.tokenPrefix }),
    },
    primary: a.client,
    secondary: b.client,
    scoped: c.client,
  };
}
