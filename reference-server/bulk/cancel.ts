/**
 * `DELETE <status url>`: cancels a running job or releases a finished one, answering 202.
 * Afterwards the status URL and the job's files answer 404.
 */
import type { RequestContext } from '../context.js';
import { PLAIN_JSON, sendError, sendInformation, sendJson } from '../http-util.js';
import { lookupStatusTarget } from './status-lookup.js';

function sendCancelled(ctx: RequestContext, status: number): void {
  // Fault CANCEL-02: the DELETE answer has a JSON body that is not an OperationOutcome.
  if (ctx.state.config.faults.has('cancel-body-not-outcome')) {
    sendJson(ctx.res, status, { status: 'cancelled' }, { contentType: PLAIN_JSON });
    return;
  }
  sendInformation(ctx.res, status, 'export job cancelled; its status URL and files are gone');
}

export function handleCancel(ctx: RequestContext): void {
  const target = lookupStatusTarget(ctx);
  if (target.kind === 'missing') {
    const unknown = ctx.state.exportJobs.get(ctx.pathParams[0] ?? '') === undefined;
    // Fault CANCEL-04: DELETE on a status URL that never existed (or expired) "succeeds".
    if (unknown && ctx.state.config.faults.has('cancel-unknown-job-202')) sendCancelled(ctx, 202);
    else sendError(ctx.res, target.error);
    return;
  }
  if (target.kind === 'ghost') {
    sendCancelled(ctx, 202);
    return;
  }
  ctx.state.exportJobs.cancel(target.job);
  // Fault CANCEL-01: 200 instead of 202 (the job is cancelled all the same).
  sendCancelled(ctx, ctx.state.config.faults.has('cancel-200') ? 200 : 202);
}
