/**
 * The reference server as the NDJSON benchmark's child process: loopback only, port 0,
 * `patientCount` synthetic patients (about 2 KB of NDJSON each across the output files), jobs
 * that finish at once, no pacing. Prints `listening <baseUrl>`; exits on SIGTERM/SIGINT or
 * when its parent goes away (stdin closes).
 *
 *   node dist/bench/ndjson-server-entry.js <patientCount>
 */
import { serveAsChild } from './serve-child.js';

const patientCount = Number(process.argv[2] ?? '100000');
serveAsChild('NDJSON bench server', {
  jobDurationMs: 0,
  pacing: false,
  retryAfter: { form: 'seconds', seconds: 0 },
  patientCount,
});
