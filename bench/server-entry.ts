/**
 * The reference server as the benchmark's child process: loopback only, port 0, jobs that
 * run for an hour (so every poll sees a running job), no poll throttling, room for the
 * requested number of jobs. Prints `listening <baseUrl>` once bound; exits on SIGTERM/SIGINT
 * or when its parent goes away (stdin closes).
 *
 *   node dist/bench/server-entry.js <maxJobs>
 */
import { startReferenceServer } from '../reference-server/index.js';

const HOUR_MS = 3_600_000;

async function main(): Promise<void> {
  const maxJobs = Number(process.argv[2] ?? '1000');
  const server = await startReferenceServer({
    host: '127.0.0.1',
    port: 0,
    jobDurationMs: HOUR_MS,
    pacing: false,
    maxJobs: Number.isInteger(maxJobs) && maxJobs > 0 ? maxJobs : 1000,
    retryAfter: { form: 'seconds', seconds: 1 },
  });
  process.stdout.write(`listening ${server.baseUrl}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void server.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
}

main().catch((err: unknown) => {
  process.stderr.write(`bench server failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
