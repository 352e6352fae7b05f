/**
 * Demonstration of the long-poll fault over real loopback HTTP, spread into faults.test.ts's
 * CASES; like the callback cases it starts its own server (a real clock: the hold is real time).
 */
import { expect } from 'vitest';
import type { SelfContainedFaultCase } from './callback-fault-cases.js';
import { startExport, startServer } from './helpers.js';

export const LONGPOLL_FAULT_CASES: Record<string, SelfContainedFaultCase> = {
  'longpoll-ignores-completion': {
    shows: 'a poll with wait=2 on a 150 ms job is held the full 2 s, then answers 200',
    async run() {
      const { baseUrl } = await startServer({ jobDurationMs: 150, faults: ['longpoll-ignores-completion'] });
      const statusUrl = await startExport(baseUrl);
      const started = performance.now();
      const res = await fetch(statusUrl, { headers: { Prefer: 'wait=2' }, signal: AbortSignal.timeout(15_000) });
      expect(res.status).toBe(200);
      // Lower bound only: the job ended after 150 ms but the answer waited for the whole wait.
      expect(performance.now() - started).toBeGreaterThanOrEqual(1_900);
    },
  },
};
