import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FAULTS } from '../../reference-server/index.js';
import type { RunResult } from '../../src/model/results.js';
import { runBundled } from '../helpers/run-bundled.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const matrix = parse(readFileSync(path.join(here, 'fault-matrix.yaml'), 'utf8')) as Record<string, string[]>;

async function finishedRun(faults: string[]): Promise<{ run: RunResult; exitCode: number; output: string }> {
  const { outcome, output } = await runBundled({ bundled: { faults, jobDurationMs: 300 } });
  if (outcome.kind !== 'finished') throw new Error(`run did not finish: ${JSON.stringify(outcome)}`);
  return { run: outcome.run, exitCode: outcome.exitCode, output };
}

describe('self-test: the suite against its own reference server', () => {
  it('passes every scenario on the clean server (skips only with a reason)', async () => {
    const { run, exitCode, output } = await finishedRun([]);
    const notPassed = run.scenarios.filter((s) => s.outcome !== 'passed' && !(s.outcome === 'skipped' && s.reason));
    expect(notPassed.map((s) => `${s.id}: ${s.outcome}`), output).toEqual([]);
    expect(exitCode).toBe(0);
    expect(run.scenarios.length).toBeGreaterThan(0);
  });

  it('has an expected-failure row for every fault, and no row for a fault that does not exist', () => {
    expect(Object.keys(matrix).sort()).toEqual(FAULTS.map((f) => f.name).sort());
  });

  describe.concurrent.each(FAULTS.map((f) => [f.name, f.requirement] as const))('fault %s (%s)', (fault, requirement) => {
    it('fails exactly the expected scenarios, each on a check of the broken requirement, and nothing errors', async () => {
      const { run, exitCode, output } = await finishedRun([fault]);
      const failed = run.scenarios.filter((s) => s.outcome === 'failed').map((s) => s.id).sort();
      expect(failed, output).toEqual([...(matrix[fault] ?? [])].sort());
      expect(run.scenarios.filter((s) => s.outcome === 'errored').map((s) => `${s.id}: ${s.reason}`)).toEqual([]);
      for (const scenario of run.scenarios.filter((s) => s.outcome === 'failed')) {
        expect(scenario.requirements).toContain(requirement);
        const broken = scenario.checks.filter((c) => !c.passed && c.severity === 'failure').map((c) => c.requirement);
        expect(broken, `${scenario.id} should fail on ${requirement}`).toContain(requirement);
      }
      const others = run.scenarios.filter((s) => !(matrix[fault] ?? []).includes(s.id));
      expect(others.filter((s) => s.outcome !== 'passed' && s.outcome !== 'skipped').map((s) => `${s.id}: ${s.outcome}`)).toEqual([]);
      // An empty row: no scenario catches this fault yet (a coverage gap, visible here and in the
      // matrix); the run must then pass, so a scenario that starts catching it forces an update.
      expect(exitCode).toBe((matrix[fault] ?? []).length ? 1 : 0);
    });
  });
});
