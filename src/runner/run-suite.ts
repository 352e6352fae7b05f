import picomatch from 'picomatch';
import type { RunResult, RunTotals, ScenarioResult } from '../model/results.js';
import type { Scenario } from '../model/scenario.js';
import type { Reporter } from '../report/reporter.js';
import type { RunContext } from './context.js';
import { runScenario } from './run-scenario.js';

export interface SuiteRunOptions {
  scenarios: Scenario[];
  ctx: RunContext;
  concurrency: number;
  timeoutMs: number;
  signal: AbortSignal;
  reporters: Reporter[];
  target: RunResult['target'];
  tool: RunResult['tool'];
  /** Glob patterns over scenario ids whose failure is expected (--known-failing). */
  knownFailing?: readonly string[];
}

/** Run scenarios with bounded concurrency; results come back in plan order. */
export async function runSuite(opts: SuiteRunOptions): Promise<RunResult> {
  const started = Date.now();
  for (const r of opts.reporters) r.onRunStart?.({ baseUrl: opts.target.baseUrl, scenarioCount: opts.scenarios.length });
  const results: ScenarioResult[] = new Array<ScenarioResult>(opts.scenarios.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < opts.scenarios.length) {
      const index = next++;
      const scenario = opts.scenarios[index];
      if (!scenario) continue;
      const result = markKnownFailing(await runScenario(scenario, opts.ctx, { timeoutMs: opts.timeoutMs, signal: opts.signal }), opts.knownFailing ?? []);
      results[index] = result;
      for (const r of opts.reporters) r.onScenarioEnd?.(result);
    }
  };
  const workers = Math.max(1, Math.min(opts.concurrency, opts.scenarios.length));
  await Promise.all(Array.from({ length: workers }, worker));
  const finished = Date.now();
  const run: RunResult = {
    schemaVersion: 1,
    tool: opts.tool,
    target: opts.target,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    durationMs: finished - started,
    totals: totalsOf(results),
    scenarios: results,
  };
  for (const r of opts.reporters) await r.onRunEnd(run);
  return run;
}

export function totalsOf(results: ScenarioResult[]): RunTotals {
  const totals: RunTotals = { passed: 0, failed: 0, warned: 0, errored: 0, skipped: 0, total: results.length, expectedFailures: 0, unexpectedPasses: 0 };
  for (const r of results) {
    totals[r.outcome]++;
    if (r.knownFailing === 'expected-failure') totals.expectedFailures++;
    if (r.knownFailing === 'unexpected-pass') totals.unexpectedPasses++;
  }
  return totals;
}

/** A listed scenario that failed is expected; one that passed (or warned) is an unexpected pass. */
export function markKnownFailing(result: ScenarioResult, patterns: readonly string[]): ScenarioResult {
  if (!patterns.length || !picomatch.isMatch(result.id, [...patterns])) return result;
  if (result.outcome === 'failed') return { ...result, knownFailing: 'expected-failure' };
  if (result.outcome === 'passed' || result.outcome === 'warned') return { ...result, knownFailing: 'unexpected-pass' };
  return result;
}

/**
 * Exit code for a finished run: 1 if any conformance failure not on the known-failing list, or
 * any unexpected pass ("remove it from the list"); 3 if any harness/target error; else 0.
 */
export function exitCodeOf(run: RunResult): 0 | 1 | 3 {
  if (run.totals.failed - run.totals.expectedFailures > 0 || run.totals.unexpectedPasses > 0) return 1;
  if (run.totals.errored > 0) return 3;
  return 0;
}
