/**
 * The reference server as the NDJSON benchmark's child process: loopback only, port 0,
 * `patientCount` synthetic patients (about 2 KB of NDJSON each across the output files), jobs
 * that finish at once, no pacing. Prints `listening <baseUrl>`; exits on SIGTERM/SIGINT or
 * when its parent goes away (stdin closes).
 *
 *   node dist/bench/ndjson-server-entry.js <patientCount>
 */
import { startReferenceServer } from '../reference-server/index.js';

async function main(): Promise<void> {
  const patientCount = Number(process.argv[2] ?? '100000');
  const server = await startReferenceServer({
    host: '127.0.0.1',
    port: 0,
    jobDurationMs: 0,
    pacing: false,
    retryAfter: { form: 'seconds', seconds: 0 },
    patientCount,
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
  process.stderr.write(`NDJSON bench server failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
