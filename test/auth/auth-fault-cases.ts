/**
 * Demonstrations of the auth faults (run by test/reference-server/faults.test.ts against a
 * server in auth mode with clients A and B): each shows the protected point it opens.
 */
import { expect } from 'vitest';
import type { ReferenceServerOptions } from '../../reference-server/index.js';
import type { FakeClock } from '../reference-server/helpers.js';
import { authOptions, bearer, CLIENT_A, CLIENT_B, getToken, makeClient } from './auth-helpers.js';

export interface AuthFaultDemo {
  shows: string;
  server: Omit<ReferenceServerOptions, 'clock' | 'faults'>;
  run(baseUrl: string, clock: FakeClock): Promise<void>;
}

const ASYNC = { Prefer: 'respond-async', Accept: 'application/fhir+json' };

/** Client A's token and a running export it started. */
async function startAsA(baseUrl: string, clock: FakeClock): Promise<{ token: string; statusUrl: string }> {
  const token = await getToken(baseUrl, CLIENT_A, clock.now());
  const res = await fetch(`${baseUrl}/$export`, { headers: bearer(token, ASYNC) });
  expect(res.status).toBe(202);
  await res.arrayBuffer();
  return { token, statusUrl: res.headers.get('content-location') ?? '' };
}

async function statusOf(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<number> {
  const res = await fetch(url, { method, headers });
  await res.arrayBuffer();
  return res.status;
}

const server = { auth: authOptions() };
/** A third client registered for Patient only (AUTH-06). */
const SCOPED = makeClient('client-scoped', 'ES384');
const scopedServer = { auth: authOptions({ clients: [...authOptions().clients, { clientId: SCOPED.clientId, jwks: { keys: [SCOPED.publicJwk] }, scopes: ['system/Patient.rs'] }] }) };

export const AUTH_FAULT_CASES: Record<string, AuthFaultDemo> = {
  'status-open-without-token': {
    shows: 'a status poll without a token gets 202',
    server,
    async run(baseUrl, clock) {
      const { statusUrl } = await startAsA(baseUrl, clock);
      expect(await statusOf(statusUrl)).toBe(202);
      expect(await statusOf(statusUrl, {}, 'DELETE')).toBe(401);
    },
  },
  'cancel-open-without-token': {
    shows: 'a DELETE without a token cancels the job',
    server,
    async run(baseUrl, clock) {
      const { token, statusUrl } = await startAsA(baseUrl, clock);
      expect(await statusOf(statusUrl)).toBe(401);
      expect(await statusOf(statusUrl, {}, 'DELETE')).toBe(202);
      expect(await statusOf(statusUrl, bearer(token))).toBe(404);
    },
  },
  'files-open-without-token': {
    shows: 'a file download without a token gets 200 although requiresAccessToken is true',
    server,
    async run(baseUrl, clock) {
      const { token, statusUrl } = await startAsA(baseUrl, clock);
      clock.advance(1_000);
      const manifest = (await (await fetch(statusUrl, { headers: bearer(token) })).json()) as { requiresAccessToken: unknown; output: { url: string }[] };
      expect(manifest.requiresAccessToken).toBe(true);
      const res = await fetch(manifest.output[0]?.url ?? '');
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('"resourceType"');
    },
  },
  'expired-token-accepted': {
    shows: 'a token past its expiry still gets the status',
    server,
    async run(baseUrl, clock) {
      const { token, statusUrl } = await startAsA(baseUrl, clock);
      clock.advance(61_000);
      expect(await statusOf(statusUrl, bearer(token))).toBe(200);
      expect(await statusOf(statusUrl)).toBe(401);
    },
  },
  'unknown-token-accepted': {
    shows: 'a Bearer value the server never issued gets the status',
    server,
    async run(baseUrl, clock) {
      const { statusUrl } = await startAsA(baseUrl, clock);
      expect(await statusOf(statusUrl, bearer('not-a-token'))).toBe(202);
      expect(await statusOf(statusUrl)).toBe(401);
    },
  },
  'other-client-token-accepted': {
    shows: "client B's token gets client A's status, and its DELETE cancels A's job",
    server,
    async run(baseUrl, clock) {
      const { token, statusUrl } = await startAsA(baseUrl, clock);
      const other = await getToken(baseUrl, CLIENT_B, clock.now());
      expect(await statusOf(statusUrl, bearer(other))).toBe(202);
      expect(await statusOf(statusUrl, bearer(other), 'DELETE')).toBe(202);
      expect(await statusOf(statusUrl, bearer(token))).toBe(404);
    },
  },
  'export-scopes-ignored': {
    shows: 'a token scoped to system/Patient.rs gets an export of every type, Observation included',
    server: scopedServer,
    async run(baseUrl, clock) {
      const token = await getToken(baseUrl, SCOPED, clock.now(), 'system/Patient.rs');
      const res = await fetch(`${baseUrl}/$export`, { headers: bearer(token, ASYNC) });
      await res.arrayBuffer();
      expect(res.status).toBe(202);
      clock.advance(1_000);
      const manifest = (await (await fetch(res.headers.get('content-location') ?? '', { headers: bearer(token) })).json()) as { output: { type: string }[] };
      expect(manifest.output.map((o) => o.type)).toContain('Observation');
    },
  },
};
