/**
 * Job lifecycle notifications that cannot be derived from the clock: a cancellation
 * (DELETE on the status URL). Cancel handlers call `emitCancelled(job.id)`; long polls and
 * callback schedules subscribe per job. Listeners run synchronously; a throwing listener
 * does not stop the others.
 */

export type Unsubscribe = () => void;

export class JobEvents {
  private readonly cancelListeners = new Map<string, Set<() => void>>();
  private readonly log: ((line: string) => void) | undefined;

  constructor(opts: { log?: ((line: string) => void) | undefined } = {}) {
    this.log = opts.log;
  }

  /** Calls `fn` once when `jobId` is cancelled; the returned function unsubscribes. */
  onCancelled(jobId: string, fn: () => void): Unsubscribe {
    let listeners = this.cancelListeners.get(jobId);
    if (listeners === undefined) {
      listeners = new Set();
      this.cancelListeners.set(jobId, listeners);
    }
    const once = (): void => fn();
    listeners.add(once);
    return () => {
      const current = this.cancelListeners.get(jobId);
      if (current === undefined) return;
      current.delete(once);
      if (current.size === 0) this.cancelListeners.delete(jobId);
    };
  }

  /** Tells every listener of `jobId` that the job was cancelled, then forgets them. */
  emitCancelled(jobId: string): void {
    const listeners = this.cancelListeners.get(jobId);
    if (listeners === undefined) return;
    this.cancelListeners.delete(jobId);
    for (const fn of listeners) {
      try {
        fn();
      } catch (err) {
        // A listener's bug must not keep the cancel handler (or other listeners) from finishing.
        this.log?.(`job event listener failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  /** Number of jobs with at least one listener (for tests and leak checks). */
  get listenedJobs(): number {
    return this.cancelListeners.size;
  }
}
