/**
 * The reference server as the benchmark's child process: loopback only, port 0, jobs that
 * run for an hour (so every poll sees a running job), no poll throttling, room for the
 * requested number of jobs. Prints `listening <baseUrl>` once bound; exits on SIGTERM/SIGINT
 * or when its parent goes away (stdin closes).
 *
 *   node dist/bench/server-entry.js <maxJobs>
 */
import { serveAsChild } from './serve-child.js';

const HOUR_MS = 3_600_000;
const maxJobs = Number(process.argv[2] ?? '1000');

serveAsChild('bench server', {
  jobDurationMs: HOUR_MS,
  pacing: false,
  maxJobs: Number.isInteger(maxJobs) && maxJobs > 0 ? maxJobs : 1000,
  retryAfter: { form: 'seconds', seconds: 1 },
});
