import { describe, expect, it } from 'vitest';
import { JobStore } from '../../reference-server/job-store.js';
import { createFakeClock } from './helpers.js';

describe('JobStore', () => {
  it('creates jobs with 128-bit random status and file tokens', () => {
    const store = new JobStore<string>({ clock: createFakeClock() });
    const created = store.create('a', 1_000);
    if (!created.ok) throw new Error('store unexpectedly full');
    expect(created.job.id).toMatch(/^[0-9a-f]{32}$/);
    expect(created.job.fileKey).toMatch(/^[0-9a-f]{32}$/);
    expect(created.job.fileKey).not.toBe(created.job.id);
    expect(store.get(created.job.id)).toBe(created.job);
    expect(store.getByFileKey(created.job.fileKey)).toBe(created.job);
  });

  it('moves from running to complete on the injected clock', () => {
    const clock = createFakeClock();
    const store = new JobStore<string>({ clock });
    const created = store.create('a', 1_000);
    if (!created.ok) throw new Error('store unexpectedly full');
    expect(store.phase(created.job)).toBe('running');
    clock.advance(500);
    expect(store.progress(created.job)).toBe(0.5);
    clock.advance(500);
    expect(store.phase(created.job)).toBe('complete');
  });

  it('refuses new jobs when full, and frees room as jobs expire', () => {
    const clock = createFakeClock();
    const store = new JobStore<number>({ clock, maxJobs: 2, retentionMs: 10_000 });
    expect(store.create(1, 0).ok).toBe(true);
    expect(store.create(2, 0).ok).toBe(true);
    expect(store.create(3, 0)).toEqual({ ok: false, reason: 'full' });
    clock.advance(10_000);
    expect(store.create(4, 0).ok).toBe(true);
    expect(store.size).toBe(1);
  });

  it('keeps a cancelled tombstone (no files) until its retention ends', () => {
    const clock = createFakeClock();
    const store = new JobStore<string>({ clock, retentionMs: 10_000 });
    const created = store.create('a', 1_000);
    if (!created.ok) throw new Error('store unexpectedly full');
    store.cancel(created.job);
    expect(store.phase(created.job)).toBe('cancelled');
    expect(store.getByFileKey(created.job.fileKey)).toBeUndefined();
    expect(store.get(created.job.id)).toBe(created.job);
    clock.advance(10_000);
    expect(store.get(created.job.id)).toBeUndefined();
  });
});
