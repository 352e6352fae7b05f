/**
 * `DELETE <status url>` of an interaction job: 202 whether it runs or has finished; a running
 * interaction never runs, a finished one's result URL and output files go at once; afterwards
 * the status URL answers 404 (CANCEL-03) and so does a second DELETE.
 */
import type { RequestContext } from '../context.js';
import { sendError, sendInformation } from '../http-util.js';
import { isGone, type InteractionJob } from './job.js';

export function cancelInteractionJob(ctx: RequestContext, job: InteractionJob): void {
  const faults = ctx.state.config.faults;
  if (isGone(ctx.state, job)) {
    sendError(ctx.res, { status: 404, code: 'not-found', diagnostics: 'this job was already cancelled by a DELETE request' });
    return;
  }
  if (job.cancelledAt !== undefined) {
    // A cancelled job still answering (interaction-status-after-cancel fault): DELETE "succeeds" again.
    sendInformation(ctx.res, 202, 'job cancelled');
    return;
  }
  ctx.state.interactionJobs.cancel(job);
  // Fault CANCEL-01: 200 instead of 202 (the job is cancelled all the same).
  const status = faults.has('interaction-cancel-200') ? 200 : 202;
  sendInformation(ctx.res, status, 'job cancelled; its status URL and result are gone');
}
