/**
 * The long-poll wait: resolves when the job's end time arrives (on the injected clock), the
 * job is cancelled, the wait elapses, or the client goes away — whichever comes first. Never
 * rejects. Timers only prompt a fresh look at the clock, so a fake clock drives it in tests.
 */
import type { Clock } from '../clock.js';
import type { JobEvents } from './job-events.js';
import { systemTimers, type TimerHandle, type Timers } from './timers.js';

export type WaitOutcome = 'job-ended' | 'cancelled' | 'timeout' | 'aborted';

export interface WaitForJobChangeOptions {
  jobId: string;
  /** Epoch ms (on `clock`) when the job completes or fails. */
  jobEndsAt: number;
  /** Longest hold in ms, already capped by the server's maximum. */
  waitMs: number;
  clock: Clock;
  events: JobEvents;
  /** Aborted when the client disconnects or the server closes. */
  signal?: AbortSignal;
  /** Injected for tests; real timers by default. */
  timers?: Timers;
  /**
   * When true, only the wait's end (or the client leaving) releases the request: the job
   * ending or being cancelled is ignored. This is the `longpoll-ignores-completion` fault.
   */
  ignoreJobChanges?: boolean;
}

/** Waits as described above; resolves with what ended the wait. */
export function waitForJobChange(opts: WaitForJobChangeOptions): Promise<WaitOutcome> {
  const timers = opts.timers ?? systemTimers;
  const deadline = opts.clock.now() + Math.max(0, opts.waitMs);
  const watchJob = opts.ignoreJobChanges !== true;
  return new Promise<WaitOutcome>((resolve) => {
    let timer: TimerHandle | undefined;
    let settled = false;
    const unsubscribe = watchJob ? opts.events.onCancelled(opts.jobId, () => settle('cancelled')) : () => undefined;
    const onAbort = (): void => settle('aborted');
    function settle(outcome: WaitOutcome): void {
      if (settled) return;
      settled = true;
      timer?.cancel();
      unsubscribe();
      opts.signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    }
    function check(): void {
      const now = opts.clock.now();
      if (watchJob && now >= opts.jobEndsAt) {
        settle('job-ended');
        return;
      }
      if (now >= deadline) {
        settle('timeout');
        return;
      }
      const next = watchJob ? Math.min(opts.jobEndsAt, deadline) : deadline;
      timer = timers.schedule(check, next - now);
    }
    if (opts.signal?.aborted === true) {
      settle('aborted');
      return;
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    check();
  });
}
