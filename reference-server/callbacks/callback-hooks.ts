/**
 * The two calls a kick-off handler makes (any pattern: bulk, async-bundle, redirect):
 *
 *   const callbackUrl = readCallbackUrl(ctx, prefs);          // before creating the job
 *   if (!callbackUrl.ok) { sendError(ctx.res, { ...callbackUrl.error, headers: VARY }); return; }
 *   ... create the job ...
 *   scheduleJobCallback(ctx, callbackUrl.value, { jobId: job.id, resultUrl, endsAt: store.completesAt(job) });
 *
 * and the one call every cancel handler makes after cancelling a job:
 *
 *   ctx.state.jobEvents.emitCancelled(job.id);
 */
import type { FaultSet } from '../faults/fault-set.js';
import type { Checked } from '../operation-outcome.js';
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
