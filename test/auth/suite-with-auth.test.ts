import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HeaderValue, RunResult, ScenarioResult } from '../../src/model/results.js';
import { runBundled } from '../helpers/run-bundled.js';
import { closeAllServers, startServer } from '../reference-server/helpers.js';
import { authOptions, CLIENT_A, getToken } from './auth-helpers.js';

afterEach(closeAllServers);

const AUTH_SCENARIOS = [
  'auth.expired-token-refused',
  'auth.files-follow-requires-access-token',
  'auth.malformed-token-refused',
  'auth.other-client-refused',
  'auth.redirect-result-protected',
  'auth.scoped-client-export',
  'auth.status-and-cancel-need-token',
];

function finished(outcome: Awaited<ReturnType<typeof runBundled>>['outcome']): RunResult {
  if (outcome.kind !== 'finished') throw new Error(`run did not finish: ${JSON.stringify(outcome)}`);
  return outcome.run;
}

const notPassed = (run: RunResult): string[] =>
  run.scenarios.filter((s) => s.outcome !== 'passed' && !(s.outcome === 'skipped' && s.reason)).map((s) => `${s.id}: ${s.outcome} ${s.reason ?? ''}`);
const byId = (run: RunResult, id: string): ScenarioResult | undefined => run.scenarios.find((s) => s.id === id);

describe('the whole suite against the bundled server in SMART auth mode (three clients)', () => {
  it('passes every scenario, the auth ones included, with short-lived tokens renewed along the way (requiresAccessToken true)', async () => {
    const log: string[] = [];
    const { outcome, output } = await runBundled({ bundled: { jobDurationMs: 200, log: (line) => log.push(line) }, bundledAuth: { tokenLifetimeSeconds: 4 } });
    const run = finished(outcome);
    expect(notPassed(run), output).toEqual([]);
    // Three clients and one token waited out for expiry make four; more are renewals of 4-second tokens.
    const tokenRequests = log.filter((line) => line.startsWith('POST /auth/token '));
    expect(tokenRequests.length).toBeGreaterThan(4);
    expect(tokenRequests.every((line) => / 200 /.test(line))).toBe(true);
    expect(AUTH_SCENARIOS.map((id) => `${id}: ${byId(run, id)?.outcome ?? 'missing'}`)).toEqual(AUTH_SCENARIOS.map((id) => `${id}: passed`));
    expect(output).toMatch(/auth: SMART Backend Services, client 'bundled-client-a' \(RS384.*token endpoint http:\/\/127\.0\.0\.1:\d+\/auth\/token \(discovered\); second client 'bundled-client-b' \(ES384.*; scoped client 'bundled-client-scoped' \(ES384.* asking for system\/Patient\.rs/);
    expect(run.target.claims).toEqual(expect.arrayContaining(['smart', 'client-isolation']));
    const files = byId(run, 'auth.files-follow-requires-access-token');
    expect(files?.steps.find((s) => s.id === 'download-capability-url')?.reason).toBe("only if requiresAccessToken is 'false'; it is 'true'");
    // AUTH-06: the bundled server refuses the Patient-scoped client an export of every type and grants one of Patient.
    const scoped = byId(run, 'auth.scoped-client-export');
    expect(scoped?.steps.map((s) => `${s.id}: ${s.outcome}`)).toEqual([
      'kickoff-all-types: passed', 'poll-all-types: skipped', 'files-all-types: skipped',
      'kickoff-scoped-types: passed', 'poll-scoped-types: passed', 'files-scoped-types: passed',
      'clean-up-all-types: skipped', 'clean-up-scoped-types: passed',
    ]);
  });

  it('with requiresAccessToken false passes too, and never sends the token to a file URL while status requests carry it', async () => {
    const { outcome, output } = await runBundled({ bundled: { jobDurationMs: 200 }, bundledAuth: { tokenLifetimeSeconds: 4, requiresAccessToken: false } });
    const run = finished(outcome);
    expect(notPassed(run), output).toEqual([]);
    const exchanges = run.scenarios.flatMap((s) => s.exchanges);
    const authorization = (e: (typeof exchanges)[number]): HeaderValue | undefined =>
      Object.entries(e.request.headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
    const fileRequests = exchanges.filter((e) => e.request.url.includes('/_files/'));
    const statusRequests = exchanges.filter((e) => e.request.url.includes('/_async/'));
    expect(fileRequests.length).toBeGreaterThan(5);
    expect(fileRequests.filter((e) => authorization(e) !== undefined).map((e) => `${e.label} ${e.request.url}`)).toEqual([]);
    expect(statusRequests.filter((e) => authorization(e) === 'Bearer <redacted>').length).toBeGreaterThan(5);
    const files = byId(run, 'auth.files-follow-requires-access-token');
    expect(files?.steps.find((s) => s.id === 'download-capability-url')?.outcome).toBe('passed');
  });

  it('skips the auth scenarios, with the reason, when the target claims no SMART', async () => {
    const { outcome } = await runBundled({ grep: ['auth.*'], bundled: { jobDurationMs: 200 } });
    const run = finished(outcome);
    expect(run.scenarios.map((s) => s.outcome)).toEqual(AUTH_SCENARIOS.map(() => 'skipped'));
    expect(byId(run, 'auth.status-and-cancel-need-token')?.reason).toContain('requires smart: the target profile does not claim smart');
  });

  it('runs with a bearer token from an environment variable; the isolation and expiry scenarios are skipped with their reasons', async () => {
    const server = await startServer({ jobDurationMs: 200, auth: authOptions({ tokenLifetimeSeconds: 300 }) });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fac-bearer-'));
    const config = path.join(dir, 'profile.yaml');
    writeFileSync(config, `baseUrl: ${server.baseUrl}\nclaims: [bulk-v2, smart]\nauth: { type: bearer, tokenEnv: FAC_TEST_BEARER_TOKEN }\n`);
    const token = await getToken(server.baseUrl, CLIENT_A, Date.now());
    process.env['FAC_TEST_BEARER_TOKEN'] = token;
    try {
      const { outcome, output, reportsDir } = await runBundled({ configFile: config, grep: ['auth.*'] });
      const run = finished(outcome);
      expect(notPassed(run), output).toEqual([]);
      expect(byId(run, 'auth.other-client-refused')?.reason).toContain('requires second-client: no second client in the target profile');
      expect(byId(run, 'auth.expired-token-refused')?.reason).toContain('set auth.expiredTokenEnv');
      expect(byId(run, 'auth.scoped-client-export')?.reason).toContain('requires scoped-client: no narrowly scoped client in the target profile (auth.scopedClient)');
      expect(byId(run, 'auth.status-and-cancel-need-token')?.outcome).toBe('passed');
      expect(output).toContain('auth: bearer token from $FAC_TEST_BEARER_TOKEN');
      for (const name of ['junit.xml', 'results.json']) expect(readFileSync(path.join(reportsDir, name), 'utf8')).not.toContain(token);
      expect(output).not.toContain(token);
    } finally {
      delete process.env['FAC_TEST_BEARER_TOKEN'];
    }
  });
});
