/**
 * One timed pass of the NDJSON benchmark in a process of its own, so that its peak RSS
 * (`maxRSS`, exact, no sampling) is that pass's alone: a validation pass's memory is never
 * inflated by the JSON.parse baseline's garbage, nor the other way round.
 *
 *   node dist/bench/ndjson-pass.js validate|parse <job.json>
 *
 * job.json: { files, transactionTime, threads }. Prints one JSON line: the PassResult plus
 * `maxRssBytes`, `warmMs` (untimed set-up: worker start, validators loaded) and `threads`.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sharedFhirValidator } from '../src/validate/fhir-r4-schema.js';
import { sharedLinePool } from '../src/validate/line-pool.js';
import type { FileTarget } from '../src/validate/validate-file.js';
import { runParsePass, runValidationPass, type PassResult } from './ndjson-phases.js';

export interface PassJob {
  files: FileTarget[];
  transactionTime: number | undefined;
  threads: number;
}

export type PassReport = PassResult & { maxRssBytes: number; warmMs: number; threads: number };

async function main(): Promise<void> {
  const [mode, jobFile] = process.argv.slice(2);
  if ((mode !== 'validate' && mode !== 'parse') || jobFile === undefined) throw new Error('usage: ndjson-pass.js validate|parse <job.json>');
  const job = JSON.parse(readFileSync(jobFile, 'utf8')) as PassJob;
  const headers = { accept: 'application/fhir+ndjson' };
  let warmMs = 0;
  let result: PassResult;
  if (mode === 'validate') {
    // One-time set-up, reported apart from throughput: start the workers; each thread that
    // validates loads the generated validator of each output type.
    const started = performance.now();
    const types = job.files.flatMap((f) => (f.type === undefined ? [] : [f.type]));
    await sharedLinePool(job.threads)?.warm(types);
    for (const type of types) sharedFhirValidator().validatorFor(type);
    warmMs = performance.now() - started;
    result = await runValidationPass(job.files, job.transactionTime, headers, job.threads);
  } else {
    result = await runParsePass(job.files, headers);
  }
  const report: PassReport = { ...result, maxRssBytes: process.resourceUsage().maxRSS * 1024, warmMs, threads: mode === 'validate' ? job.threads : 0 };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`NDJSON pass failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(3);
  },
);
