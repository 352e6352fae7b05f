import { afterAll, describe, expect, it } from 'vitest';
import { FAULTS } from '../../reference-server/index.js';
import type { RunResult, ScenarioResult } from '../../src/model/results.js';
import { runBundled } from '../helpers/run-bundled.js';
import { loadFaultMatrix, writeFaultMatrix, type FaultExpectation } from './fault-matrix.js';

const matrix = loadFaultMatrix();
const UPDATE = process.env['UPDATE_FAULT_MATRIX'] === '1';
/** `FAULTS=a,b` runs (and, with UPDATE_FAULT_MATRIX=1, rewrites) only those rows: for work on a few faults. */
const ONLY = (process.env['FAULTS'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const faultsToRun = ONLY.length ? FAULTS.filter((f) => ONLY.includes(f.name)) : FAULTS;
const observed: Record<string, FaultExpectation> = {};

/**
 * Fault runs use Retry-After: 0 (pacing off) so the matrix runs fast; a fault that needs pacing to
 * show says so in its row. The clean server is run both ways.
 */
async function finishedRun(faults: string[], server: FaultExpectation['server'] = {}): Promise<{ run: RunResult; exitCode: number; output: string }> {
  const { outcome, output } = await runBundled({
    bundled: {
      faults,
      jobDurationMs: server.jobDurationMs ?? 200,
      retryAfter: { form: 'seconds', seconds: server.retryAfterSeconds ?? 0 },
      ...(server.bulkVersion ? { bulkVersion: server.bulkVersion } : {}),
      ...(server.tls ? { tls: true } : {}),
      ...(server.maxJobs === undefined ? {} : { maxJobs: server.maxJobs }),
    },
    ...(server.only ? { grep: server.only, concurrency: 1 } : {}),
    ...(server.bulkVersion ? { profileTags: [server.bulkVersion === 'v3' ? ('bulk-v3' as const) : ('bulk-v4' as const)] } : {}),
    ...(server.auth ? { bundledAuth: { tokenLifetimeSeconds: 6 } } : {}),
  });
  if (outcome.kind !== 'finished') throw new Error(`run did not finish: ${JSON.stringify(outcome)}`);
  return { run: outcome.run, exitCode: outcome.exitCode, output };
}

const ids = (scenarios: ScenarioResult[], outcome: ScenarioResult['outcome']): string[] =>
  scenarios.filter((s) => s.outcome === outcome).map((s) => s.id).sort();

describe('self-test: the suite against its own reference server', () => {
  it.each([0, 1])('passes every scenario on the clean server with Retry-After %i (skips only with a reason)', async (retryAfter) => {
    const { run, exitCode, output } = await finishedRun([], { retryAfterSeconds: retryAfter });
    const notPassed = run.scenarios.filter((s) => s.outcome !== 'passed' && !(s.outcome === 'skipped' && s.reason));
    expect(notPassed.map((s) => `${s.id}: ${s.outcome}`), output).toEqual([]);
    expect(exitCode).toBe(0);
    expect(run.scenarios.length).toBeGreaterThan(0);
  });

  it('passes every scenario on the clean server in its Bulk Data 4.0 shape, judged as bulk-v4', async () => {
    const { outcome, output } = await runBundled({ profileTags: ['bulk-v4'], bundled: { bulkVersion: 'v4', jobDurationMs: 200, retryAfter: { form: 'seconds', seconds: 0 } } });
    if (outcome.kind !== 'finished') throw new Error(JSON.stringify(outcome));
    const notPassed = outcome.run.scenarios.filter((s) => s.outcome !== 'passed' && !(s.outcome === 'skipped' && s.reason));
    expect(notPassed.map((s) => `${s.id}: ${s.outcome}`), output).toEqual([]);
    // The v4-only scenarios really ran.
    expect(outcome.run.scenarios.find((s) => s.id === 'kickoff.maximum-file-size')?.outcome).toBe('passed');
    expect(outcome.exitCode).toBe(0);
  });

  it('passes every scenario on the clean server in its Bulk Data v3 shape, judged as bulk-v3 (GET with organizeOutputBy runs)', async () => {
    const { run, exitCode, output } = await finishedRun([], { bulkVersion: 'v3' });
    const notPassed = run.scenarios.filter((s) => s.outcome !== 'passed' && !(s.outcome === 'skipped' && s.reason));
    expect(notPassed.map((s) => `${s.id}: ${s.outcome}`), output).toEqual([]);
    // The scenarios only a v3 shape runs (GET kick-off with v3 parameters) really ran.
    for (const id of ['files.organized-by-patient-get', 'files.organized-by-patient-post', 'manifest.partial-manifests']) expect(run.scenarios.find((s) => s.id === id)?.outcome, id).toBe('passed');
    expect(exitCode).toBe(0);
  });

  it('passes every scenario on the clean server in TLS mode (https; the tls scenarios really run)', async () => {
    const { run, exitCode, output } = await finishedRun([], { tls: true });
    const notPassed = run.scenarios.filter((s) => s.outcome !== 'passed' && !(s.outcome === 'skipped' && s.reason));
    expect(notPassed.map((s) => `${s.id}: ${s.outcome}`), output).toEqual([]);
    expect(run.target.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:/);
    for (const id of ['tls.https-bulk-urls', 'tls.https-redirect-urls']) expect(run.scenarios.find((s) => s.id === id)?.outcome, id).toBe('passed');
    // The negotiated TLS version is recorded with every https exchange (node refuses below 1.2).
    const versions = new Set(run.scenarios.flatMap((s) => s.exchanges).filter((e) => e.request.url.startsWith('https:')).map((e) => e.tls));
    expect([...versions].every((v) => v === 'TLSv1.2' || v === 'TLSv1.3'), [...versions].join(', ')).toBe(true);
    expect(exitCode).toBe(0);
  });

  // A row restricted to a few scenarios on a small job store (server.only): that same run passes clean.
  const restricted = [...new Map(Object.values(matrix).flatMap((e) => (e.server?.only ? [[JSON.stringify(e.server), e.server] as const] : []))).values()];
  it.each(restricted.map((s) => [JSON.stringify(s), s] as const))('passes the restricted run %s on the clean server', async (_label, server) => {
    const { run, exitCode, output } = await finishedRun([], server);
    expect(run.scenarios.map((s) => `${s.id}: ${s.outcome}`), output).toEqual((server.only ?? []).map((id) => `${id}: passed`));
    expect(exitCode).toBe(0);
  });

  it('has an expected row for every fault, and no row for a fault that does not exist', () => {
    expect(Object.keys(matrix).sort()).toEqual(FAULTS.map((f) => f.name).sort());
  });

  describe.concurrent.each(faultsToRun.map((f) => [f.name, f.requirement] as const))('fault %s (%s)', (fault, requirement) => {
    // An empty row means no scenario catches this fault yet: a coverage gap, visible in the matrix.
    // The run must then pass, so a scenario that starts catching it forces the row to be updated.
    it('fails (or warns) exactly the expected scenarios, on the broken requirement, and nothing errors', async () => {
      const expected = matrix[fault] ?? { failed: [], warned: [] };
      const { run, exitCode, output } = await finishedRun([fault], expected.server);
      if (UPDATE) observed[fault] = { failed: ids(run.scenarios, 'failed'), warned: ids(run.scenarios, 'warned'), ...(expected.server ? { server: expected.server } : {}) };
      if (!UPDATE) {
        expect(ids(run.scenarios, 'failed'), output).toEqual([...expected.failed].sort());
        expect(ids(run.scenarios, 'warned'), output).toEqual([...expected.warned].sort());
      }
      expect(run.scenarios.filter((s) => s.outcome === 'errored').map((s) => `${s.id}: ${s.reason}`)).toEqual([]);
      for (const scenario of run.scenarios.filter((s) => s.outcome === 'failed' || s.outcome === 'warned')) {
        expect(scenario.requirements, `${scenario.id} ${scenario.outcome} under this fault but does not cite ${requirement}`).toContain(requirement);
        const severity = scenario.outcome === 'failed' ? 'failure' : 'warning';
        const broken = scenario.checks.filter((c) => !c.passed && c.severity === severity).map((c) => c.requirement);
        expect(broken, `${scenario.id} should ${scenario.outcome === 'failed' ? 'fail' : 'warn'} on ${requirement}`).toContain(requirement);
      }
      if (!UPDATE) expect(exitCode).toBe(expected.failed.length ? 1 : 0);
    });
  });

  afterAll(() => {
    if (UPDATE && Object.keys(observed).length === faultsToRun.length) writeFaultMatrix({ ...matrix, ...observed });
  });
});
