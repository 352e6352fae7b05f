import { afterEach, describe, expect, it } from 'vitest';
import { closeAllServers, createFakeClock, startServer, type FakeClock } from '../reference-server/helpers.js';
import { authOptions, bearer, CLIENT_A, CLIENT_B, getToken } from './auth-helpers.js';

afterEach(closeAllServers);

const ASYNC = { Prefer: 'respond-async', Accept: 'application/fhir+json' };
interface Manifest { requiresAccessToken: unknown; output: { url: string }[] }

async function serve(over = {}): Promise<{ baseUrl: string; clock: FakeClock; a: string; b: string }> {
  const clock = createFakeClock();
  const { baseUrl } = await startServer({ clock, jobDurationMs: 1_000, auth: authOptions(over) });
  return { baseUrl, clock, a: await getToken(baseUrl, CLIENT_A, clock.now()), b: await getToken(baseUrl, CLIENT_B, clock.now()) };
}

async function call(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; body: string; challenge: string | null }> {
  const res = await fetch(url, { method, headers });
  return { status: res.status, body: await res.text(), challenge: res.headers.get('www-authenticate') };
}

async function finishedExport(baseUrl: string, clock: FakeClock, token: string): Promise<{ statusUrl: string; manifest: Manifest }> {
  const kick = await fetch(`${baseUrl}/$export`, { headers: bearer(token, ASYNC) });
  expect(kick.status).toBe(202);
  await kick.arrayBuffer();
  const statusUrl = kick.headers.get('content-location') ?? '';
  clock.advance(1_000);
  const res = await fetch(statusUrl, { headers: bearer(token) });
  expect(res.status).toBe(200);
  return { statusUrl, manifest: (await res.json()) as Manifest };
}

describe('auth mode: what needs a token', () => {
  it('refuses a kick-off without a token (401, WWW-Authenticate: Bearer) and with a malformed or expired one (invalid_token)', async () => {
    const { baseUrl, clock, a } = await serve({ tokenLifetimeSeconds: 60 });
    const none = await call(`${baseUrl}/$export`, ASYNC);
    expect(none.status).toBe(401);
    expect(none.challenge).toMatch(/^Bearer realm=/);
    expect(JSON.parse(none.body)).toMatchObject({ resourceType: 'OperationOutcome' });
    const malformed = await call(`${baseUrl}/$export`, bearer('garbage', ASYNC));
    expect(malformed.status).toBe(401);
    expect(malformed.challenge).toContain('error="invalid_token"');
    clock.advance(60_000);
    const expired = await call(`${baseUrl}/$export`, bearer(a, ASYNC));
    expect(expired.status).toBe(401);
    expect(expired.challenge).toContain('expired');
  });

  it('leaves /metadata and discovery open, and guards FHIR interactions', async () => {
    const { baseUrl, a } = await serve();
    expect((await call(`${baseUrl}/metadata`)).status).toBe(200);
    expect((await call(`${baseUrl}/.well-known/smart-configuration`)).status).toBe(200);
    expect((await call(`${baseUrl}/Patient/p1`)).status).toBe(401);
    expect((await call(`${baseUrl}/Patient/p1`, bearer(a))).status).toBe(200);
  });

  it('refuses an export to a token without a system read scope (403 insufficient_scope)', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, auth: { clients: [{ clientId: CLIENT_A.clientId, jwks: { keys: [CLIENT_A.publicJwk] }, scopes: ['system/Patient.c'] }] } });
    const token = await getToken(baseUrl, CLIENT_A, clock.now(), 'system/Patient.c');
    const res = await call(`${baseUrl}/$export`, bearer(token, ASYNC));
    expect(res.status).toBe(403);
    expect(res.challenge).toContain('insufficient_scope');
  });

  it('refuses an export of types the scopes do not cover (AUTH-06), and accepts one they cover', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock, auth: { clients: [{ clientId: CLIENT_A.clientId, jwks: { keys: [CLIENT_A.publicJwk] }, scopes: ['system/Patient.rs'] }] } });
    const token = await getToken(baseUrl, CLIENT_A, clock.now(), 'system/Patient.rs');
    const everything = await call(`${baseUrl}/$export`, bearer(token, ASYNC));
    expect(everything.status).toBe(403);
    expect(everything.body).toContain('name them in _type');
    const mixed = await call(`${baseUrl}/$export?_type=Patient,Observation`, bearer(token, ASYNC));
    expect(mixed.status).toBe(403);
    expect(mixed.body).toContain('do not cover Observation');
    expect((await call(`${baseUrl}/$export?_type=Patient`, bearer(token, ASYNC))).status).toBe(202);
  });

  it('protects status, DELETE and files (requiresAccessToken true in the manifest) and serves them with the token', async () => {
    const { baseUrl, clock, a } = await serve();
    const { statusUrl, manifest } = await finishedExport(baseUrl, clock, a);
    expect(manifest.requiresAccessToken).toBe(true);
    const file = manifest.output[0]?.url ?? '';
    expect((await call(statusUrl)).status).toBe(401);
    expect((await call(file)).status).toBe(401);
    expect((await call(file, bearer('garbage'))).status).toBe(401);
    expect((await call(file, bearer(a))).status).toBe(200);
    expect((await call(statusUrl, {}, 'DELETE')).status).toBe(401);
    expect((await call(statusUrl, bearer(a), 'DELETE')).status).toBe(202);
    expect((await call(statusUrl, bearer(a))).status).toBe(404);
  });

  it('with requiresAccessToken false, files are capability URLs (no token needed) while status stays protected', async () => {
    const { baseUrl, clock, a } = await serve({ requiresAccessToken: false });
    const { statusUrl, manifest } = await finishedExport(baseUrl, clock, a);
    expect(manifest.requiresAccessToken).toBe(false);
    expect((await call(manifest.output[0]?.url ?? '')).status).toBe(200);
    expect((await call(statusUrl)).status).toBe(401);
  });
});

describe('auth mode: a job belongs to the client that started it', () => {
  it("answers another client's status, file and DELETE requests 404 with no job data, and keeps the job", async () => {
    const { baseUrl, clock, a, b } = await serve();
    const { statusUrl, manifest } = await finishedExport(baseUrl, clock, a);
    const status = await call(statusUrl, bearer(b));
    expect(status.status).toBe(404);
    expect(status.body).not.toContain('output');
    const file = await call(manifest.output[0]?.url ?? '', bearer(b));
    expect(file.status).toBe(404);
    expect(file.body).not.toContain('"Patient"');
    expect((await call(statusUrl, bearer(b), 'DELETE')).status).toBe(404);
    expect((await call(statusUrl, bearer(a))).status).toBe(200);
  });

  it("keeps a redirect-mode result to its client", async () => {
    const { baseUrl, clock, a, b } = await serve();
    const kick = await fetch(`${baseUrl}/Patient/p1`, { headers: bearer(a, { Prefer: 'respond-async, async-mode=redirect', Accept: 'application/fhir+json' }) });
    expect(kick.status).toBe(202);
    await kick.arrayBuffer();
    clock.advance(5_000);
    const done = await fetch(kick.headers.get('content-location') ?? '', { headers: bearer(a), redirect: 'manual' });
    expect(done.status).toBe(303);
    const result = done.headers.get('location') ?? '';
    expect((await call(result, bearer(b))).status).toBe(404);
    expect((await call(result)).status).toBe(401);
    expect((await call(result, bearer(a))).status).toBe(200);
  });
});
