/**
 * Payload-validation benchmark (loopback only, stops by itself):
 *   1. start the reference server in a child process with `patients` synthetic patients
 *      (default 120,000: about 300 MB of NDJSON over six output files),
 *   2. run a system export to completion, read its manifest and fetch each file once (the
 *      server builds a file on its first request: not the validator's cost),
 *   3. stream-validate every output file over HTTP (see ndjson-phases.ts) with the default
 *      validation workers, and (for comparison) with none, each pass in a fresh process
 *      (ndjson-pass.ts) whose maxRSS is its peak,
 *   4. download the same files again and time JSON.parse alone over the same lines (also in
 *      fresh processes, alternating with the validation passes),
 *   5. print MB/s, resources/s and peak RSS of each, and the ratio.
 * Targets (reported, never enforced): at least 50% of raw JSON.parse throughput; peak RSS under
 * 200 MB whatever the file size.
 *
 *   npm run bench -- --patients=120000        (or BENCH_NDJSON_PATIENTS)
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { request } from 'undici';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultThreadCount } from '../src/validate/line-pool.js';
import type { FileTarget } from '../src/validate/validate-file.js';
import type { PassResult } from './ndjson-phases.js';
import type { PassJob, PassReport } from './ndjson-pass.js';
import { startServerProcess } from './server-process.js';

const DEFAULT_PATIENTS = 120_000;
const TARGET_RATIO = 0.5;
const TARGET_RSS_MB = 200;
const MB = 1e6;

function readPatients(argv: readonly string[], env: NodeJS.ProcessEnv): number {
  const arg = argv.find((a) => a.startsWith('--patients='))?.slice('--patients='.length);
  const unknown = argv.filter((a) => !a.startsWith('--patients='));
  if (unknown.length) throw new RangeError(`unknown argument(s) ${unknown.join(' ')}; usage: node dist/bench/ndjson.js [--patients=${DEFAULT_PATIENTS}]`);
  const text = arg ?? env['BENCH_NDJSON_PATIENTS'] ?? String(DEFAULT_PATIENTS);
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new RangeError(`--patients must be an integer from 1 to 1000000, got "${text}"`);
  return n;
}

async function completeExport(baseUrl: string): Promise<{ files: FileTarget[]; transactionTime: number | undefined }> {
  const kickoff = await request(`${baseUrl}/$export`, { headers: { prefer: 'respond-async', accept: 'application/fhir+json' }, signal: AbortSignal.timeout(30_000) });
  await kickoff.body.dump();
  const statusUrl = kickoff.headers['content-location'];
  if (kickoff.statusCode !== 202 || typeof statusUrl !== 'string') throw new Error(`kick-off answered ${kickoff.statusCode}`);
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    const res = await request(statusUrl, { signal: AbortSignal.timeout(600_000) });
    if (res.statusCode === 200) {
      const manifest = (await res.body.json()) as { transactionTime?: string; output?: { type?: string; url: string; count?: number }[] };
      const files = (manifest.output ?? []).map((item, index) => ({ list: 'output', index, url: item.url, type: item.type, count: item.count }));
      return { files, transactionTime: manifest.transactionTime ? Date.parse(manifest.transactionTime) : undefined };
    }
    await res.body.dump();
    if (res.statusCode !== 202) throw new Error(`status answered ${res.statusCode}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the export did not complete within 10 minutes');
}

/** Fetch every URL once in a child process, reading and dropping the bytes (uncompressed, as the passes read them). */
async function warmUpServer(urls: readonly string[]): Promise<void> {
  const script = `(async () => { for (const url of process.argv.slice(1)) { const res = await fetch(url, { headers: { 'accept-encoding': 'identity' } }); if (!res.ok || !res.body) throw new Error(url + ' answered ' + res.status); for await (const chunk of res.body) void chunk; } })().catch((e) => { console.error(e.message); process.exit(1); });`;
  await promisify(execFile)(process.execPath, ['-e', script, ...urls], { timeout: 600_000 });
}

/** CPU seconds a process has used (Linux /proc), or undefined where that cannot be read. */
function cpuSecondsOf(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${String(pid)}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / 100 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Run one timed pass in its own process (ndjson-pass.ts) and read its report, with the CPU time
 * the reference server spent meanwhile (it shares this machine's cores with the pass).
 */
async function runPass(mode: 'validate' | 'parse', jobFile: string, serverPid: number | undefined): Promise<PassReport & { serverCpuS: number | undefined }> {
  const script = fileURLToPath(new URL('./ndjson-pass.js', import.meta.url));
  const before = cpuSecondsOf(serverPid);
  const { stdout } = await promisify(execFile)(process.execPath, [script, mode, jobFile], { timeout: 900_000, maxBuffer: 1 << 20 });
  const after = cpuSecondsOf(serverPid);
  const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as PassReport;
  return { ...report, serverCpuS: before !== undefined && after !== undefined ? after - before : undefined };
}

const RUNS = 3;
const SINGLE_RUNS = 2;
const fastest = <T extends PassReport>(runs: readonly T[]): T => runs.reduce((best, r) => (r.ms < best.ms ? r : best));
const samples = (runs: readonly PassResult[]): string => runs.map((r) => `${(r.bytes / MB / (r.ms / 1000)).toFixed(1)}`).join(', ');
const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);

const rate = (r: PassResult): string => `${(r.bytes / MB / (r.ms / 1000)).toFixed(1)} MB/s, ${Math.round(r.resources / (r.ms / 1000)).toLocaleString('en')} resources/s`;

async function main(): Promise<void> {
  const patients = readPatients(process.argv.slice(2), process.env);
  const threads = defaultThreadCount();
  const server = await startServerProcess(1, { entry: './ndjson-server-entry.js', args: [String(patients)] });
  const dir = mkdtempSync(join(tmpdir(), 'ndjson-bench-'));
  try {
    process.stdout.write(`NDJSON validation benchmark: ${patients.toLocaleString('en')} patients, server pid ${String(server.pid)} at ${server.baseUrl}\n`);
    const { files, transactionTime } = await completeExport(server.baseUrl);
    // The reference server builds a file on its first request and then serves it from memory;
    // that one-time cost is the server's, not the validator's, so every timed pass reads warm files.
    const warmStarted = performance.now();
    await warmUpServer(files.map((f) => f.url));
    const warmMs = performance.now() - warmStarted;
    const jobFile = join(dir, 'job.json');
    writeFileSync(jobFile, JSON.stringify({ files, transactionTime, threads } satisfies PassJob));
    // The same validation with no worker: the trade-off the workers make (speed for memory).
    const singleFile = join(dir, 'single.json');
    writeFileSync(singleFile, JSON.stringify({ files, transactionTime, threads: 0 } satisfies PassJob));
    // Each pass runs in a fresh process (its peak RSS is its own); they alternate, and each side
    // keeps its fastest run: a shared 2-core machine's figures swing by a third between runs, and
    // taking the best JSON.parse run as the baseline can only make the ratio look worse.
    type Run = Awaited<ReturnType<typeof runPass>>;
    const validations: Run[] = [];
    const parses: Run[] = [];
    const singles: Run[] = [];
    for (let round = 0; round < RUNS; round++) {
      validations.push(await runPass('validate', jobFile, server.pid));
      parses.push(await runPass('parse', jobFile, server.pid));
      if (threads > 0 && round < SINGLE_RUNS) singles.push(await runPass('validate', singleFile, server.pid));
    }
    const validated = fastest(validations);
    const parsed = fastest(parses);
    const ratio = (validated.bytes / validated.ms) / (parsed.bytes / parsed.ms);
    const cpuRatio = (validated.bytes / validated.cpuMs) / (parsed.bytes / parsed.cpuMs);
    const peak = Math.max(...validations.map((r) => r.maxRssBytes));
    const parsePeak = Math.max(...parses.map((r) => r.maxRssBytes));
    const warmup = Math.max(...validations.map((r) => r.warmMs));
    const lines = [
      `  machine          ${cpus().length} cpu(s) (${cpus()[0]?.model.trim() ?? 'unknown'}), node ${process.version}`,
      `  server warm-up   ${(warmMs / 1000).toFixed(2)} s before timing (each file fetched once by a child process: the server builds it on first request)`,
      `  threads          main thread + ${threads} validation worker(s) (FHIR_ASYNC_VALIDATION_THREADS; default cores - 1, at most 3)`,
      `  set-up           up to ${warmup.toFixed(0)} ms per validation run before timing (workers start; each validating thread loads the generated FHIR R4 validator of each output type)`,
      `  export           ${files.length} output files, ${(validated.bytes / MB).toFixed(1)} MB, ${validated.resources.toLocaleString('en')} resources`,
      `  validation       ${rate(validated)} (best of ${validations.length} runs, each in a fresh process: ${samples(validations)} MB/s; ${(validated.ms / 1000).toFixed(2)} s end to end over HTTP: decode, split, JSON.parse, FHIR R4 schema, type/count/duplicate/lastUpdated)`,
      `  JSON.parse alone ${rate(parsed)} (best of ${parses.length} runs: ${samples(parses)} MB/s; ${(parsed.ms / 1000).toFixed(2)} s inside JSON.parse over the same ${(parsed.bytes / MB).toFixed(1)} MB, one thread)`,
      ...(singles.length
        ? [`  main thread only ${rate(fastest(singles))}, peak RSS ${mib(Math.max(...singles.map((r) => r.maxRssBytes)))} MiB (FHIR_ASYNC_VALIDATION_THREADS=0; best of ${singles.length}: ${samples(singles)} MB/s): ${((fastest(singles).bytes / fastest(singles).ms / (parsed.bytes / parsed.ms)) * 100).toFixed(0)}% of JSON.parse`]
        : []),
      `  ratio            ${(ratio * 100).toFixed(0)}% of raw JSON.parse throughput (target >= ${TARGET_RATIO * 100}%: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`,
      `  CPU time         validation ${(validated.cpuMs / 1000).toFixed(2)} s of CPU, all threads (${(validated.bytes / MB / (validated.cpuMs / 1000)).toFixed(1)} MB per CPU-second), JSON.parse ${(parsed.cpuMs / 1000).toFixed(2)} s (${(parsed.bytes / MB / (parsed.cpuMs / 1000)).toFixed(1)} MB per CPU-second): ${(cpuRatio * 100).toFixed(0)}% by CPU time (load average ${loadavg()[0]?.toFixed(2) ?? '?'})`,
      `  peak RSS         ${mib(peak)} MiB, the largest maxRSS of the validation processes, workers included (runs: ${validations.map((r) => mib(r.maxRssBytes)).join(', ')}; target < ${TARGET_RSS_MB} MB: ${peak < TARGET_RSS_MB * MB ? 'met' : 'NOT met'}); JSON.parse processes ${mib(parsePeak)} MiB`,
      ...(validated.serverCpuS !== undefined
        ? [`  server CPU       ${validated.serverCpuS.toFixed(2)} s during the best validation run (the reference server shares the cores: it encodes each line again on every request)`]
        : []),
      `  problems found   ${validated.problems.length ? validated.problems.slice(0, 5).join(' | ') : 'none (the bundled server is clean)'}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`NDJSON benchmark failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = err instanceof RangeError ? 64 : 3;
});
