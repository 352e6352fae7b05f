/**
 * The shared status URL space (`/_async/<id>`): bulk export jobs and interaction jobs live in
 * separate stores but hand out URLs of one shape. GET and DELETE find the job in either
 * store, apply poll pacing (429 for a poll that comes too soon, RETRY-03) to both, and hand
 * over to the pattern's own handler; an id in neither store goes to the bulk handler, which
 * answers 404.
 */
import { handleCancel } from '../bulk/cancel.js';
import { handleStatus } from '../bulk/status.js';
import type { ExportJob, RequestContext, ServerState } from '../context.js';
import { cancelInteractionJob } from '../interaction/cancel.js';
import type { InteractionJob } from '../interaction/job.js';
import { answerInteractionStatus } from '../interaction/status.js';
import { rejectEarlyPoll } from '../pacing.js';
import { holdStatusRequest } from '../longpoll/hold-status-request.js';

export type AsyncJob =
  | { kind: 'export'; job: ExportJob; running: boolean }
  | { kind: 'interaction'; job: InteractionJob; running: boolean };

/** The job behind a status URL id, in whichever store holds it (cancelled tombstones included). */
export function findAsyncJob(state: ServerState, id: string): AsyncJob | undefined {
  const interaction = state.interactionJobs.get(id);
  if (interaction !== undefined) {
    return { kind: 'interaction', job: interaction, running: state.interactionJobs.phase(interaction) === 'running' };
  }
  const exported = state.exportJobs.get(id);
  if (exported !== undefined) return { kind: 'export', job: exported, running: state.exportJobs.phase(exported) === 'running' };
  return undefined;
}

/** `GET /_async/<id>`. */
export async function handleAsyncStatus(ctx: RequestContext): Promise<void> {
  const found = findAsyncJob(ctx.state, ctx.pathParams[0] ?? '');
  if (found !== undefined && rejectEarlyPoll(ctx, found.job, found.running)) return;
  if (found?.running === true) {
    const jobEndsAt =
      found.kind === 'interaction' ? ctx.state.interactionJobs.completesAt(found.job) : ctx.state.exportJobs.completesAt(found.job);
    // Long polling (LONGPOLL-01): under Prefer: wait=N, hold until the job ends or is cancelled.
    if ((await holdStatusRequest(ctx, { jobId: found.job.id, jobEndsAt })) === 'aborted') return;
  }
  if (found?.kind === 'interaction') {
    answerInteractionStatus(ctx, found.job);
    return;
  }
  await handleStatus(ctx);
}

/** `DELETE /_async/<id>`. */
export async function handleAsyncCancel(ctx: RequestContext): Promise<void> {
  const found = findAsyncJob(ctx.state, ctx.pathParams[0] ?? '');
  if (found?.kind === 'interaction') cancelInteractionJob(ctx, found.job);
  else await handleCancel(ctx);
  // Releases held long polls and sends the cancelled callback (LONGPOLL-01, CALLBACK-02).
  if (found?.job.cancelledAt !== undefined) ctx.state.jobEvents.emitCancelled(found.job.id);
}
