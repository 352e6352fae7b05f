/** Demonstrations of the pacing faults (X-Progress, Retry-After, 429), run by faults.test.ts. */
import { expect } from 'vitest';
import { get, mediaType } from './helpers.js';
import { reindexBody, startAsync, type FaultDemo } from './interaction-helpers.js';

const READ = { path: '/Patient/p1' };

async function pollTwice(baseUrl: string): Promise<Response> {
  const statusUrl = await startAsync(baseUrl, READ);
  expect((await get(statusUrl)).status).toBe(202);
  return get(statusUrl);
}

export const PACING_FAULT_CASES: Record<string, FaultDemo> = {
  'progress-over-100-chars': {
    shows: 'X-Progress of 100+ characters',
    async run(baseUrl) {
      const res = await get(await startAsync(baseUrl, READ));
      expect(res.status).toBe(202);
      expect((res.headers.get('x-progress') ?? '').length).toBeGreaterThanOrEqual(100);
    },
  },
  'no-retry-after': {
    shows: '202 without Retry-After',
    async run(baseUrl) {
      const res = await get(await startAsync(baseUrl, READ));
      expect(res.status).toBe(202);
      expect(res.headers.get('retry-after')).toBeNull();
    },
  },
  'malformed-retry-after': {
    shows: 'Retry-After: soon',
    async run(baseUrl) {
      const res = await get(await startAsync(baseUrl, READ));
      expect(res.status).toBe(202);
      expect(res.headers.get('retry-after')).toBe('soon');
    },
  },
  'throttle-without-retry-after': {
    shows: '429 without Retry-After',
    async run(baseUrl) {
      const res = await pollTwice(baseUrl);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBeNull();
    },
  },
  'throttle-plain-text-body': {
    shows: '429 with a text/plain body',
    async run(baseUrl) {
      const res = await pollTwice(baseUrl);
      expect(res.status).toBe(429);
      expect(mediaType(res)).toBe('text/plain');
      expect(res.headers.get('retry-after')).toBe('1');
    },
  },
  'throttle-honest-poller': {
    shows: 'a poll exactly Retry-After later gets 429',
    async run(baseUrl, clock) {
      const statusUrl = await startAsync(baseUrl, { path: '/$reindex', body: reindexBody('Patient') });
      const first = await get(statusUrl);
      expect(first.status).toBe(202);
      expect(first.headers.get('retry-after')).toBe('1');
      clock.advance(1_000);
      expect((await get(statusUrl)).status).toBe(429);
    },
  },
};
