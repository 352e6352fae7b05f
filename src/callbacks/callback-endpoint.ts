/**
 * Correlation: one endpoint per declared callback of a scenario run, with its own unguessable
 * path, so concurrent scenarios never see each other's callbacks. Requests that arrive before
 * anyone waits are kept; a waiter is parked until enough have arrived, its deadline passes,
 * its signal aborts or the receiver closes (Inferno's wait/resume, never sleep-and-hope).
 */
import type { Clock } from '../runner/clock.js';

/** One request the target sent to a callback endpoint, as the receiver saw it. */
export interface CallbackArrival {
  method: string;
  /** Path and query as received. */
  target: string;
  /** Lower-case names; repeated fields joined with ", ". */
  headers: Record<string, string>;
  /** The body (only the first `maxBodyBytes` when `oversize`). */
  body: Buffer;
  /** The body was larger than the receiver's cap; it was answered 413. */
  oversize: boolean;
  /** When the request had been read completely (ms since the epoch, on the receiver's clock). */
  receivedAt: number;
  /** What the receiver answered. */
  answeredStatus: number;
}

export type WaitOutcome = 'arrived' | 'timeout' | 'closed';

export interface WaitOptions {
  timeoutMs: number;
  clock: Clock;
  signal: AbortSignal;
}

export class CallbackEndpoint {
  private readonly received: CallbackArrival[] = [];
  private readonly waiters = new Set<() => void>();
  private reported = 0;
  private isClosed = false;

  /**
   * @param url what the target is told to call (public base + path)
   * @param respondStatus what the receiver answers (2xx, or an error status to check no-retry)
   */
  constructor(
    readonly token: string,
    readonly url: string,
    readonly respondStatus: number,
  ) {}

  get arrivals(): readonly CallbackArrival[] {
    return this.received;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Called by the receiver for every request on this endpoint's path. */
  record(arrival: CallbackArrival): void {
    if (this.isClosed) return;
    this.received.push(arrival);
    this.wake();
  }

  /** Arrivals not yet handed out by this method (each request is put in a transcript once). */
  takeUnreported(): CallbackArrival[] {
    const fresh = this.received.slice(this.reported);
    this.reported = this.received.length;
    return fresh;
  }

  /** Releases every waiter with `closed`; later requests are no longer recorded. */
  close(): void {
    this.isClosed = true;
    this.wake();
  }

  /**
   * Resolves `arrived` once at least `count` requests came (at once if they already did),
   * `timeout` after `timeoutMs` on the clock, `closed` when the receiver shuts down; rejects
   * with the signal's reason when it aborts first.
   */
  async waitFor(count: number, opts: WaitOptions): Promise<WaitOutcome> {
    if (this.received.length >= count) return 'arrived';
    if (this.isClosed) return 'closed';
    const stop = new AbortController();
    let waiter: (() => void) | undefined;
    const event = new Promise<WaitOutcome>((resolve) => {
      waiter = () => {
        if (this.isClosed) resolve('closed');
        else if (this.received.length >= count) resolve('arrived');
      };
      this.waiters.add(waiter);
    });
    const deadline = opts.clock.sleep(opts.timeoutMs, AbortSignal.any([opts.signal, stop.signal])).then(() => 'timeout' as const);
    // Once the event wins, stopping the sleep rejects it: that rejection is expected, not an error.
    deadline.catch(() => undefined);
    try {
      return await Promise.race([event, deadline]);
    } finally {
      stop.abort();
      if (waiter) this.waiters.delete(waiter);
    }
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
