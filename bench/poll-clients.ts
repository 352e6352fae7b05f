/**
 * Phase two: `clients` concurrent loops poll status URLs until the deadline. Client i owns
 * jobs i, i+clients, ... and polls them round-robin. `flood` polls again as soon as an
 * answer arrives (closed loop, the hardest case); `retry-after` waits what each job's last
 * 202 said before polling that job again. Latency is measured per request, send to body end.
 */
import type { Pool } from 'undici';
import type { PollSchedule } from './bench-options.js';
import { LatencyRecorder } from './latency-stats.js';

export interface PollResult {
  latency: LatencyRecorder;
  requests: number;
  errors: number;
  statuses: Map<string, number>;
  samples: string[];
  ms: number;
}

interface PollOptions {
  pool: Pool;
  statusUrls: readonly string[];
  clients: number;
  durationMs: number;
  schedule: PollSchedule;
}

/** The bench server's Retry-After (1 s): the window over which first polls are spread. */
const FIRST_INTERVAL_MS = 1_000;

/** A client that cannot reach the server at all gives up instead of spinning until the deadline. */
const MAX_FAILURES_IN_A_ROW = 100;

function readRetryAfterMs(value: string | string[] | undefined): number {
  const seconds = Number(typeof value === 'string' ? value : '1');
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function runPollClients(opts: PollOptions): Promise<PollResult> {
  const latency = new LatencyRecorder();
  const statuses = new Map<string, number>();
  const samples = new Set<string>();
  let errors = 0;
  const started = performance.now();
  const endsAt = started + opts.durationMs;
  const paths = opts.statusUrls.map((url) => new URL(url).pathname);

  const client = async (index: number): Promise<void> => {
    const mine = paths.filter((_, i) => i % opts.clients === index);
    // Spread first polls evenly over one Retry-After interval, as jobs kicked off at different
    // times would be; aligned due times would measure a self-made thundering herd instead.
    const dueAt = mine.map((_, j) => started + ((index + j * opts.clients) / paths.length) * FIRST_INTERVAL_MS);
    let failuresInARow = 0;
    for (let turn = 0; mine.length > 0 && performance.now() < endsAt; turn = (turn + 1) % mine.length) {
      if (failuresInARow >= MAX_FAILURES_IN_A_ROW) return;
      if (opts.schedule === 'retry-after') {
        const wait = Math.min((dueAt[turn] ?? 0) - performance.now(), endsAt - performance.now());
        if (wait > 0) await sleep(wait);
        if (performance.now() >= endsAt) break;
      }
      const sent = performance.now();
      try {
        const res = await opts.pool.request({ method: 'GET', path: mine[turn] ?? '/', headers: { accept: 'application/json' } });
        await res.body.dump();
        latency.record(performance.now() - sent);
        const key = String(res.statusCode);
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        if (res.statusCode !== 202) errors++;
        dueAt[turn] = performance.now() + readRetryAfterMs(res.headers['retry-after']);
        failuresInARow = 0;
      } catch (err) {
        errors++;
        failuresInARow++;
        statuses.set('network-error', (statuses.get('network-error') ?? 0) + 1);
        if (samples.size < 5) samples.add(err instanceof Error ? err.message : String(err));
      }
    }
  };

  await Promise.all(Array.from({ length: opts.clients }, (_, i) => client(i)));
  let requests = 0;
  for (const count of statuses.values()) requests += count;
  return { latency, requests, errors, statuses, samples: [...samples], ms: performance.now() - started };
}
