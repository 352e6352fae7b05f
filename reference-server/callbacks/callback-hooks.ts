/**
 * The two calls a kick-off handler makes (any pattern: bulk, async-bundle, redirect):
 *
 *   const callbackUrl = readCallbackUrl(ctx, prefs);          // before creating the job
 *   if (!callbackUrl.ok) { sendError(ctx.res, { ...callbackUrl.error, headers: VARY }); return; }
 *   ... create the job ...
 *   scheduleExportCallback(ctx, callbackUrl.value, job);     // or scheduleInteractionCallback,
 *                                                            // or scheduleJobCallback for a new pattern
 *
 * and the one call every cancel handler makes after cancelling a job:
 *
 *   ctx.state.jobEvents.emitCancelled(job.id);
 */
import { statusPath } from '../bulk/paths.js';
import type { ExportJob, RequestContext } from '../context.js';
import type { FaultSet } from '../faults/fault-set.js';
import { settleInteractionJob, type InteractionJob } from '../interaction/job.js';
import { resultPath } from '../interaction/paths.js';
import { isFailure, isOperationOutcome, type InteractionResult } from '../interaction/result.js';
import { buildOperationOutcome, type Checked } from '../operation-outcome.js';
import type { Preferences } from '../prefer.js';
import type { ResolvedCallbackConfig } from './callback-config.js';
import type { CallbackScheduler, ScheduleCallbackInput } from './callback-scheduler.js';
import { validateCallbackUrl } from './callback-url.js';

/** The part of the request context callbacks need (RequestContext satisfies it once wired). */
export interface CallbackContext {
  state: {
    config: { callbacks: ResolvedCallbackConfig; faults: FaultSet };
    callbacks: CallbackScheduler;
  };
}

/** The accepted callback URL (undefined when none was asked for), or the 400 to answer. */
export function readCallbackUrl(ctx: CallbackContext, prefs: Preferences): Checked<URL | undefined> {
  return validateCallbackUrl(prefs, ctx.state.config.callbacks, ctx.state.config.faults);
}

/** Schedules the job's one callback; does nothing when `url` is undefined. */
export function scheduleJobCallback(
  ctx: CallbackContext,
  url: URL | undefined,
  job: Omit<ScheduleCallbackInput, 'url'>,
): void {
  if (url === undefined) return;
  ctx.state.callbacks.schedule({ ...job, url });
}

/** Bulk export: the result URL is the status URL (its GET returns the manifest); a job with a failure fails. */
export function scheduleExportCallback(ctx: RequestContext, url: URL | undefined, job: ExportJob): void {
  const failure = job.payload.failure;
  scheduleJobCallback(ctx, url, {
    jobId: job.id,
    resultUrl: `${ctx.baseUrl}${statusPath(job.id)}`,
    endsAt: ctx.state.exportJobs.completesAt(job),
    ...(failure === undefined ? {} : { failure: buildOperationOutcome('error', 'not-supported', `the export job failed: ${failure}`) }),
  });
}

/**
 * Asynchronous interactions: Bundle and bulk modes report the status URL, redirect mode the
 * result URL. Whether the job failed is known only when it ends (the interaction runs then).
 */
export function scheduleInteractionCallback(ctx: RequestContext, url: URL | undefined, job: InteractionJob): void {
  const { state } = ctx;
  const path = job.payload.mode === 'redirect' ? resultPath(job.fileKey) : statusPath(job.id);
  scheduleJobCallback(ctx, url, {
    jobId: job.id,
    resultUrl: `${job.payload.baseUrl}${path}`,
    endsAt: state.interactionJobs.completesAt(job),
    failure: () => describeFailure(settleInteractionJob(state, job)),
  });
}

function describeFailure(result: InteractionResult): fhir4.OperationOutcome | undefined {
  if (!isFailure(result)) return undefined;
  const body = result.body;
  if (body !== undefined && isOperationOutcome(body)) return body;
  return buildOperationOutcome('error', 'exception', `the interaction failed with HTTP ${result.status}`);
}
