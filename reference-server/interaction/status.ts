/**
 * `GET <status url>` of an interaction job: 202 with Retry-After and X-Progress while it
 * runs (STATUS-07), then the mode's completion: a batch-response Bundle, a 303 to the result
 * URL, or a bulk manifest. A cancelled job answers 404.
 */
import type { RequestContext } from '../context.js';
import { sendEmpty, sendError, sendInformation } from '../http-util.js';
import { formatProgress, retryAfterHeader } from '../pacing.js';
import { sendCompletionBundle } from './completion-bundle.js';
import { isGone, settleInteractionJob, type InteractionJob } from './job.js';
import { sendSeeOther } from './redirect.js';
import { sendSearchManifest } from './search-bulk.js';

const NO_STORE = { 'Cache-Control': 'no-store' };

function buildRetryAfter(ctx: RequestContext): Record<string, string> {
  const faults = ctx.state.config.faults;
  // Fault RETRY-01: no Retry-After.
  if (faults.has('no-retry-after')) return {};
  // Fault RETRY-01: a Retry-After that is neither delay-seconds nor an HTTP-date.
  if (faults.has('malformed-retry-after')) return { 'Retry-After': 'soon' };
  return { 'Retry-After': retryAfterHeader(ctx) };
}

function formatJobProgress(ctx: RequestContext, job: InteractionJob): string {
  const text = formatProgress(ctx.state.interactionJobs.progress(job));
  // Fault PROGRESS-01: an X-Progress of 100 characters or more.
  if (ctx.state.config.faults.has('progress-over-100-chars')) {
    return `${text}; ${job.payload.mode} job ${job.id} is still running, please keep polling`.padEnd(120, '.');
  }
  return text;
}

function sendRunning(ctx: RequestContext, job: InteractionJob): void {
  // Fault STATUS-07 (the Bundle pattern's in-progress rule): 200 while a Bundle-mode job still runs.
  if (ctx.state.config.faults.has('interaction-status-200-while-running') && job.payload.mode === 'bundle') {
    sendInformation(ctx.res, 200, 'the job is still running', NO_STORE);
    return;
  }
  sendEmpty(ctx.res, 202, { ...NO_STORE, ...buildRetryAfter(ctx), 'X-Progress': formatJobProgress(ctx, job) });
}

export function answerInteractionStatus(ctx: RequestContext, job: InteractionJob): void {
  const store = ctx.state.interactionJobs;
  if (isGone(ctx.state, job)) {
    sendError(ctx.res, { status: 404, code: 'not-found', diagnostics: 'this job was cancelled by a DELETE request' });
    return;
  }
  if (ctx.state.config.clock.now() < store.completesAt(job)) {
    sendRunning(ctx, job);
    return;
  }
  const result = settleInteractionJob(ctx.state, job);
  if (job.payload.mode === 'bundle') sendCompletionBundle(ctx, job, result);
  else if (job.payload.mode === 'redirect') sendSeeOther(ctx, job, result);
  else sendSearchManifest(ctx, job, result);
}
