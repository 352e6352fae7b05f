import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_SUITES_DIR } from '../../src/app/package-info.js';
import { runConformance, type ConformanceOptions, type ConformanceOutcome } from '../../src/app/run-conformance.js';

/** Run the real suite in-process against the bundled reference server (real loopback HTTP). */
export async function runBundled(over: Partial<ConformanceOptions> = {}): Promise<{ outcome: ConformanceOutcome; output: string; reportsDir: string }> {
  let output = '';
  const reportsDir = over.reportsDir ?? mkdtempSync(path.join(os.tmpdir(), 'fac-reports-'));
  const outcome = await runConformance({
    suitesDir: DEFAULT_SUITES_DIR,
    reportsDir,
    timeoutMs: 60_000,
    concurrency: 4,
    strict: false,
    requestTimeoutMs: 10_000,
    connectTimeoutMs: 5_000,
    maxBodyBytes: 16 * 1024 * 1024,
    maxRetryAfterMs: 5_000,
    bundled: { jobDurationMs: 300 },
    write: (text) => {
      output += text;
    },
    color: false,
    signal: new AbortController().signal,
    ...over,
  });
  return { outcome, output, reportsDir };
}
