import { afterEach, describe, expect, it } from 'vitest';
import { closeAllServers, createFakeClock, startServer, type FakeClock } from '../reference-server/helpers.js';
import { authOptions, CLIENT_A, CLIENT_B, JWT_BEARER, makeClient, postToken, signAssertion, type AssertionClaims } from './auth-helpers.js';

/** An RSA key that is not client A's: an assertion naming A's kid but signed with it is forged. */
const IMPOSTOR = makeClient('impostor', 'RS384');

afterEach(closeAllServers);

async function authServer(over = {}): Promise<{ baseUrl: string; clock: FakeClock; tokenUrl: string }> {
  const clock = createFakeClock();
  const { baseUrl } = await startServer({ clock, auth: authOptions(over) });
  return { baseUrl, clock, tokenUrl: `${baseUrl}/auth/token` };
}

const form = (assertion: string, scope = 'system/*.read'): Record<string, string> => ({
  grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: assertion, scope,
});

describe('SMART discovery', () => {
  it('names the token endpoint and what it accepts', async () => {
    const { baseUrl, tokenUrl } = await authServer();
    const res = await fetch(`${baseUrl}/.well-known/smart-configuration`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc['token_endpoint']).toBe(tokenUrl);
    expect(doc['token_endpoint_auth_methods_supported']).toEqual(['private_key_jwt']);
    expect(doc['token_endpoint_auth_signing_alg_values_supported']).toEqual(['RS384', 'ES384']);
    expect(doc['grant_types_supported']).toEqual(['client_credentials']);
  });

  it('answers 404 for discovery and the token endpoint when auth is off', async () => {
    const { baseUrl } = await startServer({});
    expect((await fetch(`${baseUrl}/.well-known/smart-configuration`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/auth/token`, { method: 'POST', body: 'x=1' })).status).toBe(404);
  });
});

describe('token endpoint', () => {
  it('issues a short-lived bearer token with the granted scopes (RS384 and ES384 clients)', async () => {
    const { baseUrl, clock, tokenUrl } = await authServer({ tokenLifetimeSeconds: 120 });
    for (const client of [CLIENT_A, CLIENT_B]) {
      const { status, body } = await postToken(baseUrl, form(await signAssertion(client, { aud: tokenUrl, now: clock.now() }), 'system/*.read system/Patient.write'));
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body['token_type']).toBe('bearer');
      expect(body['expires_in']).toBe(120);
      expect(body['scope']).toBe('system/*.read');
      expect(typeof body['access_token']).toBe('string');
    }
  });

  type Case = [string, string, (tokenUrl: string, now: number) => Promise<string>];
  const rejected: Case[] = [
    ['alg', 'alg "HS256"', async () => 'eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJjbGllbnQtYSJ9.c2ln'],
    ['kid', 'kid "nope" matches no key', (aud, now) => signAssertion(CLIENT_A, { aud, now, kid: 'nope' })],
    ['iss', 'iss "stranger" is not a registered client_id', (aud, now) => signAssertion(CLIENT_A, { aud, now, iss: 'stranger', sub: 'stranger' })],
    ['signature', 'signature does not verify', (aud, now) => signAssertion(CLIENT_A, { aud, now, signWith: IMPOSTOR })],
    ['sub', 'sub "someone-else" must equal iss', (aud, now) => signAssertion(CLIENT_A, { aud, now, sub: 'someone-else' })],
    ['aud', 'is not this token endpoint', (_aud, now) => signAssertion(CLIENT_A, { aud: 'https://elsewhere.invalid/token', now })],
    ['exp', 'exp is missing', (aud, now) => signAssertion(CLIENT_A, { aud, now, exp: null })],
    ['exp', 'has passed', (aud, now) => signAssertion(CLIENT_A, { aud, now, exp: Math.floor(now / 1000) - 1 })],
    ['exp', 'more than five minutes in the future', (aud, now) => signAssertion(CLIENT_A, { aud, now, exp: Math.floor(now / 1000) + 600 })],
    ['jti', 'jti is missing', (aud, now) => signAssertion(CLIENT_A, { aud, now, jti: null })],
    ['client_assertion', 'not a compact JWS', async () => 'not-a-jwt'],
  ];

  it.each(rejected)('rejects an assertion with a bad %s, naming it (%s)', async (claim, words, make) => {
    const { baseUrl, clock, tokenUrl } = await authServer();
    const { status, body } = await postToken(baseUrl, form(await make(tokenUrl, clock.now())));
    expect(status).toBe(400);
    expect(body['error']).toBe('invalid_client');
    expect(String(body['error_description'])).toContain(`(${claim})`);
    expect(String(body['error_description'])).toContain(words);
    expect(body['access_token']).toBeUndefined();
  });

  it('refuses a replayed assertion (same jti) and accepts a fresh one', async () => {
    const { baseUrl, clock, tokenUrl } = await authServer();
    const claims: AssertionClaims = { aud: tokenUrl, now: clock.now(), jti: 'once-only' };
    const assertion = await signAssertion(CLIENT_A, claims);
    expect((await postToken(baseUrl, form(assertion))).status).toBe(200);
    const replay = await postToken(baseUrl, form(assertion));
    expect(replay.status).toBe(400);
    expect(String(replay.body['error_description'])).toContain('(jti)');
    expect(String(replay.body['error_description'])).toContain('already used');
    expect((await postToken(baseUrl, form(await signAssertion(CLIENT_A, { aud: tokenUrl, now: clock.now() }))))).toMatchObject({ status: 200 });
  });

  it('refuses another grant type, assertion type, body type, a missing assertion and scopes the client may not have', async () => {
    const { baseUrl, clock, tokenUrl } = await authServer({ clients: [{ clientId: CLIENT_A.clientId, jwks: { keys: [CLIENT_A.publicJwk] }, scopes: ['system/Patient.read'] }] });
    const good = await signAssertion(CLIENT_A, { aud: tokenUrl, now: clock.now() });
    expect((await postToken(baseUrl, { ...form(good), grant_type: 'password' })).body['error']).toBe('unsupported_grant_type');
    expect((await postToken(baseUrl, { ...form(good), client_assertion_type: 'x' })).body['error']).toBe('invalid_request');
    expect((await postToken(baseUrl, { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER })).body['error']).toBe('invalid_request');
    const json = await fetch(tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(form(good)) });
    expect(((await json.json()) as Record<string, unknown>)['error']).toBe('invalid_request');
    const scope = await postToken(baseUrl, form(await signAssertion(CLIENT_A, { aud: tokenUrl, now: clock.now() }), 'system/Observation.read'));
    expect(scope.status).toBe(400);
    expect(scope.body['error']).toBe('invalid_scope');
    const narrowed = await postToken(baseUrl, form(await signAssertion(CLIENT_A, { aud: tokenUrl, now: clock.now() }), 'system/Patient.rs system/Observation.rs'));
    expect(narrowed.body['scope']).toBe('system/Patient.rs');
  });
});
