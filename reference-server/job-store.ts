/**
 * In-memory store of asynchronous jobs. Bounded (create() refuses when full), and every
 * time decision uses the injected clock: a job runs for `durationMs` after creation, a
 * finished job is kept for `retentionMs`, a cancelled job leaves a tombstone for the same
 * time (so its status URL answers 404 rather than being reused). Generic over the payload
 * so other patterns (async-bundle, redirect) can share it.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from './clock.js';

export const DEFAULT_MAX_JOBS = 1000;
export const DEFAULT_RETENTION_MS = 60 * 60 * 1000;

export interface Job<T> {
  /** Status URL token: 128 random bits, hex. */
  readonly id: string;
  /** File URL token: another 128 random bits, so a file URL does not reveal the status URL. */
  readonly fileKey: string;
  readonly createdAt: number;
  readonly durationMs: number;
  readonly payload: T;
  cancelledAt: number | undefined;
  /** When the status URL was last polled and answered (for 429 pacing); undefined before the first poll. */
  lastPolledAt: number | undefined;
}

export type JobPhase = 'running' | 'complete' | 'cancelled';

export interface JobStoreOptions {
  clock: Clock;
  maxJobs?: number;
  retentionMs?: number;
}

export type CreateJobResult<T> = { ok: true; job: Job<T> } | { ok: false; reason: 'full' };

function newToken(): string {
  return randomBytes(16).toString('hex');
}

export class JobStore<T> {
  private readonly jobs = new Map<string, Job<T>>();
  private readonly byFileKey = new Map<string, string>();
  private readonly clock: Clock;
  private readonly maxJobs: number;
  readonly retentionMs: number;

  constructor(opts: JobStoreOptions) {
    this.clock = opts.clock;
    this.maxJobs = opts.maxJobs ?? DEFAULT_MAX_JOBS;
    this.retentionMs = opts.retentionMs ?? DEFAULT_RETENTION_MS;
  }

  get size(): number {
    this.purgeExpired();
    return this.jobs.size;
  }

  create(payload: T, durationMs: number): CreateJobResult<T> {
    this.purgeExpired();
    if (this.jobs.size >= this.maxJobs) return { ok: false, reason: 'full' };
    const job: Job<T> = {
      id: newToken(),
      fileKey: newToken(),
      createdAt: this.clock.now(),
      durationMs,
      payload,
      cancelledAt: undefined,
      lastPolledAt: undefined,
    };
    this.jobs.set(job.id, job);
    this.byFileKey.set(job.fileKey, job.id);
    return { ok: true, job };
  }

  /** The job (possibly a cancelled tombstone) for a status token, unless unknown or expired. */
  get(id: string): Job<T> | undefined {
    const job = this.jobs.get(id);
    if (job === undefined || this.isExpired(job)) return undefined;
    return job;
  }

  /** The job for a file token, unless unknown, expired or cancelled. */
  getByFileKey(fileKey: string): Job<T> | undefined {
    const id = this.byFileKey.get(fileKey);
    const job = id === undefined ? undefined : this.get(id);
    return job === undefined || job.cancelledAt !== undefined ? undefined : job;
  }

  /** Marks the job cancelled; its files disappear at once, its tombstone after retention. */
  cancel(job: Job<T>): void {
    if (job.cancelledAt !== undefined) return;
    job.cancelledAt = this.clock.now();
    this.byFileKey.delete(job.fileKey);
  }

  phase(job: Job<T>): JobPhase {
    if (job.cancelledAt !== undefined) return 'cancelled';
    return this.clock.now() < this.completesAt(job) ? 'running' : 'complete';
  }

  completesAt(job: Job<T>): number {
    return job.createdAt + job.durationMs;
  }

  /** When the job's data is dropped: retention after completion (or after cancellation). */
  expiresAt(job: Job<T>): number {
    return (job.cancelledAt ?? this.completesAt(job)) + this.retentionMs;
  }

  /** Fraction of the run elapsed, 0..1. */
  progress(job: Job<T>): number {
    if (job.durationMs <= 0) return 1;
    const elapsed = this.clock.now() - job.createdAt;
    return Math.min(1, Math.max(0, elapsed / job.durationMs));
  }

  private isExpired(job: Job<T>): boolean {
    return this.clock.now() >= this.expiresAt(job);
  }

  private purgeExpired(): void {
    for (const job of this.jobs.values()) {
      if (!this.isExpired(job)) continue;
      this.jobs.delete(job.id);
      this.byFileKey.delete(job.fileKey);
    }
  }
}
