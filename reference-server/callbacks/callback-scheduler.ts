/**
 * Sends each job's callback exactly once (CALLBACK-02): when the job's end time arrives on
 * the injected clock (`completed`, or `failed` with its outcome), or when it is cancelled
 * first (`cancelled`, via JobEvents). Best effort: one attempt with a deadline, the result
 * logged and never retried. `close()` clears every timer and aborts POSTs in flight.
 */
import type { Clock } from '../clock.js';
import type { FaultSet } from '../faults/fault-set.js';
import type { JobEvents, Unsubscribe } from '../longpoll/job-events.js';
import { systemTimers, type TimerHandle, type Timers } from '../longpoll/timers.js';
import type { ResolvedCallbackConfig } from './callback-config.js';
import { postCallback, type DeliveryResult, type PostCallback } from './callback-delivery.js';
import { buildCallbackParameters, type CallbackStatus } from './callback-payload.js';
import { isDeliverable } from './callback-url.js';

export interface ScheduleCallbackInput {
  jobId: string;
  /** A URL accepted by validateCallbackUrl at kick-off. */
  url: URL;
  /** Bulk and bundle mode: the status URL; redirect mode: the result URL. */
  resultUrl: string;
  /** Epoch ms (on the clock) when the job completes or fails. */
  endsAt: number;
  /**
   * Set when the job ends in failure: the callback says `failed` and carries this outcome. A
   * function is asked when the job ends (for jobs whose result is only known then).
   */
  failure?: fhir4.OperationOutcome | (() => fhir4.OperationOutcome | undefined);
}

export interface CallbackSchedulerOptions {
  config: ResolvedCallbackConfig;
  clock: Clock;
  faults: FaultSet;
  events: JobEvents;
  log?: ((line: string) => void) | undefined;
  timers?: Timers;
  post?: PostCallback;
}

interface Pending {
  input: ScheduleCallbackInput;
  timer: TimerHandle | undefined;
  unsubscribe: Unsubscribe;
}

export class CallbackScheduler {
  private readonly pending = new Map<string, Pending>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly closing = new AbortController();
  private readonly timers: Timers;
  private readonly post: PostCallback;

  constructor(private readonly opts: CallbackSchedulerOptions) {
    this.timers = opts.timers ?? systemTimers;
    this.post = opts.post ?? postCallback;
  }

  /** Remembers the job's callback; it fires at `endsAt`, or earlier if the job is cancelled. */
  schedule(input: ScheduleCallbackInput): void {
    if (this.closing.signal.aborted) return;
    this.pending.get(input.jobId)?.unsubscribe();
    const entry: Pending = {
      input,
      timer: undefined,
      unsubscribe: this.opts.events.onCancelled(input.jobId, () => this.handleCancelled(input.jobId)),
    };
    this.pending.set(input.jobId, entry);
    this.arm(entry);
  }

  /** Sends the callback now if the job's end time has passed (e.g. a poll just saw it finish). */
  fireIfDue(jobId: string): void {
    const entry = this.pending.get(jobId);
    if (entry !== undefined && this.opts.clock.now() >= entry.input.endsAt) this.fire(entry, 'ended');
  }

  /** Jobs whose callback has not been sent yet. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Resolves when no callback POST is in flight (tests). */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Clears every timer, forgets unsent callbacks and aborts POSTs in flight. Idempotent. */
  async close(): Promise<void> {
    this.closing.abort();
    for (const entry of this.pending.values()) {
      entry.timer?.cancel();
      entry.unsubscribe();
    }
    this.pending.clear();
    await this.whenIdle();
  }

  private arm(entry: Pending): void {
    const wait = entry.input.endsAt - this.opts.clock.now();
    entry.timer = this.timers.schedule(() => {
      entry.timer = undefined;
      if (this.pending.get(entry.input.jobId) !== entry) return;
      // Timers run on real time; the decision is taken on the (possibly fake) clock.
      if (this.opts.clock.now() >= entry.input.endsAt) this.fire(entry, 'ended');
      else this.arm(entry);
    }, wait);
  }

  private handleCancelled(jobId: string): void {
    const entry = this.pending.get(jobId);
    if (entry === undefined) return;
    // A DELETE after the end time releases a finished job: its callback reports how it ended.
    const finished = this.opts.clock.now() >= entry.input.endsAt;
    this.fire(entry, finished ? 'ended' : 'cancelled');
  }

  /** Sends the job's one callback: `ended` means completed or failed, whichever the job did. */
  private fire(entry: Pending, how: 'ended' | 'cancelled'): void {
    if (this.pending.get(entry.input.jobId) !== entry) return;
    this.pending.delete(entry.input.jobId);
    entry.timer?.cancel();
    entry.unsubscribe();
    const delivery = this.deliver(entry.input, how)
      .catch((err: unknown) => this.log(`callback for job ${shortId(entry.input.jobId)} failed: ${describeError(err)}`))
      .finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
  }

  private async deliver(input: ScheduleCallbackInput, how: 'ended' | 'cancelled'): Promise<void> {
    const { config, faults } = this.opts;
    const target = `${input.url.origin}${input.url.pathname}`;
    // Fault CALLBACK-02: the callback is never sent.
    if (faults.has('callback-missing')) return;
    if (!isDeliverable(input.url, config)) {
      this.log(`callback for job ${shortId(input.jobId)} not sent: ${input.url.hostname} is neither allow-listed nor loopback`);
      return;
    }
    const outcome = how === 'cancelled' ? undefined : typeof input.failure === 'function' ? input.failure() : input.failure;
    const status: CallbackStatus = how === 'cancelled' ? 'cancelled' : outcome === undefined ? 'completed' : 'failed';
    const body = JSON.stringify(
      buildCallbackParameters({ status, resultUrl: input.resultUrl, ...(outcome === undefined ? {} : { outcome }) }, faults),
    );
    const headers = this.buildHeaders(body);
    // Fault CALLBACK-02: the same callback is POSTed twice.
    const copies = faults.has('callback-twice') ? 2 : 1;
    for (let copy = 0; copy < copies && !this.closing.signal.aborted; copy++) {
      const result = await this.post({ url: input.url, body, headers, timeoutMs: config.timeoutMs, signal: this.closing.signal });
      this.log(`callback ${status} for job ${shortId(input.jobId)} -> POST ${target}: ${describeResult(result)}`);
    }
  }

  private buildHeaders(body: string): Record<string, string> {
    // Fault CALLBACK-05: the Parameters body is labelled plain JSON.
    const mediaType = this.opts.faults.has('callback-wrong-content-type') ? 'application/json' : 'application/fhir+json';
    const headers: Record<string, string> = {
      'Content-Type': `${mediaType}; charset=utf-8`,
      Accept: 'application/fhir+json',
      'User-Agent': 'fhir-async-conformance-reference-server',
    };
    // Fault CALLBACK-04: neither signature nor bearer token, whatever is configured.
    if (this.opts.faults.has('callback-unsigned')) return headers;
    const { credentials } = this.opts.config;
    const signature = credentials.sign(body);
    if (signature !== undefined) headers['X-Callback-Signature'] = signature;
    const authorization = credentials.authorization();
    if (authorization !== undefined) headers['Authorization'] = authorization;
    return headers;
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }
}

function shortId(jobId: string): string {
  return `${jobId.slice(0, 8)}…`;
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function describeResult(result: DeliveryResult): string {
  return result.ok ? `${result.status} (delivered)` : `${result.reason} (not retried)`;
}
