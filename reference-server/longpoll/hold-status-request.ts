/**
 * The hook status handlers call before answering a poll of a running job:
 *
 *   const held = await holdStatusRequest(ctx, { jobId: job.id, jobEndsAt: store.completesAt(job) });
 *   if (held === 'aborted') return;      // client gone or server closing: send nothing
 *   // look the job up again and answer as a normal status request
 *
 * Without `Prefer: wait=N` (or with long polling disabled) it returns 'not-requested' at once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../clock.js';
import type { FaultSet } from '../faults/fault-set.js';
import { parsePrefer } from '../prefer.js';
import type { JobEvents } from './job-events.js';
import type { ResolvedLongPollConfig } from './longpoll-config.js';
import type { Timers } from './timers.js';
import { readWaitMs } from './wait-preference.js';
import { waitForJobChange, type WaitOutcome } from './wait-for-job-change.js';

/** The part of the request context long polling needs (RequestContext satisfies it). */
export interface LongPollContext {
  req: IncomingMessage;
  res: ServerResponse;
  state: {
    config: { clock: Clock; faults: FaultSet; longPoll: ResolvedLongPollConfig };
    jobEvents: JobEvents;
  };
}

export interface HeldJob {
  jobId: string;
  /** Epoch ms (server clock) when the job completes or fails. */
  jobEndsAt: number;
}

export type HoldOutcome = WaitOutcome | 'not-requested';

/** Holds the poll as `Prefer: wait=N` asks (see the module comment); never rejects. */
export async function holdStatusRequest(ctx: LongPollContext, job: HeldJob, timers?: Timers): Promise<HoldOutcome> {
  const { config, jobEvents } = ctx.state;
  const waitMs = readWaitMs(parsePrefer(ctx.req.headers.prefer), config.longPoll);
  if (waitMs <= 0) return 'not-requested';
  if (ctx.res.destroyed) return 'aborted';
  const gone = new AbortController();
  const onClose = (): void => {
    if (!ctx.res.writableFinished) gone.abort();
  };
  ctx.res.once('close', onClose);
  try {
    return await waitForJobChange({
      jobId: job.jobId,
      jobEndsAt: job.jobEndsAt,
      waitMs,
      clock: config.clock,
      events: jobEvents,
      signal: gone.signal,
      ...(timers === undefined ? {} : { timers }),
      // Fault LONGPOLL-01: hold for the whole wait even when the job ends or is cancelled.
      ignoreJobChanges: config.faults.has('longpoll-ignores-completion'),
    });
  } finally {
    ctx.res.off('close', onClose);
  }
}
