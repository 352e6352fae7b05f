/**
 * `DELETE <status url>`: cancels a running job or releases a finished one, answering 202.
 * Afterwards the status URL and the job's files answer 404.
 */
import type { RequestContext } from '../context.js';
import { sendError, sendInformation } from '../http-util.js';
import { lookupStatusTarget } from './status-lookup.js';

export function handleCancel(ctx: RequestContext): void {
  const target = lookupStatusTarget(ctx);
  if (target.kind === 'missing') {
    sendError(ctx.res, target.error);
    return;
  }
  if (target.kind === 'ghost') {
    sendInformation(ctx.res, 202, 'export job cancelled');
    return;
  }
  ctx.state.exportJobs.cancel(target.job);
  // Fault CANCEL-01: 200 instead of 202 (the job is cancelled all the same).
  const status = ctx.state.config.faults.has('cancel-200') ? 200 : 202;
  sendInformation(ctx.res, status, 'export job cancelled; its status URL and files are gone');
}
