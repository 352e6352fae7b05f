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
import { describeAttachment, EXPORT_TYPES, PATIENT_COMPARTMENT_TYPES, type DeletedResource, type SyntheticAttachment } from '../synthetic-data.js';
import { applyContentFaults } from './content-faults.js';
import { selectExportData, type SelectedData } from './export-data.js';
import { splitLines } from './file-split.js';
import { ORGANIZED_FILE_BYTES, packBlocks } from './organize-output.js';
import { filePath } from './paths.js';

export interface ExportFile {
  name: string;
  /** resourceType of the lines (Bundle for deleted files, OperationOutcome for error files). */
  type: string;
  /** Serialised resources, one per NDJSON line, without newlines. */
  lines: readonly string[];
  /** Organized output: the name of the file where this file's last block continues. */
  continuesIn?: string;
}

export interface ExportOutput {
  output: readonly ExportFile[];
  error: readonly ExportFile[];
  deleted: readonly ExportFile[];
  /** Why the job failed (it then offers no files), or undefined when it succeeded. */
  failure: string | undefined;
  /** The resource type the output is organized by (organizeOutputBy), when it is. */
  organizedBy?: string;
  /** The attachments the output's DocumentReferences point to, by file name (served next to the files). */
  attachments?: ReadonlyMap<string, SyntheticAttachment>;
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

/** The Patient block a resource belongs to (`Patient/<id>`), or undefined outside every Patient compartment. */
function findBlockReference(resource: fhir4.Resource): string | undefined {
  if (resource.resourceType === 'Patient') return `Patient/${resource.id ?? ''}`;
  const subject = (resource as { subject?: { reference?: unknown } }).subject?.reference;
  return typeof subject === 'string' && subject.startsWith('Patient/') ? subject : undefined;
}

/** organizeOutputBy=Patient: files of Parameters-headed blocks, one block per Patient (see organize-output.ts). */
function buildOrganizedFiles(data: SelectedData, maxBytes: number, faults: FaultSet): ExportFile[] {
  const blocks = new Map<string, string[]>();
  for (const resources of data.output.values()) {
    for (const resource of resources) {
      const reference = findBlockReference(resource);
      if (reference === undefined) continue;
      const lines = blocks.get(reference) ?? [];
      lines.push(JSON.stringify(resource));
      blocks.set(reference, lines);
    }
  }
  const files = packBlocks([...blocks].map(([reference, lines]) => ({ reference, lines })), maxBytes, faults);
  const name = (i: number): string => `output-${i + 1}.ndjson`;
  return files.map((file, i) => ({
    name: name(i),
    type: 'Parameters',
    lines: file.lines,
    ...(file.continues ? { continuesIn: name(i + 1) } : {}),
  }));
}

/** The attachments of the exported DocumentReferences, by the file name their url ends with. */
function collectAttachments(data: SelectedData, patientCount: number): Map<string, SyntheticAttachment> {
  const attachments = new Map<string, SyntheticAttachment>();
  for (const resource of data.output.get('DocumentReference') ?? []) {
    const attachment = describeAttachment(resource.id ?? '', patientCount);
    if (attachment !== undefined) attachments.set(attachment.name, attachment);
  }
  return attachments;
}

function computeExportOutput(job: ExportJob, config: OutputConfig): ExportOutput {
  const { payload } = job;
  const { faults } = config;
  if (payload.failure !== undefined) return { output: [], error: [], deleted: [], failure: payload.failure };
  // Attachments are served next to the job's files (same access rules); fault FILE-07 makes their URLs relative.
  const attachmentPath = filePath(job.fileKey, '').replace(/\/$/, '');
  const attachmentBase = faults.has('attachment-relative-url') ? attachmentPath : `${payload.baseUrl ?? new URL(payload.requestUrl).origin}${attachmentPath}`;
  const dataset = { patientCount: config.patientCount, transactionTime: job.createdAt, attachmentBase };
  const data = selectExportData(payload, dataset);
  const offered = payload.level === 'system' ? EXPORT_TYPES : PATIENT_COMPARTMENT_TYPES;
  applyContentFaults({ faults, level: payload.level, typesLimited: payload.types.length < offered.length, dataset, data });
  // Fault KICKOFF-13: _maximumFileSize is accepted but files are not split.
  const max = faults.has('maximum-file-size-ignored') ? undefined : payload.maxFileSize;
  const output: ExportFile[] = [];
  if (payload.organizeOutputBy !== undefined) output.push(...buildOrganizedFiles(data, max ?? ORGANIZED_FILE_BYTES, faults));
  for (const [type, resources] of payload.organizeOutputBy === undefined ? data.output : []) {
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
    ...(payload.organizeOutputBy !== undefined ? { organizedBy: payload.organizeOutputBy } : {}),
    attachments: collectAttachments(data, config.patientCount),
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
