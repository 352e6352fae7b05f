/**
 * `npm run bench`: the reference server load benchmark, then the NDJSON validation benchmark,
 * each in its own Node process (so neither's memory or JIT state colours the other's figures).
 * Settings go through each benchmark's environment variables (BENCH_JOBS, BENCH_CLIENTS,
 * BENCH_DURATION_MS, BENCH_NDJSON_PATIENTS, ...); run dist/bench/load.js or ndjson.js alone
 * to pass arguments.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHES = ['./load.js', './ndjson.js'] as const;
const DEADLINE_MS = 30 * 60_000;

function runOne(entry: string): Promise<number> {
  const file = fileURLToPath(new URL(entry, import.meta.url));
  const child = spawn(process.execPath, [file], { stdio: 'inherit' });
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGTERM'), DEADLINE_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
    child.once('error', () => {
      clearTimeout(timer);
      resolve(1);
    });
  });
}

async function main(): Promise<void> {
  let worst = 0;
  for (const entry of BENCHES) {
    process.stdout.write(`\n== ${entry.replace('./', 'dist/bench/')}\n`);
    worst = Math.max(worst, await runOne(entry));
  }
  process.exitCode = worst;
}

void main();
