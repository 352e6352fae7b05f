/** Test clients (fresh key pairs) and a minimal, independent SMART token client for the auth tests. */
import { generateKeyPairSync, randomUUID, createPublicKey, type KeyObject } from 'node:crypto';
import { SignJWT, type JWK } from 'jose';
import type { AuthOptions } from '../../reference-server/index.js';

export interface TestClient {
  clientId: string;
  alg: 'RS384' | 'ES384';
  kid: string;
  privateKey: KeyObject;
  publicJwk: JWK;
}

export function makeClient(clientId: string, alg: 'RS384' | 'ES384'): TestClient {
  const { privateKey } =
    alg === 'RS384' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const kid = `${clientId}-key`;
  const publicJwk: JWK = { ...(createPublicKey(privateKey).export({ format: 'jwk' }) as JWK), kid };
  return { clientId, alg, kid, privateKey, publicJwk };
}

export const CLIENT_A = makeClient('client-a', 'RS384');
export const CLIENT_B = makeClient('client-b', 'ES384');

export function authOptions(over: Partial<AuthOptions> = {}): AuthOptions {
  return {
    clients: [
      { clientId: CLIENT_A.clientId, jwks: { keys: [CLIENT_A.publicJwk] } },
      { clientId: CLIENT_B.clientId, jwks: { keys: [CLIENT_B.publicJwk] } },
    ],
    tokenLifetimeSeconds: 60,
    ...over,
  };
}

export interface AssertionClaims {
  aud: string;
  /** Clock of the server under test (ms). */
  now: number;
  iss?: string;
  sub?: string;
  exp?: number | null;
  jti?: string | null;
  kid?: string;
  /** Sign with another client's key (a wrong signature). */
  signWith?: TestClient;
}

export async function signAssertion(client: TestClient, claims: AssertionClaims): Promise<string> {
  const iat = Math.floor(claims.now / 1000);
  const payload: Record<string, unknown> = { iss: claims.iss ?? client.clientId, sub: claims.sub ?? client.clientId, aud: claims.aud, iat };
  if (claims.exp !== null) payload['exp'] = claims.exp ?? iat + 240;
  if (claims.jti !== null) payload['jti'] = claims.jti ?? randomUUID();
  const signer = claims.signWith ?? client;
  return new SignJWT(payload).setProtectedHeader({ alg: signer.alg, kid: claims.kid ?? client.kid, typ: 'JWT' }).sign(signer.privateKey);
}

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export async function postToken(baseUrl: string, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${baseUrl}/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A valid access token for `client` from the server at `baseUrl` (whose clock reads `now`). */
export async function getToken(baseUrl: string, client: TestClient, now: number, scope = 'system/*.read'): Promise<string> {
  const assertion = await signAssertion(client, { aud: `${baseUrl}/auth/token`, now });
  const { status, body } = await postToken(baseUrl, { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: assertion, scope });
  if (status !== 200 || typeof body['access_token'] !== 'string') throw new Error(`token request failed: ${status} ${JSON.stringify(body)}`);
  return body['access_token'];
}

export function bearer(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${token}`, ...extra };
}
