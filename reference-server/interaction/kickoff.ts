/**
 * Entry point of every REST interaction (read, search, create, batch/transaction, $reindex).
 * Without `Prefer: respond-async` it answers synchronously. With it, it validates the request
 * (invalid requests get 4xx at once, REDIRECT-06), creates a job and answers 202 with an
 * absolute Content-Location, `Vary: Prefer` and `Preference-Applied`. The mode is Bundle by
 * default, redirect under `async-mode=redirect`, and the bulk pattern for a search with
 * `_outputFormat` (KICKOFF-10; conflicting with `async-mode=redirect`, which is a 400).
 */
import { statusPath } from '../bulk/paths.js';
import type { Handler, RequestContext } from '../context.js';
import { sendError, sendInformation } from '../http-util.js';
import type { Checked, ErrorSpec } from '../operation-outcome.js';
import { retryAfterHeader } from '../pacing.js';
import type { Preferences } from '../prefer.js';
import {
  hasKnownHandling,
  isLenient,
  preferenceAppliedHeader,
  readPreferences,
  readAsyncMode,
  readReturnPreference,
  buildVaryPrefer,
} from '../async/negotiate.js';
import { readCallbackUrl, scheduleInteractionCallback } from '../callbacks/callback-hooks.js';
import { executeInteraction } from './execute.js';
import { negotiateFormat } from './format.js';
import type { InteractionMode, InteractionWork } from './job.js';
import type { ParsedInteraction } from './request.js';
import { buildErrorResult, sendResult } from './result.js';
import { checkOutputFormat } from './search-bulk.js';

export type InteractionParser = (
  ctx: RequestContext,
  lenient: boolean,
) => Checked<ParsedInteraction> | Promise<Checked<ParsedInteraction>>;

interface Negotiated {
  prefs: Preferences;
  contentType: string;
  vary: Record<string, string>;
  /** Preferences the interaction itself honours (echoed by sync and async answers alike). */
  resultApplied: string[];
}

function sendKickoffError(ctx: RequestContext, error: ErrorSpec, vary: Record<string, string>): void {
  sendError(ctx.res, { ...error, headers: { ...vary, ...error.headers } });
}

function listResultPreferences(prefs: Preferences, parsed: ParsedInteraction): string[] {
  const applied: string[] = [];
  if (parsed.request.kind === 'create' && readReturnPreference(prefs) !== undefined) applied.push('return');
  if (hasKnownHandling(prefs)) applied.push('handling');
  return applied;
}

function answerSynchronously(ctx: RequestContext, parsed: ParsedInteraction, neg: Negotiated): void {
  const result = executeInteraction(parsed.request, {
    store: ctx.state.fhirStore,
    baseUrl: ctx.baseUrl,
    returnPref: readReturnPreference(neg.prefs),
  });
  const headers = { ...neg.vary, ...preferenceAppliedHeader(ctx, neg.prefs, neg.resultApplied) };
  sendResult(ctx.res, result, { baseUrl: ctx.baseUrl, contentType: neg.contentType, headers });
}

interface JobStart {
  mode: InteractionMode;
  work: InteractionWork;
  /** Preferences the kick-off honoured besides respond-async and the result's own. */
  modeApplied: string[];
}

function startJob(ctx: RequestContext, neg: Negotiated, start: JobStart): void {
  const { config, interactionJobs } = ctx.state;
  // Prefer: callback-url (CALLBACK-01): only allow-listed http(s) URLs, else 400.
  const callbackUrl = readCallbackUrl(ctx, neg.prefs);
  if (!callbackUrl.ok) return sendKickoffError(ctx, callbackUrl.error, neg.vary);
  const reindex = start.work.kind === 'run' && start.work.request.kind === 'reindex';
  const created = interactionJobs.create(
    {
      mode: start.mode,
      work: start.work,
      returnPref: readReturnPreference(neg.prefs),
      baseUrl: ctx.baseUrl,
      requestUrl: `${ctx.baseUrl}${ctx.req.url ?? '/'}`,
      contentType: neg.contentType,
      resultHeaders: preferenceAppliedHeader(ctx, neg.prefs, neg.resultApplied),
      result: undefined,
      settledAt: undefined,
      resultFetches: 0,
    },
    reindex ? config.timings.reindex : config.timings.interaction,
  );
  if (!created.ok) {
    const diagnostics = 'too many asynchronous jobs are held by this server; retry later or DELETE finished jobs';
    sendKickoffError(ctx, { status: 429, code: 'throttled', diagnostics, headers: { 'Retry-After': retryAfterHeader(ctx) } }, neg.vary);
    return;
  }
  scheduleInteractionCallback(ctx, callbackUrl.value, created.job);
  const applied = ['respond-async', ...start.modeApplied, ...neg.resultApplied, ...(callbackUrl.value ? ['callback-url'] : [])];
  sendInformation(ctx.res, 202, `${start.mode} job accepted; poll the Content-Location URL for its status`, {
    ...neg.vary,
    ...preferenceAppliedHeader(ctx, neg.prefs, applied),
    'Content-Location': `${ctx.baseUrl}${statusPath(created.job.id)}`,
  });
}

/** The async mode for a valid request, or the 400 for a conflicting or unsupported `_outputFormat`. */
function chooseMode(ctx: RequestContext, parsed: ParsedInteraction, prefs: Preferences): Checked<JobStart> {
  const work: InteractionWork = { kind: 'run', request: parsed.request };
  const asked = readAsyncMode(prefs);
  // Fault KICKOFF-10: _outputFormat ignored, the search runs in Bundle mode.
  if (parsed.outputFormat !== undefined && !ctx.state.config.faults.has('search-output-format-ignored')) {
    const checked = checkOutputFormat(parsed, asked);
    if (!checked.ok) return checked;
    return { ok: true, value: { mode: 'bulk', work: { kind: 'run', request: checked.value }, modeApplied: [] } };
  }
  if (asked === 'redirect') {
    // Fault REDIRECT-07: async-mode=redirect honoured but not listed in Preference-Applied.
    const modeApplied = ctx.state.config.faults.has('redirect-no-preference-applied') ? [] : ['async-mode'];
    return { ok: true, value: { mode: 'redirect', work, modeApplied } };
  }
  return { ok: true, value: { mode: 'bundle', work, modeApplied: asked === 'bundle' ? ['async-mode'] : [] } };
}

async function handleInteraction(ctx: RequestContext, parse: InteractionParser): Promise<void> {
  const vary = buildVaryPrefer(ctx);
  const prefs = readPreferences(ctx);
  const parsed = await parse(ctx, prefs.ok && isLenient(prefs.value));
  if (!prefs.ok) return sendKickoffError(ctx, prefs.error, vary);
  const format = negotiateFormat(ctx.req.headers.accept);
  if (!format.ok) return sendKickoffError(ctx, format.error, vary);
  const wantsAsync = prefs.value.has('respond-async');
  if (!parsed.ok) {
    // Fault REDIRECT-06: an invalid redirect-mode request is accepted and fails on the result URL.
    if (wantsAsync && readAsyncMode(prefs.value) === 'redirect' && ctx.state.config.faults.has('redirect-defers-invalid-request')) {
      const { status, code, diagnostics } = parsed.error;
      const neg = { prefs: prefs.value, contentType: format.value, vary, resultApplied: [] };
      const work: InteractionWork = { kind: 'fixed', result: buildErrorResult(status, code, diagnostics) };
      return startJob(ctx, neg, { mode: 'redirect', work, modeApplied: ['async-mode'] });
    }
    return sendKickoffError(ctx, parsed.error, vary);
  }
  const neg: Negotiated = {
    prefs: prefs.value,
    contentType: format.value,
    vary,
    resultApplied: listResultPreferences(prefs.value, parsed.value),
  };
  if (!wantsAsync && parsed.value.outputFormat !== undefined) {
    const diagnostics = '_outputFormat asks for the bulk pattern, which needs Prefer: respond-async';
    return sendKickoffError(ctx, { status: 400, code: 'invalid', diagnostics }, vary);
  }
  // Fault KICKOFF-02: respond-async ignored, the interaction is answered synchronously.
  if (!wantsAsync || ctx.state.config.faults.has('interaction-kickoff-no-202')) return answerSynchronously(ctx, parsed.value, neg);
  const mode = chooseMode(ctx, parsed.value, prefs.value);
  if (!mode.ok) return sendKickoffError(ctx, mode.error, vary);
  startJob(ctx, neg, mode.value);
}

/** A route handler running `parse` for validation, then the interaction in the negotiated way. */
export function interactionHandler(parse: InteractionParser): Handler {
  return (ctx) => handleInteraction(ctx, parse);
}
