/**
 * The `waitCallback` step: park until the target calls the scenario's endpoint (with a
 * deadline), keep listening a little longer to count duplicates and retries, then check what
 * arrived. The built-in check "exactly one request" cites `waitCallback.requirement`; the
 * step's `expect` and `capture` see the JSON view of callback-view.ts and run only when a
 * callback came (a missing callback fails only the requirement of the built-in check).
 */
import { conditionHolds, evaluateCheck, parseBody, type ParsedBody } from '../assert/evaluate-check.js';
import { appliesTo } from '../app/claims.js';
import type { CheckResult, Exchange, StepResult } from '../model/results.js';
import type { Check, Step, WaitCallbackSpec } from '../model/scenario.js';
import { captureValues } from '../runner/capture.js';
import type { RunContext, ScenarioState } from '../runner/context.js';
import { rollUpChecks } from '../runner/outcome.js';
import { formatDuration, parseDuration } from '../util/duration.js';
import { buildCheckResult, findStepAnswerTimes, recordMeasurement } from './built-in-check.js';
import type { CallbackArrival, CallbackEndpoint } from './callback-endpoint.js';
import { buildCallbackView, toCheckableResponse } from './callback-view.js';

export const DEFAULT_CALLBACK_TIMEOUT = '10s';
export const DEFAULT_CALLBACK_SETTLE = '1s';

/** Resolves `${var}` in a check's matchers (run-step's rule), or says why it cannot. */
export type ResolveCheck = (check: Check) => Check | string;

export async function runWaitCallbackStep(
  step: Step & { waitCallback: WaitCallbackSpec },
  ctx: RunContext,
  state: ScenarioState,
  resolveCheck: ResolveCheck,
): Promise<StepResult> {
  const started = ctx.clock.now();
  const checks: CheckResult[] = [];
  const finish = (outcome: StepResult['outcome'], reason?: string): StepResult => ({
    id: step.id, outcome, ...(reason ? { reason } : {}), durationMs: ctx.clock.now() - started, checks,
  });
  const spec = step.waitCallback;
  const endpoint = state.callbackEndpoints?.get(spec.for);
  if (endpoint === undefined) return finish('errored', `no callback endpoint '${spec.for}' was set up for this scenario (is the callback receiver running?)`);
  const timeoutMs = parseDuration(spec.timeout ?? DEFAULT_CALLBACK_TIMEOUT) ?? 0;
  const settleMs = parseDuration(spec.settle ?? DEFAULT_CALLBACK_SETTLE) ?? 0;
  const waited = await endpoint.waitFor(1, { timeoutMs, clock: ctx.clock, signal: state.signal });
  if (waited === 'closed') return finish('errored', 'the callback receiver shut down while the step was waiting');
  if (waited === 'arrived' && settleMs > 0) await ctx.clock.sleep(settleMs, state.signal);
  const firstExchange = state.exchanges.length;
  for (const arrival of endpoint.takeUnreported()) state.exchanges.push(recordArrival(arrival, endpoint, step.id, ctx, state.exchanges.length - firstExchange));
  const arrivals = endpoint.arrivals;
  const sent = `waited ${formatDuration(timeoutMs)} (then ${formatDuration(settleMs)} more) for the target to call ${ctx.redactor.text(endpoint.url)}`;
  const exchange = firstExchange < state.exchanges.length ? firstExchange : undefined;
  checks.push(buildCheckResult({
    requirement: spec.requirement,
    subject: 'callback requests',
    passed: arrivals.length === 1,
    expected: `exactly one within ${formatDuration(timeoutMs)} (none more within ${formatDuration(settleMs)})`,
    actual: describeCount(arrivals),
    sent,
    ...(exchange === undefined ? {} : { exchange }),
  }, ctx));
  const [first, ...rest] = arrivals;
  if (first === undefined) {
    return finish(rollUpChecks(checks), step.capture ? `no callback arrived within ${formatDuration(timeoutMs)}: nothing to capture` : undefined);
  }
  measureLatency(step.id, spec, first, state);
  const view = buildCallbackView([first, ...rest], ctx.callbacks?.verifier ?? NO_VERIFIER);
  const response = toCheckableResponse(view, first);
  let parsed: ParsedBody | undefined;
  const body = (): ParsedBody => (parsed ??= parseBody(response));
  for (const check of step.expect ?? []) {
    if (check.when && !conditionHolds(check.when, response, body)) continue;
    if (!appliesTo(check.appliesTo, ctx.claims) || !appliesTo(ctx.catalogue.requirements.get(check.requirement)?.appliesTo, ctx.claims)) continue;
    const resolved = resolveCheck(check);
    if (typeof resolved === 'string') {
      checks.push(buildCheckResult({ requirement: check.requirement, subject: 'check', passed: false, expected: '', actual: resolved, sent, ...(exchange === undefined ? {} : { exchange }) }, ctx));
      continue;
    }
    checks.push(evaluateCheck(resolved, response, body, { catalogue: ctx.catalogue, claims: ctx.claims, strict: ctx.strict, sent, exchange: exchange ?? firstExchange }));
  }
  if (step.capture) {
    const captured = captureValues(step.capture, response);
    if (!captured.ok) return finish(rollUpChecks(checks) === 'failed' ? 'failed' : 'errored', captured.reason);
    for (const [k, v] of captured.values) state.vars.set(k, v);
  }
  return finish(rollUpChecks(checks));
}

const NO_VERIFIER = { configured: 'nothing', verify: () => 'none' as const };

function describeCount(arrivals: readonly CallbackArrival[]): string {
  const [first, second] = arrivals;
  if (first === undefined) return 'none arrived';
  if (second === undefined) return `one ${first.method}`;
  const gap = second.receivedAt - first.receivedAt;
  return `${arrivals.length} requests (${arrivals.map((a) => a.method).join(', ')}; the second ${formatDuration(gap)} after the first${first.answeredStatus >= 300 ? `, after the receiver answered ${first.answeredStatus}` : ''})`;
}

/** One received callback in the transcript: the target's request and the receiver's answer. */
function recordArrival(arrival: CallbackArrival, endpoint: CallbackEndpoint, stepId: string, ctx: RunContext, n: number): Exchange {
  const excerpt = arrival.body.subarray(0, 4096).toString('utf8');
  return {
    label: `${stepId} callback#${n + 1} (received)`,
    request: {
      method: arrival.method,
      url: ctx.redactor.text(endpoint.url),
      headers: ctx.redactor.headers(arrival.headers),
      ...(excerpt === '' ? {} : { bodyExcerpt: ctx.redactor.text(excerpt) }),
    },
    response: { status: arrival.answeredStatus, headers: {}, bodyExcerpt: '', bodyBytes: 0, truncated: false },
    startedAt: new Date(arrival.receivedAt).toISOString(),
    durationMs: 0,
  };
}

/** How the callback's arrival relates to the answers of the step named in `after`. */
function measureLatency(stepId: string, spec: WaitCallbackSpec, first: CallbackArrival, state: ScenarioState): void {
  if (spec.after === undefined) return;
  const { finalAt, lastRunningAt } = findStepAnswerTimes(state, spec.after);
  if (finalAt !== undefined) {
    recordMeasurement(state, {
      step: stepId,
      name: 'callback-after-final-answer',
      value: first.receivedAt - finalAt,
      unit: 'ms',
      description: `callback arrival minus the arrival of step ${spec.after}'s final answer (negative: the callback came first)`,
    });
  }
  if (lastRunningAt !== undefined) {
    recordMeasurement(state, {
      step: stepId,
      name: 'callback-after-last-running-answer',
      value: first.receivedAt - lastRunningAt,
      unit: 'ms',
      description: `callback arrival minus the last 202 (still running) answer of step ${spec.after}: an upper bound of the latency after completion`,
    });
  }
}
