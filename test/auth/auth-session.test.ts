import { afterEach, describe, expect, it } from 'vitest';
import { discoverTokenEndpoint } from '../../src/auth/discover-token-endpoint.js';
import { requestToken } from '../../src/auth/request-token.js';
import { setUpAuth, type AuthSetupInput } from '../../src/auth/set-up-auth.js';
import { TokenCache } from '../../src/auth/token-cache.js';
import type { SmartClient } from '../../src/auth/token-sources.js';
import { sendWithAuth } from '../../src/auth/send-with-auth.js';
import type { AuthSession } from '../../src/auth/auth-session.js';
import type { HttpClient, HttpResponse } from '../../src/http/client.js';
import { Redactor } from '../../src/http/redact.js';
import type { Clock } from '../../src/runner/clock.js';
import { closeAllServers, createFakeClock, startServer, type FakeClock } from '../reference-server/helpers.js';
import { authOptions, CLIENT_A, CLIENT_B, makeClient, type TestClient } from './auth-helpers.js';

afterEach(closeAllServers);

const signal = new AbortController().signal;
const http = { timeoutMs: 5_000, signal };

/** A harness clock on the server's fake time: sleeping moves time on at once. */
function steppingClock(fake: FakeClock): Clock & { slept: number } {
  const clock = {
    slept: 0,
    now: () => fake.now(),
    sleep: (ms: number) => {
      clock.slept += ms;
      fake.advance(ms);
      return Promise.resolve();
    },
  };
  return clock;
}

const smart = (c: TestClient, scope = 'system/*.read'): SmartClient => ({ clientId: c.clientId, signingKey: { key: c.privateKey, alg: c.alg, kid: c.kid }, scope });
const CLIENT_C = makeClient('client-c', 'ES384');

/**
 * A session on the bundled server with clients A and B; with `scoped`, also client C, registered
 * with `scoped.registered` and asking for `scoped.asks`.
 */
async function session(opts: { lifetime?: number; scoped?: { registered: string[]; asks: string } } = {}): Promise<{ auth: AuthSession; baseUrl: string; fake: FakeClock; clock: ReturnType<typeof steppingClock>; redactor: Redactor; variables: Record<string, string>; missing: string | undefined }> {
  const fake = createFakeClock();
  const base = authOptions({ tokenLifetimeSeconds: opts.lifetime ?? 60 });
  const scopedClient = opts.scoped ? [{ clientId: CLIENT_C.clientId, jwks: { keys: [CLIENT_C.publicJwk] }, scopes: opts.scoped.registered }] : [];
  const { baseUrl } = await startServer({ clock: fake, jobDurationMs: 0, auth: { ...base, clients: [...base.clients, ...scopedClient] } });
  const clock = steppingClock(fake);
  const redactor = new Redactor();
  const input: AuthSetupInput = {
    profile: undefined, profileDir: '.', baseUrl, env: {}, clock, redactor, requestTimeoutMs: 5_000, signal,
    bundled: { server: { clients: [] }, primary: smart(CLIENT_A), secondary: smart(CLIENT_B), ...(opts.scoped ? { scoped: smart(CLIENT_C, opts.scoped.asks) } : {}) },
  };
  const setup = await setUpAuth(input);
  if (!setup.ok || setup.session === undefined) throw new Error(`no session: ${setup.ok ? 'none' : setup.error}`);
  return { auth: setup.session, baseUrl, fake, clock, redactor, variables: setup.variables, missing: setup.claims?.scopedClientUnavailable };
}

const get = (url: string, headers: Record<string, string> = {}) => ({ method: 'GET', url, headers });
const manifestResponse = (body: unknown): HttpResponse => ({ status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) });

describe('token request and discovery', () => {
  it('discovers the token endpoint, gets a token and hands the assertion and the token over as secrets first', async () => {
    const fake = createFakeClock();
    const { baseUrl } = await startServer({ clock: fake, auth: authOptions() });
    const found = await discoverTokenEndpoint(baseUrl, undefined, http);
    expect(found).toEqual({ ok: true, tokenEndpoint: `${baseUrl}/auth/token`, how: 'discovered' });
    const secrets: string[] = [];
    const result = await requestToken({ ...smart(CLIENT_A), tokenEndpoint: `${baseUrl}/auth/token`, now: fake.now(), onSecret: (s) => secrets.push(s) }, http);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.token.expiresIn).toBe(60);
      expect(secrets).toContain(result.token.accessToken);
      expect(secrets.some((s) => s.startsWith('eyJ'))).toBe(true);
    }
  });

  it('reports a refused token request with the rejected claim', async () => {
    const fake = createFakeClock();
    const { baseUrl } = await startServer({ clock: fake, auth: authOptions() });
    const result = await requestToken({ ...smart(CLIENT_A), clientId: 'nobody', tokenEndpoint: `${baseUrl}/auth/token`, now: fake.now(), onSecret: () => undefined }, http);
    expect(result).toEqual({ ok: false, error: expect.stringContaining(`token request for client 'nobody' to ${baseUrl}/auth/token was refused: 400 invalid_client: client assertion rejected (iss): iss "nobody" is not a registered client_id`) as unknown });
    const stale = await requestToken({ ...smart(CLIENT_A), tokenEndpoint: `${baseUrl}/auth/token`, now: fake.now() - 3_600_000, onSecret: () => undefined }, http);
    expect(!stale.ok && stale.error).toContain('(exp)');
  });

  it('refuses plain-http token endpoints off loopback, and says how to fix a failed discovery', async () => {
    expect(await discoverTokenEndpoint('http://127.0.0.1:1', 'http://auth.example.invalid/token', http)).toEqual({ ok: false, error: expect.stringContaining('must use https') as unknown });
    const { baseUrl } = await startServer({});
    const failed = await discoverTokenEndpoint(baseUrl, undefined, http);
    expect(!failed.ok && failed.error).toMatch(/SMART discovery failed: GET .* answered 404 \(or set auth.tokenEndpoint/);
  });
});

describe('token cache', () => {
  it('reuses a token until a quarter of its lifetime is left, then renews it; concurrent callers share one request', async () => {
    const fake = createFakeClock();
    const { baseUrl } = await startServer({ clock: fake, auth: authOptions({ tokenLifetimeSeconds: 60 }) });
    const cache = new TokenCache((s) => requestToken({ ...smart(CLIENT_A), tokenEndpoint: `${baseUrl}/auth/token`, now: fake.now(), onSecret: () => undefined }, { timeoutMs: 5_000, signal: s }), fake);
    const first = await Promise.all([1, 2, 3, 4].map(() => cache.get(signal)));
    expect(cache.fetched).toBe(1);
    const token = first[0]?.ok ? first[0].token.accessToken : '';
    expect(first.every((r) => r.ok && r.token.accessToken === token)).toBe(true);
    fake.advance(44_000);
    const same = await cache.get(signal);
    expect(same.ok && same.token.accessToken).toBe(token);
    fake.advance(2_000);
    const renewed = await cache.get(signal);
    expect(cache.fetched).toBe(2);
    expect(renewed.ok && renewed.token.accessToken).not.toBe(token);
  });
});

describe('auth session: where a token may go', () => {
  it('sends the token to the target origin only, and nothing with auth: none', async () => {
    const { auth, baseUrl } = await session();
    const own = await auth.authorize(get(`${baseUrl}/$export`), undefined, signal);
    expect(own.ok && own.request.headers['Authorization']).toMatch(/^Bearer /);
    const foreign = await auth.authorize(get('http://127.0.0.2:9/file.ndjson'), 'primary', signal);
    expect(foreign.ok && foreign.request.headers['Authorization']).toBeUndefined();
    const none = await auth.authorize(get(`${baseUrl}/$export`, { authorization: 'Bearer from-profile' }), 'none', signal);
    expect(none.ok && Object.keys(none.request.headers)).toEqual([]);
  });

  it('follows the manifest: requiresAccessToken true lets the token go to its file server, false keeps it away even on the same origin', async () => {
    const { auth, baseUrl } = await session();
    auth.observe(manifestResponse({ requiresAccessToken: true, output: [{ type: 'Patient', url: 'http://127.0.0.2:9/files/a.ndjson' }] }));
    auth.observe(manifestResponse({ requiresAccessToken: false, output: [{ type: 'Patient', url: `${baseUrl}/_files/k/open.ndjson` }], error: [{ url: `${baseUrl}/_files/k/err.ndjson` }] }));
    const remote = await auth.authorize(get('http://127.0.0.2:9/files/a.ndjson'), undefined, signal);
    expect(remote.ok && remote.request.headers['Authorization']).toMatch(/^Bearer /);
    for (const mode of [undefined, 'primary', 'secondary', 'expired'] as const) {
      const open = await auth.authorize(get(`${baseUrl}/_files/k/open.ndjson`, { Authorization: 'Bearer x' }), mode, signal);
      expect(open.ok && open.request.headers['Authorization']).toBeUndefined();
    }
    const err = await auth.authorize(get(`${baseUrl}/_files/k/err.ndjson`), undefined, signal);
    expect(err.ok && err.request.headers['Authorization']).toBeUndefined();
  });

  it("gives the second client's token, a malformed token, and a token waited out until it expired", async () => {
    const { auth, baseUrl, clock } = await session({ lifetime: 30 });
    const url = `${baseUrl}/$export`;
    const first = await auth.authorize(get(url), 'primary', signal);
    const second = await auth.authorize(get(url), 'secondary', signal);
    const malformed = await auth.authorize(get(url), 'malformed', signal);
    const header = (r: typeof first): string => (r.ok ? String(r.request.headers['Authorization'] ?? '') : '');
    expect(new Set([header(first), header(second), header(malformed)]).size).toBe(3);
    expect(header(malformed)).toMatch(/^Bearer malformed\./);
    expect(auth.expiredTokenUnavailable()).toBeUndefined();
    const expired = await auth.authorize(get(url), 'expired', signal);
    expect(clock.slept).toBeGreaterThanOrEqual(30_000);
    const res = await fetch(url, { headers: { Prefer: 'respond-async', Authorization: header(expired) } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('expired');
  });

  it("gives the scoped client's token for auth: scoped, and the types its granted scope allows as run variables", async () => {
    const { auth, baseUrl, variables, missing } = await session({ scoped: { registered: ['system/Patient.rs', 'system/Observation.read'], asks: 'system/Patient.rs system/Observation.read' } });
    expect(missing).toBeUndefined();
    expect(auth.scopedTypes()).toEqual({ ok: true, types: ['Observation', 'Patient'] });
    expect(variables).toEqual({ scopedTypes: 'Observation,Patient', scopedTypesPattern: '^(?:Observation|Patient)$' });
    const scoped = await auth.authorize(get(`${baseUrl}/$export`), 'scoped', signal);
    const primary = await auth.authorize(get(`${baseUrl}/$export`), 'primary', signal);
    const header = (r: typeof scoped): string => (r.ok ? String(r.request.headers['Authorization'] ?? '') : '');
    expect(header(scoped)).toMatch(/^Bearer /);
    expect(header(scoped)).not.toBe(header(primary));
    // The bundled server refuses the scoped token an export of every type, and grants one of its types.
    expect((await fetch(`${baseUrl}/$export`, { headers: { Prefer: 'respond-async', Authorization: header(scoped) } })).status).toBe(403);
    expect((await fetch(`${baseUrl}/$export?_type=Patient`, { headers: { Prefer: 'respond-async', Authorization: header(scoped) } })).status).toBe(202);
  });

  it('has no scoped client to test with when its granted scope covers every type, and says why', async () => {
    const { auth, variables, missing } = await session({ scoped: { registered: ['system/*.read'], asks: 'system/*.read' } });
    expect(missing).toBe("the scoped client was granted 'system/*.read', which is not limited to some resource types: 'system/*.read' covers every resource type");
    expect(auth.scopedTypes().ok).toBe(false);
    expect(variables).toEqual({});
  });

  it('without a scoped client, auth: scoped is refused with the reason', async () => {
    const { auth, baseUrl, missing } = await session();
    expect(missing).toBe('no narrowly scoped client in the target profile (auth.scopedClient)');
    const attempt = await auth.authorize(get(`${baseUrl}/$export`), 'scoped', signal);
    expect(!attempt.ok && attempt.reason).toContain('auth.scopedClient');
  });

  it('says why no expired token can be had when tokens outlive auth.maxExpiryWait', async () => {
    const { auth, baseUrl } = await session({ lifetime: 300 });
    expect(auth.expiredTokenUnavailable()).toMatch(/tokens live 300s, longer than auth.maxExpiryWait \(60s\)/);
    const attempt = await auth.authorize(get(`${baseUrl}/$export`), 'expired', signal);
    expect(!attempt.ok && attempt.reason).toContain('no expired token: tokens live 300s');
  });

  it('without auth configured, a step asking for a token is not sent and says why', async () => {
    const redactor = new Redactor();
    const client = { send: () => Promise.reject(new Error('must not send')) } as unknown as HttpClient;
    const result = await sendWithAuth({ client, redactor }, { req: get('http://127.0.0.1:1/x'), auth: 'secondary', label: 'step', signal });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain('auth: secondary, but the target profile configures no auth');
    expect(result.exchange.error).toBe(!result.ok ? result.error : '');
  });
});
