import { conditionHolds, evaluateCheck, parseBody, type ParsedBody } from '../assert/evaluate-check.js';
import { appliesTo } from '../app/claims.js';
import type { HttpResponse, OutgoingRequest } from '../http/client.js';
import type { CheckResult, StepResult } from '../model/results.js';
import type { Capture, Check, Step } from '../model/scenario.js';
import { buildRequest, describeSent } from './build-request.js';
import { captureValues } from './capture.js';
import type { RunContext, ScenarioState } from './context.js';
import { rollUpChecks } from './outcome.js';
import { resolvePollPolicy } from './poll-policy.js';
import { pollUntilDone } from './poll.js';
import { trackRetryAfterKept } from './retry-after-kept.js';
import { parseDuration } from '../util/duration.js';
import { sendPastThrottling } from './throttle.js';
import { interpolate, type Variables } from './variables.js';
import { runWaitCallbackStep } from '../callbacks/wait-callback-step.js';
import { pollHoldingRequests } from '../longpoll/long-poll.js';
import { sendWithAuth } from '../auth/send-with-auth.js';
import { onlyIfSkipReason } from './only-if.js';
import { runFilesStep } from '../validate/files-step.js';
import { resolveSchemaName } from '../validate/payload-schemas.js';
import { DEFAULT_FOLLOW_MAX, findNextLink } from './follow-links.js';

const DEFAULT_FOREACH_MAX = 50;

/** Run one step: send (poll if asked), check, capture. Target misbehaviour never throws. */
export async function runStep(step: Step, ctx: RunContext, state: ScenarioState): Promise<StepResult> {
  const notApplicable = onlyIfSkipReason(step, state.vars);
  if (notApplicable !== undefined) return { id: step.id, outcome: 'skipped', reason: notApplicable, durationMs: 0, checks: [] };
  // The step's `auth` picks whose token goes to files that need one (e.g. the scoped client's own export).
  if (step.validateFiles) return runFilesStep(step.id, step.validateFiles, step.auth === undefined ? ctx : { ...ctx, fileAuth: step.auth }, state);
  if (step.waitCallback) {
    return runWaitCallbackStep({ ...step, waitCallback: step.waitCallback }, ctx, state, (c) => resolveCheckVariables(c, state.vars, ctx.claims.tags));
  }
  const request = step.request;
  if (request === undefined) return { id: step.id, outcome: 'errored', reason: 'the step has no request', durationMs: 0, checks: [] };
  const started = ctx.clock.now();
  const checks: CheckResult[] = [];
  const finish = (outcome: StepResult['outcome'], reason?: string): StepResult => ({
    id: step.id, outcome, ...(reason ? { reason } : {}), durationMs: ctx.clock.now() - started, checks,
  });
  const iterations = forEachBindings(step, state);
  if (iterations.length === 0) return finish('skipped', `nothing to iterate: ${step.forEach?.in ?? ''} is empty or was not captured`);
  const repeatGap = step.repeat?.interval ? parseDuration(step.repeat.interval) ?? 0 : 0;
  for (const [index, binding] of iterations.entries()) {
    if (step.repeat && index > 0 && repeatGap > 0) await ctx.clock.sleep(repeatGap, state.signal);
    const vars = new Map(state.vars);
    if (binding) vars.set(binding.name, binding.value);
    const label = binding ? `${step.id}[${index}]` : step.repeat ? `${step.id}#${index + 1}` : step.id;
    let req: OutgoingRequest;
    try {
      req = buildRequest(request, vars, ctx.baseUrl, ctx.headers);
    } catch (e) {
      // A clean-up step is best effort: if the scenario stopped before its input was captured,
      // or captured something unusable (already reported by a check), there is nothing to clean up.
      if (step.always) return finish('skipped', `clean-up not run: ${(e as Error).message}`);
      return finish('errored', `cannot build the request: ${(e as Error).message}`);
    }
    let sent = describeSent(req, ctx.redactor);
    const exchangeOf = async (n?: number) => {
      const result = await sendWithAuth(ctx, { req, auth: step.auth, label: n === undefined ? label : `${label} poll#${n}`, signal: state.signal });
      sent = describeSent(result.request, ctx.redactor);
      state.exchanges.push(result.exchange);
      return result;
    };
    const checkAll = (list: Check[] | undefined, res: HttpResponse): void => {
      let parsed: ParsedBody | undefined;
      const body = (): ParsedBody => (parsed ??= parseBody(res));
      const now = ctx.clock.now();
      for (const c of list ?? []) {
        if (c.when && !conditionHolds(c.when, res, body, now)) continue;
        if (!appliesTo(c.appliesTo, ctx.claims) || !appliesTo(ctx.catalogue.requirements.get(c.requirement)?.appliesTo, ctx.claims)) continue;
        // sameJsonAs compares with an earlier capture; nothing captured (an optional capture found nothing), nothing to compare.
        if (c.sameJsonAs !== undefined && !vars.has(c.sameJsonAs.variable)) continue;
        const resolved = resolveCheckVariables(c, vars, ctx.claims.tags);
        if (typeof resolved === 'string') {
          checks.push({ requirement: c.requirement, level: 'SHALL', severity: 'failure', passed: false, subject: 'check', expected: '', actual: resolved, message: `${c.requirement}: ${resolved}`, exchange: state.exchanges.length - 1 });
          continue;
        }
        checks.push(evaluateCheck(resolved, res, body, { catalogue: ctx.catalogue, claims: ctx.claims, strict: ctx.strict, sent, exchange: state.exchanges.length - 1, now }));
      }
    };
    let final: HttpResponse;
    if (step.poll) {
      const poll = step.poll;
      const kept = poll.retryAfterKept === undefined ? undefined : trackRetryAfterKept(poll.retryAfterKept, ctx, { sent: () => sent, exchange: () => state.exchanges.length - 1 });
      const options = {
        policy: resolvePollPolicy(poll, ctx.pollPolicy),
        clock: ctx.clock,
        signal: state.signal,
        keepPolling: (res: HttpResponse) => poll.while.status.includes(res.status) || res.status === 429 || whileHeaderMatches(poll.while.header, res),
        onInterim: (res: HttpResponse) => {
          if (res.status === 429) return;
          // Captures from in-progress answers: the first that yields a value wins (e.g. a partial manifest).
          if (poll.capture) captureFirst(poll.capture, res, [vars, state.vars]);
          checkAll(poll.expect, res);
        },
      };
      const sendAs = async (r: OutgoingRequest, l: string) => {
        const sent = await sendWithAuth(ctx, { req: r, auth: step.auth, label: l, signal: state.signal });
        state.exchanges.push(sent.exchange);
        return sent;
      };
      const result = poll.longPoll
        ? await pollHoldingRequests(options, { spec: poll.longPoll, req, label, stepId: step.id, send: sendAs, ctx, state, checks })
        : await pollUntilDone({ ...options, send: exchangeOf, ...(kept ? { onThrottled: kept.onThrottled } : {}) });
      if (kept) checks.push(...kept.results());
      if (result.kind !== 'done') {
        const why = result.kind === 'transport-error' ? result.error : result.reason;
        return finish(rollUpChecks(checks) === 'failed' ? 'failed' : 'errored', why);
      }
      final = result.response;
    } else {
      const sentPast = step.on429 === 'check'
        ? { kind: 'sent' as const, result: await exchangeOf() }
        : await sendPastThrottling(exchangeOf, { clock: ctx.clock, signal: state.signal, maxWaitMs: ctx.pollPolicy.maxIntervalMs });
      if (sentPast.kind === 'throttled') return finish('errored', sentPast.reason);
      const result = sentPast.result;
      if (!result.ok) return finish('errored', result.error);
      final = result.response;
    }
    checkAll(step.expect, final);
    if (step.capture && !binding) {
      const captured = captureValues(step.capture, final);
      if (!captured.ok) {
        const verdict = rollUpChecks(checks);
        return finish(verdict === 'failed' ? 'failed' : 'errored', captured.reason);
      }
      for (const [k, v] of captured.values) state.vars.set(k, v);
    }
    if (step.follow) {
      // Page through what the final answer links to (e.g. manifest `link` next), checking each page.
      const { next, max = DEFAULT_FOLLOW_MAX, expect } = step.follow;
      // The pages' checks see this step's captures (e.g. the first page, for sameJsonAs).
      for (const [k, v] of state.vars) vars.set(k, v);
      const visited = new Set<string>([req.url]);
      let page = final;
      for (let n = 2; n <= max + 1; n++) {
        const link = findNextLink(page, next, visited);
        if (link.kind === 'none') break;
        if (link.kind === 'unusable') return finish(rollUpChecks(checks) === 'failed' ? 'failed' : 'errored', link.reason);
        if (n > max) return finish(rollUpChecks(checks) === 'failed' ? 'failed' : 'errored', `more than ${max} linked pages (follow max)`);
        visited.add(link.url);
        const pageReq: OutgoingRequest = { ...req, method: 'GET', url: link.url, body: undefined };
        const result = await sendWithAuth(ctx, { req: pageReq, auth: step.auth, label: `${label} page#${n}`, signal: state.signal });
        sent = describeSent(result.request, ctx.redactor);
        state.exchanges.push(result.exchange);
        if (!result.ok) return finish('errored', result.error);
        page = result.response;
        checkAll(expect, page);
      }
    }
  }
  return finish(rollUpChecks(checks));
}

type Binding = { name: string; value: string } | undefined;

/** `poll.while.header`: the named header is present and matches. */
function whileHeaderMatches(spec: { name: string; matches: string } | undefined, res: HttpResponse): boolean {
  const value = spec === undefined ? undefined : res.headers[spec.name.toLowerCase()];
  return spec !== undefined && value !== undefined && new RegExp(spec.matches).test(value);
}

/** Captures not yet set, from `res` (optional by nature: a response without the value is passed over). */
function captureFirst(spec: Record<string, Capture>, res: HttpResponse, targets: Map<string, string | string[]>[]): void {
  const pending = Object.entries(spec).filter(([name]) => !targets.some((t) => t.has(name)));
  if (pending.length === 0) return;
  const optional = Object.fromEntries(pending.map(([name, from]) => [name, 'status' in from ? from : { ...from, optional: true }]));
  const captured = captureValues(optional, res);
  if (!captured.ok) return;
  for (const [k, v] of captured.values) if (!Array.isArray(v) || v.length > 0) for (const t of targets) t.set(k, v);
}

/**
 * `${var}` in a check's `equals`, `oneOf` and `matches` refers to an earlier capture; a `oneOf`
 * item that is exactly `${list}` expands to every captured item. Returns a message when a
 * variable is missing (a check that cannot be evaluated is not a pass).
 */
function resolveCheckVariables(check: Check, vars: Variables, claimedTags: ReadonlySet<string>): Check | string {
  try {
    type Scalar = string | number | boolean | null;
    const one = (v: Scalar): Scalar => (typeof v === 'string' ? interpolate(v, vars) : v);
    const oneOf = check.oneOf?.flatMap((v): Scalar[] => {
      const whole = typeof v === 'string' ? /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(v) : null;
      const list = whole?.[1] ? vars.get(whole[1]) : undefined;
      return Array.isArray(list) ? list : [one(v)];
    });
    return {
      ...check,
      ...(check.equals !== undefined ? { equals: one(check.equals) } : {}),
      ...(check.contains !== undefined ? { contains: one(check.contains) } : {}),
      ...(oneOf ? { oneOf } : {}),
      ...(check.matches !== undefined ? { matches: interpolate(check.matches, vars) } : {}),
      ...(check.schema !== undefined ? { schema: resolveSchemaName(check.schema, claimedTags) } : {}),
      ...(check.sameJsonAs !== undefined ? { sameJsonAs: { ...check.sameJsonAs, reference: textOf(vars.get(check.sameJsonAs.variable)) } } : {}),
    };
  } catch (e) {
    return `cannot evaluate the check: ${(e as Error).message}`;
  }
}

/** A captured value as JSON text for sameJsonAs (a captured list is compared as a JSON array). */
function textOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? `[${value.map((v) => (/^[[{"]/.test(v) ? v : JSON.stringify(v))).join(',')}]` : value;
}

/** The list of iterations: one unbound run, or one per item of the `forEach` list. */
function forEachBindings(step: Step, state: ScenarioState): Binding[] {
  if (step.repeat) return Array.from({ length: step.repeat.count }, () => undefined);
  if (!step.forEach) return [undefined];
  const { in: listName, as, max = DEFAULT_FOREACH_MAX } = step.forEach;
  const value = state.vars.get(listName);
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.slice(0, max).map((v) => ({ name: as, value: v }));
}
