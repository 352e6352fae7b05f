/**
 * A small pool of validation worker threads for large NDJSON files: the main thread reads and
 * cuts the stream (and keeps the export-wide state), workers decode, parse and check batches
 * of lines (line-batches.ts), and the main thread checks a batch itself when they are all busy.
 * On a machine with N cores the default is N-1 workers (at most 3; none on one core);
 * `--validation-threads` or `FHIR_ASYNC_VALIDATION_THREADS` overrides it, and 0 keeps every
 * check on the main thread. A worker costs about 15 MB of RSS when it starts and 25 MB at work
 * (its isolate, young generation and the generated validators of the types it meets), so the
 * pool starts only when a file is large (validate-file.ts) and idle workers never keep the
 * process alive.
 */
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BatchResult, BatchSpec } from './line-batches.js';

export type WorkerRequest =
  | { id: number; op: 'warm'; types: string[] }
  | { id: number; op: 'check'; bytes: ArrayBuffer; length: number; firstLine: number; spec: BatchSpec };

export type WorkerReply =
  | { id: number; ok: true; result?: BatchResult; bytes?: ArrayBuffer }
  | { id: number; ok: false; error: string };

const MAX_DEFAULT_THREADS = 3;
/**
 * A worker's young generation (V8's default is 32 MB of new space, and more): the objects of a
 * line die young and small, so 8 MB costs no measurable throughput and saves about 20 MB of RSS
 * per worker (npm run bench, 2 cores).
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/** The default worker count: `FHIR_ASYNC_VALIDATION_THREADS` when set, else cores minus one (at most 3). */
export function defaultThreadCount(env: NodeJS.ProcessEnv = process.env): number {
  const text = env['FHIR_ASYNC_VALIDATION_THREADS'];
  if (text !== undefined && text !== '') {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0 || n > 64) throw new RangeError(`FHIR_ASYNC_VALIDATION_THREADS must be an integer from 0 to 64, got "${text}"`);
    return n;
  }
  return Math.min(MAX_DEFAULT_THREADS, Math.max(0, availableParallelism() - 1));
}

/**
 * The worker script: the compiled line-worker.js next to this module; when this module runs
 * from TypeScript source (vitest), the build's copy (`npm test` builds first).
 */
function workerScript(): URL {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.ts')) return new URL('./line-worker.js', import.meta.url);
  const built = new URL('../../dist/src/validate/line-worker.js', import.meta.url);
  if (!existsSync(built)) throw new Error(`${fileURLToPath(built)} is missing: run "npm run build" first`);
  return built;
}

interface Pending {
  resolve(reply: WorkerReply): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  inFlight: number;
}

export class LinePool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private broken: Error | undefined;

  /** False once a worker has failed or the pool was closed: callers then make a new one. */
  get healthy(): boolean {
    return this.broken === undefined;
  }

  constructor(readonly size: number) {
    if (size < 1) throw new RangeError('a LinePool needs at least one worker');
    const script = workerScript();
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
      worker.unref();
      const slot: Slot = { worker, inFlight: 0 };
      worker.on('message', (reply: WorkerReply) => this.settle(slot, reply));
      worker.on('error', (e) => this.fail(new Error(`validation worker failed: ${e.message}`)));
      worker.on('exit', (code) => this.fail(new Error(`validation worker exited (code ${code})`)));
      this.slots.push(slot);
    }
  }

  /** Whether every worker has at least `depth` batches waiting or running. */
  busy(depth: number): boolean {
    return this.slots.every((s) => s.inFlight >= depth);
  }

  /** Load these resource types' validators in every worker now (the benchmark's set-up). */
  async warm(types: readonly string[]): Promise<void> {
    await Promise.all(this.slots.map((slot) => this.send(slot, { id: 0, op: 'warm', types: [...types] }, [])));
  }

  /**
   * Check one batch on the least busy worker. The batch's ArrayBuffer (which it must start,
   * and use alone) is transferred, so the Buffer is empty afterwards; the result comes back
   * with the bytes, in a new Buffer over the same memory.
   */
  async check(batch: Buffer, firstLine: number, spec: BatchSpec): Promise<{ result: BatchResult; batch: Buffer }> {
    const slot = this.slots.reduce((best, s) => (s.inFlight < best.inFlight ? s : best));
    const bytes = batch.buffer as ArrayBuffer;
    if (batch.byteOffset !== 0 || !(bytes instanceof ArrayBuffer)) throw new Error('a batch must start its own ArrayBuffer');
    const length = batch.length;
    const reply = await this.send(slot, { id: 0, op: 'check', bytes, length, firstLine, spec }, [bytes]);
    if (!reply.ok || reply.result === undefined || reply.bytes === undefined) throw new Error('validation worker sent no result');
    return { result: reply.result, batch: Buffer.from(reply.bytes, 0, length) };
  }

  /** Stop every worker (pending batches fail). */
  async close(): Promise<void> {
    this.fail(new Error('the validation pool was closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private send(slot: Slot, request: WorkerRequest, transfer: ArrayBuffer[]): Promise<WorkerReply> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextId++;
    const promise = new Promise<WorkerReply>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    // A worker with work keeps the process alive until it answers; an idle one never does.
    if (slot.inFlight++ === 0) slot.worker.ref();
    slot.worker.postMessage({ ...request, id }, transfer);
    return promise.then((reply) => {
      if (!reply.ok) throw new Error(`validation worker: ${reply.error}`);
      return reply;
    });
  }

  private settle(slot: Slot, reply: WorkerReply): void {
    if (--slot.inFlight === 0) slot.worker.unref();
    const waiting = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    waiting?.resolve(reply);
  }

  private fail(error: Error): void {
    this.broken ??= error;
    for (const [id, waiting] of this.pending) {
      this.pending.delete(id);
      waiting.reject(error);
    }
    for (const slot of this.slots) {
      slot.inFlight = 0;
      slot.worker.unref();
    }
  }
}

let shared: LinePool | undefined;
let sharedSize: number | undefined;

/** The process's pool of `threads` workers (default `defaultThreadCount()`), or undefined for 0. */
export function sharedLinePool(threads = defaultThreadCount()): LinePool | undefined {
  if (threads <= 0) return undefined;
  if (shared !== undefined && sharedSize === threads && shared.healthy) return shared;
  const previous = shared;
  shared = new LinePool(threads);
  sharedSize = threads;
  void previous?.close();
  return shared;
}
