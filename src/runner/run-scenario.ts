import type { ScenarioResult, StepResult } from '../model/results.js';
import { appliesTo, unmetRequirements } from '../app/claims.js';
import type { Capability, Scenario } from '../model/scenario.js';
import { formatDuration } from '../util/duration.js';
import type { RunContext, ScenarioState } from './context.js';
import { rollUpSteps } from './outcome.js';
import { runStep } from './run-step.js';
import { openCallbackEndpoints } from '../callbacks/scenario-endpoints.js';

export interface ScenarioRunOptions {
  /** Whole-scenario deadline (--timeout). */
  timeoutMs: number;
  /** Run-level abort (SIGINT). */
  signal: AbortSignal;
}

/**
 * Run a scenario's steps in order. After a step fails or errors, later steps are skipped with
 * "blocked by step X" (never dropped), except `always` steps, which run regardless.
 */
export async function runScenario(scenario: Scenario, ctx: RunContext, opts: ScenarioRunOptions): Promise<ScenarioResult> {
  const started = ctx.clock.now();
  const unmet = unmetRequirements(scenario.requires, ctx.claims);
  if (unmet.length) return notRun(scenario, ctx, unmet);
  if (!appliesTo(scenario.appliesTo, ctx.claims)) return notApplicable(scenario, ctx);
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new Error(`scenario did not finish within ${formatDuration(opts.timeoutMs)} (--timeout)`)),
    opts.timeoutMs,
  );
  const signal = AbortSignal.any([opts.signal, deadline.signal]);
  const state: ScenarioState = { vars: initialVariables(scenario, ctx), exchanges: [], signal };
  const steps: StepResult[] = [];
  let blocker: string | undefined;
  const noCallbacks = openCallbackEndpoints(scenario, ctx, state);
  if (noCallbacks !== undefined) {
    steps.push({ id: 'callbacks', outcome: 'errored', reason: noCallbacks, durationMs: 0, checks: [] });
    blocker = 'callbacks';
  }
  try {
    for (const step of scenario.steps) {
      if (signal.aborted) {
        steps.push({ id: step.id, outcome: 'skipped', reason: `not run: ${abortReason(signal)}`, durationMs: 0, checks: [] });
        continue;
      }
      if (blocker && !step.always) {
        steps.push({ id: step.id, outcome: 'skipped', reason: `blocked by step ${blocker}`, durationMs: 0, checks: [] });
        continue;
      }
      const result = await runStepSafely(step, ctx, state);
      steps.push(result);
      if (!step.always && !blocker && (result.outcome === 'failed' || result.outcome === 'errored')) blocker = step.id;
    }
  } finally {
    clearTimeout(timer);
  }
  const rolled = rollUpSteps(steps);
  // A "pass" in which no check applied verified nothing (e.g. every check is for a mode the target
  // does not claim): say so instead of counting it as conformance.
  const verifiedNothing = rolled === 'passed' && steps.every((s) => s.checks.length === 0);
  const outcome = verifiedNothing ? 'skipped' : rolled;
  const found = steps.find((s) => s.outcome === outcome && s.reason);
  const reason = verifiedNothing
    ? `no check applied to this target (claims: ${[...ctx.claims.tags].join(', ')}), so nothing was verified`
    : found?.reason === undefined ? undefined : `step ${found.id}: ${found.reason}`;
  return {
    ...identify(scenario),
    outcome,
    ...(reason ? { reason } : {}),
    startedAt: new Date(started).toISOString(),
    durationMs: ctx.clock.now() - started,
    steps,
    checks: steps.flatMap((s) => s.checks),
    exchanges: state.exchanges,
    ...(state.measurements?.length ? { measurements: state.measurements } : {}),
  };
}

/** A scenario whose `requires` the target lacks: skipped with the reason, or failed under --require. */
function notRun(scenario: Scenario, ctx: RunContext, unmet: { capability: Capability; reason: string }[]): ScenarioResult {
  const demanded = unmet.filter((u) => ctx.required.has(u.capability));
  const reasons = (demanded.length ? demanded : unmet).map((u) => `requires ${u.capability}: ${u.reason}`).join('; ');
  return {
    ...identify(scenario),
    outcome: demanded.length ? 'failed' : 'skipped',
    reason: demanded.length ? `${reasons} (demanded by --require)` : reasons,
    startedAt: new Date(ctx.clock.now()).toISOString(),
    durationMs: 0,
    steps: [],
    checks: [],
    exchanges: [],
  };
}

/** A scenario for other spec versions or modes than the target claims (`appliesTo`): skipped with the reason. */
function notApplicable(scenario: Scenario, ctx: RunContext): ScenarioResult {
  return {
    ...identify(scenario),
    outcome: 'skipped',
    reason: `applies to ${(scenario.appliesTo ?? []).join(', ')}; the target claims ${[...ctx.claims.tags].join(', ')}`,
    startedAt: new Date(ctx.clock.now()).toISOString(),
    durationMs: 0,
    steps: [],
    checks: [],
    exchanges: [],
  };
}

async function runStepSafely(step: Scenario['steps'][number], ctx: RunContext, state: ScenarioState): Promise<StepResult> {
  try {
    return await runStep(step, ctx, state);
  } catch (e) {
    // An abort surfaces here (the deadline fired during a sleep); anything else is a harness bug.
    const reason = state.signal.aborted ? abortReason(state.signal) : `harness error: ${(e as Error).message}`;
    return { id: step.id, outcome: 'errored', reason, durationMs: 0, checks: [] };
  }
}

function abortReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  return r instanceof Error ? r.message : String(r ?? 'aborted');
}

function initialVariables(scenario: Scenario, ctx: RunContext): Map<string, string | string[]> {
  const vars = new Map<string, string | string[]>();
  for (const [k, v] of Object.entries(scenario.variables ?? {})) vars.set(k, v);
  for (const [k, v] of Object.entries(ctx.variables)) vars.set(k, v);
  vars.set('baseUrl', ctx.baseUrl);
  return vars;
}

/** What names a scenario in its result. */
function identify(scenario: Scenario): Pick<ScenarioResult, 'id' | 'title' | 'area' | 'file' | 'requirements'> {
  return { id: scenario.id, title: scenario.title, area: scenario.area, file: scenario.file, requirements: scenario.requirements };
}
