/**
 * A polling step with `poll.longPoll`: every poll carries `Prefer: wait=N` (RFC 7240 §4.3) and
 * is timed. Meanwhile the job changes, and the step knows when: for `completion`, ordinary
 * polls (no wait, honouring Retry-After) run alongside and note when they first see the job
 * done; for `cancel`, the step itself DELETEs the status URL `cancelAfter` into the first hold.
 * Then: every held request must be answered within `slack` of that change (the requirement
 * the scenario names), and whether the server held anything at all is recorded (information).
 */
import type { OutgoingRequest, SendResult } from '../http/client.js';
import type { CheckResult } from '../model/results.js';
import type { LongPollSpec } from '../model/scenario.js';
import type { RunContext, ScenarioState } from '../runner/context.js';
import { pollUntilDone, type PollOptions, type PollResult } from '../runner/poll.js';
import { formatDuration, parseDuration } from '../util/duration.js';
import { buildCheckResult, recordMeasurement } from '../callbacks/built-in-check.js';
import { judgeHeldRequests, median, type HeldTiming, type HeldVerdict } from './held-timing.js';

const DEFAULT_SLACK = '1s';
const DEFAULT_CANCEL_AFTER = '50ms';

export interface LongPollRun {
  spec: LongPollSpec;
  /** The status request as the step built it. */
  req: OutgoingRequest;
  label: string;
  stepId: string;
  /** Sends a request the way the step does (credentials) and records its exchange. */
  send(req: OutgoingRequest, label: string): Promise<SendResult>;
  ctx: RunContext;
  state: ScenarioState;
  /** The step's checks: the timing checks are added here. */
  checks: CheckResult[];
}

/** Like pollUntilDone, with held requests and their timing checks (see the module comment). */
export async function pollHoldingRequests(poll: Omit<PollOptions, 'send'>, run: LongPollRun): Promise<PollResult> {
  const { spec, ctx, state } = run;
  const seconds = Number(spec.wait.replace(/s$/, ''));
  const held = withPreferWait(run.req, seconds);
  const timings: HeldTiming[] = [];
  const stop = new AbortController();
  const signal = AbortSignal.any([state.signal, stop.signal]);
  let cancelledAt: number | undefined;
  const change =
    spec.change === 'cancel'
      ? cancelWhileHeld(run, signal).then((at) => (cancelledAt = at))
      : watchForCompletion(run, poll, signal);
  let result: PollResult;
  try {
    result = await pollUntilDone({
      ...poll,
      // After our DELETE the job is over, whatever the status URL keeps saying: one answer is enough.
      keepPolling: (res) => poll.keepPolling(res) && cancelledAt === undefined,
      send: async (n) => {
        const sentAt = ctx.clock.now();
        const sent = await run.send(held, `${run.label} held#${n}`);
        timings.push({ n, sentAt, answeredAt: ctx.clock.now(), ...(sent.ok ? { status: sent.response.status } : {}), exchange: state.exchanges.length - 1 });
        return sent;
      },
    });
  } finally {
    stop.abort();
  }
  const changeAt = await change;
  const heldExchanges = new Set(timings.map((t) => t.exchange));
  const others = state.exchanges.filter((e, i) => !heldExchanges.has(i) && e.response !== undefined).map((e) => e.durationMs);
  const slackMs = parseDuration(spec.slack ?? DEFAULT_SLACK) ?? 1000;
  const verdict = judgeHeldRequests(timings, { changeAt, slackMs, baselineMs: median(others) });
  reportVerdict(run, verdict, { seconds, slackMs, changeAt });
  return result;
}

/** The request with `wait=N` added to its Prefer header (or a new Prefer header; a list of lines gets one more line). */
export function withPreferWait(req: OutgoingRequest, seconds: number): OutgoingRequest {
  const headers = { ...req.headers };
  const name = Object.keys(headers).find((k) => k.toLowerCase() === 'prefer');
  const current = name === undefined ? undefined : headers[name];
  if (name === undefined || current === undefined) headers['Prefer'] = `wait=${seconds}`;
  else headers[name] = Array.isArray(current) ? [...current, `wait=${seconds}`] : `${current}, wait=${seconds}`;
  return { ...req, headers };
}

/** Ordinary polls alongside the held ones; resolves when one first saw the job done (or never). */
async function watchForCompletion(run: LongPollRun, poll: Omit<PollOptions, 'send'>, signal: AbortSignal): Promise<number | undefined> {
  const { ctx } = run;
  let answeredAt: number | undefined;
  try {
    // Let the first held request reach the server before the first ordinary poll.
    await ctx.clock.sleep(poll.policy.minIntervalMs, signal);
    const result = await pollUntilDone({
      policy: poll.policy,
      clock: ctx.clock,
      signal,
      keepPolling: poll.keepPolling,
      send: async (n) => {
        const sent = await run.send(run.req, `${run.label} observer#${n}`);
        answeredAt = ctx.clock.now();
        return sent;
      },
    });
    return result.kind === 'done' ? answeredAt : undefined;
  } catch {
    return undefined; // stopped: the held requests finished first
  }
}

/** DELETE the status URL `cancelAfter` into the first hold; resolves when the DELETE was answered. */
async function cancelWhileHeld(run: LongPollRun, signal: AbortSignal): Promise<number | undefined> {
  const { ctx, req } = run;
  try {
    await ctx.clock.sleep(parseDuration(run.spec.cancelAfter ?? DEFAULT_CANCEL_AFTER) ?? 50, signal);
  } catch {
    return undefined; // the job ended before the cancel was due
  }
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !/^(prefer|content-type)$/i.test(k)));
  const sent = await run.send({ method: 'DELETE', url: req.url, headers }, `${run.label} cancel`);
  return sent.ok ? ctx.clock.now() : undefined;
}

function reportVerdict(run: LongPollRun, verdict: HeldVerdict, at: { seconds: number; slackMs: number; changeAt: number | undefined }): void {
  const { spec, ctx, state, checks } = run;
  const what = spec.change === 'cancel' ? 'cancel (DELETE answered)' : 'completion (first seen by an ordinary poll)';
  const sent = `status requests with Prefer: wait=${at.seconds} to ${ctx.redactor.text(run.req.url)}`;
  const worst = [...verdict.late].sort((a, b) => b.afterChangeMs - a.afterChangeMs)[0];
  checks.push(buildCheckResult({
    requirement: spec.requirement,
    subject: 'held status requests',
    passed: verdict.late.length === 0,
    expected: `answered within ${formatDuration(at.slackMs)} of the job's ${what}`,
    actual: worst
      ? `held#${worst.timing.n} was answered ${formatDuration(worst.afterChangeMs)} after the ${spec.change} (held ${formatDuration(worst.timing.answeredAt - worst.timing.sentAt)} of wait=${at.seconds})`
      : at.changeAt === undefined
        ? 'the held requests reported the change before anything else saw it'
        : 'every held request was answered in time',
    sent,
    ...(worst ? { exchange: worst.timing.exchange } : {}),
  }, ctx));
  checks.push(buildCheckResult({
    requirement: spec.requirement,
    subject: 'long polling',
    informational: true,
    passed: verdict.held,
    expected: `a request with Prefer: wait=${at.seconds} held while the job ran (longer than ${formatDuration(verdict.holdThresholdMs)})`,
    actual: verdict.held
      ? `held up to ${formatDuration(verdict.longestHoldMs)}`
      : `every request was answered within ${formatDuration(verdict.longestHoldMs)}: the server does not appear to hold status requests (long polling not supported; information only)`,
    sent,
  }, ctx));
  recordMeasurement(state, {
    step: run.stepId,
    name: 'long-poll-longest-hold',
    value: verdict.longestHoldMs,
    unit: 'ms',
    description: `longest time a status request with Prefer: wait=${at.seconds} was outstanding`,
  });
  if (verdict.answerAfterChangeMs !== undefined) {
    recordMeasurement(state, {
      step: run.stepId,
      name: 'long-poll-answer-after-change',
      value: verdict.answerAfterChangeMs,
      unit: 'ms',
      description: `final held answer minus the job's ${what} (negative: the held request answered first)`,
    });
  }
}
