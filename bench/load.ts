/**
 * Load benchmark of the reference server (loopback only, stops by itself):
 *   1. start the server in a child process (own event loop),
 *   2. create `jobs` export jobs that keep running,
 *   3. let `clients` concurrent clients poll the status URLs for `durationMs`, once honouring
 *      Retry-After (a conforming client) and once flooding (poll again at once: saturation),
 *   4. print jobs created, requests, requests/s, status latency p50/p95/p99/max, errors, machine.
 * The target (p99 < 20 ms on a 2-core machine) is reported, never enforced.
 *
 *   npm run bench -- --jobs=1000 --clients=200 --duration-ms=10000 --schedule=both
 */
import { cpus, totalmem } from 'node:os';
import { Pool } from 'undici';
import { parseBenchOptions, USAGE, type BenchOptions } from './bench-options.js';
import { createJobs, type CreatedJobs } from './create-jobs.js';
import type { LatencySummary } from './latency-stats.js';
import type { PollSchedule } from './bench-options.js';
import { runPollClients, type PollResult } from './poll-clients.js';
import { startServerProcess } from './server-process.js';

const TARGET_P99_MS = 20;

const PHASE_MEANING: Record<PollSchedule, string> = {
  'retry-after': 'each job polled again after its Retry-After, first polls spread over 1 s',
  flood: 'each client polls again as soon as an answer arrives: saturation, latency is mostly queueing',
};

function formatMs(ms: number): string {
  return Number.isNaN(ms) ? 'n/a' : `${ms.toFixed(2)} ms`;
}

function describeMachine(): string {
  const list = cpus();
  const model = list[0]?.model.trim() ?? 'unknown cpu';
  return `${list.length} cpu(s) (${model}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, ${process.platform}/${process.arch}`;
}

function formatCreation(opts: BenchOptions, created: CreatedJobs): string {
  const lines = [
    'reference server load benchmark',
    `  machine          ${describeMachine()}`,
    `  settings         ${opts.jobs} jobs, ${opts.clients} clients, ${opts.durationMs} ms per phase`,
    `  jobs created     ${created.statusUrls.length} in ${created.ms.toFixed(0)} ms (${created.errors} kick-off errors)`,
  ];
  for (const sample of created.samples) lines.push(`  error sample     ${sample}`);
  return `${lines.join('\n')}\n`;
}

function formatPhase(schedule: PollSchedule, polled: PollResult, latency: LatencySummary): string {
  const seconds = polled.ms / 1000;
  const statuses = [...polled.statuses.entries()].map(([status, count]) => `${status}: ${count}`).join(', ');
  const met = latency.p99 < TARGET_P99_MS;
  const lines = [
    `phase ${schedule} (${PHASE_MEANING[schedule]})`,
    `  requests         ${polled.requests} status polls in ${seconds.toFixed(2)} s = ${(polled.requests / seconds).toFixed(0)} requests/s`,
    `  statuses         ${statuses || 'none'}`,
    `  latency          p50 ${formatMs(latency.p50)}, p95 ${formatMs(latency.p95)}, p99 ${formatMs(latency.p99)}, max ${formatMs(latency.max)}, mean ${formatMs(latency.mean)}`,
    `  errors           ${polled.errors} (non-202 answers and network errors)`,
    `  target           p99 < ${TARGET_P99_MS} ms on a 2-core machine: ${met ? 'met' : 'NOT met'} (this machine has ${cpus().length} cpu(s))`,
  ];
  for (const sample of polled.samples) lines.push(`  error sample     ${sample}`);
  return `${lines.join('\n')}\n`;
}

async function runBench(opts: BenchOptions): Promise<void> {
  const server = await startServerProcess(opts.jobs);
  const pool = new Pool(server.baseUrl, {
    connections: Math.max(opts.clients, opts.kickoffConcurrency),
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  try {
    process.stdout.write(`server pid ${String(server.pid)} at ${server.baseUrl}; creating ${opts.jobs} jobs...\n`);
    const created = await createJobs(pool, opts.jobs, opts.kickoffConcurrency);
    process.stdout.write(formatCreation(opts, created));
    for (const schedule of opts.schedules) {
      const polled = await runPollClients({
        pool,
        statusUrls: created.statusUrls,
        clients: opts.clients,
        durationMs: opts.durationMs,
        schedule,
      });
      process.stdout.write(formatPhase(schedule, polled, polled.latency.summarise()));
    }
  } finally {
    await pool.close();
    await server.stop();
  }
}

async function main(): Promise<void> {
  let opts: BenchOptions;
  try {
    opts = parseBenchOptions(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    process.exitCode = 64;
    return;
  }
  await runBench(opts);
}

main().catch((err: unknown) => {
  process.stderr.write(`benchmark failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 3;
});
