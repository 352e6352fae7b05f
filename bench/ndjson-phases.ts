/**
 * The two measured passes of the NDJSON benchmark over the same export files:
 *   validate: the harness's streaming validation (HTTP, decode, split, JSON.parse, FHIR R4
 *             schema, type/count/duplicate/lastUpdated checks), timed end to end;
 *   parse:    the same bytes downloaded and split again, timing only JSON.parse of each line
 *             (the raw-parse baseline; download and splitting are not counted).
 */
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import { request } from 'undici';
import { Redactor } from '../src/http/redact.js';
import type { FileCheckKind } from '../src/model/scenario.js';
import { sharedFhirValidator } from '../src/validate/fhir-r4-schema.js';
import { EXPORT_KEY_SLOTS, ResourceKeySet } from '../src/validate/resource-key-set.js';
import { validateFile, type FileTarget } from '../src/validate/validate-file.js';

export interface PassResult {
  bytes: number;
  resources: number;
  /** Wall-clock time of the pass (validation) or inside JSON.parse (baseline). */
  ms: number;
  /** CPU time of this process over the same span: less disturbed by other load on the machine. */
  cpuMs: number;
  problems: string[];
}

const cpuNow = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const KINDS: ReadonlySet<FileCheckKind> = new Set(['status', 'contentType', 'encoding', 'ndjson', 'resource', 'type', 'count', 'unique', 'lastUpdated']);

export async function runValidationPass(files: readonly FileTarget[], transactionTime: number | undefined, headers: Record<string, string>, threads?: number): Promise<PassResult> {
  // As the files step makes it: past EXPORT_KEY_SLOTS the keys go to disk, and settle reads them back.
  const keys = new ResourceKeySet({ maxSlots: EXPORT_KEY_SLOTS });
  const fhir = sharedFhirValidator();
  const started = performance.now();
  const cpuStarted = cpuNow();
  const result: PassResult = { bytes: 0, resources: 0, ms: 0, cpuMs: 0, problems: [] };
  let ordinalBase = 0;
  for (const [i, target] of files.entries()) {
    const report = await validateFile(target, {
      headers,
      signal: AbortSignal.timeout(600_000),
      stallTimeoutMs: 30_000,
      redactor: new Redactor(),
      label: `file[${i}]`,
      maxProblems: 3,
      sample: undefined,
      ...(threads === undefined ? {} : { threads }),
      lineContext: { kinds: KINDS, transactionTime, keys, ordinalBase, locate: (n) => `ordinal ${n}`, fhir, elements: undefined },
    });
    ordinalBase += report.lines;
    result.bytes += report.decodedBytes;
    result.resources += report.resources;
    if (report.error) result.problems.push(report.error);
    for (const kind of KINDS) {
      const text = report.log.describe(kind);
      if (text) result.problems.push(`${target.type ?? target.url} ${kind}: ${text}`);
    }
  }
  const late = keys.settle();
  if (late.length) result.problems.push(`${late.length} duplicate resource(s) found on disk, the first at ordinal ${String(late[0]?.ordinal)}`);
  result.ms = performance.now() - started;
  result.cpuMs = cpuNow() - cpuStarted;
  return result;
}

export async function runParsePass(files: readonly FileTarget[], headers: Record<string, string>): Promise<PassResult> {
  const result: PassResult = { bytes: 0, resources: 0, ms: 0, cpuMs: 0, problems: [] };
  for (const target of files) {
    const res = await request(target.url, { headers, signal: AbortSignal.timeout(600_000) });
    const decoder = new StringDecoder('utf8');
    let partial = '';
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      result.bytes += chunk.length;
      const lines = (partial + decoder.write(chunk)).split('\n');
      partial = lines.pop() ?? '';
      parseAll(lines, result);
    }
    const rest = partial + decoder.end();
    if (rest !== '') parseAll([rest], result);
  }
  return result;
}

function parseAll(lines: readonly string[], result: PassResult): void {
  // The CPU clock is read outside the wall-clock window, so its own cost never counts as parsing.
  const cpuStarted = cpuNow();
  const started = performance.now();
  for (const line of lines) {
    if (line.length === 0) continue;
    JSON.parse(line);
    result.resources += 1;
  }
  result.ms += performance.now() - started;
  result.cpuMs += cpuNow() - cpuStarted;
}
