/**
 * The files a completed export job offers: NDJSON output files (one per type with data, or
 * several when `_maximumFileSize` splits them), `error` files with one OperationOutcome per
 * parameter ignored under handling=lenient, and `deleted` files with one transaction Bundle
 * per deleted resource. Deterministic for a job; computed once and kept with the job.
 */
import type { ExportJob } from '../context.js';
import type { FaultSet } from '../faults/fault-set.js';
import { formatFhirInstant } from '../fhir-time.js';
import { buildOperationOutcome } from '../operation-outcome.js';
import { EXPORT_TYPES, PATIENT_COMPARTMENT_TYPES, type DeletedResource } from '../synthetic-data.js';
import { applyContentFaults } from './content-faults.js';
import { selectExportData } from './export-data.js';
import { splitLines } from './file-split.js';

export interface ExportFile {
  name: string;
  /** resourceType of the lines (Bundle for deleted files, OperationOutcome for error files). */
  type: string;
  /** Serialised resources, one per NDJSON line, without newlines. */
  lines: readonly string[];
}

export interface ExportOutput {
  output: readonly ExportFile[];
  error: readonly ExportFile[];
  deleted: readonly ExportFile[];
  /** Why the job failed (it then offers no files), or undefined when it succeeded. */
  failure: string | undefined;
}

export interface OutputConfig {
  patientCount: number;
  faults: FaultSet;
}

const cache = new WeakMap<ExportJob, ExportOutput>();

function buildDeletedBundle(deleted: DeletedResource, faults: FaultSet): fhir4.Bundle {
  return {
    resourceType: 'Bundle',
    id: `deleted-${deleted.id}`,
    meta: { lastUpdated: formatFhirInstant(deleted.deletedAt) },
    // Fault MAN-05: deleted lines are not transaction Bundles.
    type: faults.has('deleted-not-transaction') ? 'collection' : 'transaction',
    entry: [{ request: { method: 'DELETE', url: `${deleted.type}/${deleted.id}` } }],
  };
}

function buildErrorLines(ignored: readonly string[], faults: FaultSet): string[] {
  // Fault MAN-13: parameters ignored under handling=lenient are not reported.
  if (faults.has('lenient-parameter-not-reported')) return [];
  return ignored.map((diagnostics) =>
    // Fault MAN-06: error-file lines are bare issues, not OperationOutcome resources.
    faults.has('error-file-not-outcome')
      ? JSON.stringify({ severity: 'warning', code: 'not-supported', diagnostics })
      : JSON.stringify(buildOperationOutcome('warning', 'not-supported', diagnostics)),
  );
}

function splitIntoFiles(prefix: string, type: string, lines: readonly string[], max: number | undefined, start: number): ExportFile[] {
  return splitLines(lines, max).map((group, i) => ({ name: `${prefix}-${start + i + 1}.ndjson`, type, lines: group }));
}

function computeExportOutput(job: ExportJob, config: OutputConfig): ExportOutput {
  const { payload } = job;
  const { faults } = config;
  if (payload.failure !== undefined) return { output: [], error: [], deleted: [], failure: payload.failure };
  const dataset = { patientCount: config.patientCount, transactionTime: job.createdAt };
  const data = selectExportData(payload, dataset);
  const offered = payload.level === 'system' ? EXPORT_TYPES : PATIENT_COMPARTMENT_TYPES;
  applyContentFaults({ faults, level: payload.level, typesLimited: payload.types.length < offered.length, dataset, data });
  // Fault KICKOFF-13: _maximumFileSize is accepted but files are not split.
  const max = faults.has('maximum-file-size-ignored') ? undefined : payload.maxFileSize;
  const output: ExportFile[] = [];
  for (const [type, resources] of data.output) {
    const lines = resources.map((resource) => JSON.stringify(resource));
    // Fault MAN-04 (SHOULD NOT): a type without data still gets an (empty) output item.
    if (lines.length === 0 && faults.has('empty-output-item')) output.push({ name: `output-${output.length + 1}.ndjson`, type, lines });
    output.push(...splitIntoFiles('output', type, lines, max, output.length));
  }
  const firstFile = output[0];
  // Fault FILE-03: the first line of the first file is cut short (not valid JSON).
  if (faults.has('ndjson-invalid-line') && firstFile?.lines[0] !== undefined) {
    output[0] = { ...firstFile, lines: [firstFile.lines[0].slice(0, -1), ...firstFile.lines.slice(1)] };
  }
  const deletedLines = data.deleted.map((deleted) => JSON.stringify(buildDeletedBundle(deleted, faults)));
  return {
    output,
    error: splitIntoFiles('error', 'OperationOutcome', buildErrorLines(payload.ignored, faults), max, 0),
    deleted: splitIntoFiles('deleted', 'Bundle', deletedLines, max, 0),
    failure: undefined,
  };
}

/** The job's files (computed on first use, then cached with the job). */
export function listExportOutput(job: ExportJob, config: OutputConfig): ExportOutput {
  let output = cache.get(job);
  if (output === undefined) {
    output = computeExportOutput(job, config);
    cache.set(job, output);
  }
  return output;
}

export function findExportFile(output: ExportOutput, name: string): ExportFile | undefined {
  return [...output.output, ...output.error, ...output.deleted].find((file) => file.name === name);
}

/** NDJSON body: one resource per line, each line newline-terminated. */
export function renderNdjson(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}
