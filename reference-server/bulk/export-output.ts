/**
 * The files a completed export job offers: one NDJSON file per requested type that has
 * data (after `_since`), named `<n>.ndjson`, plus `error-1.ndjson` holding one
 * OperationOutcome per parameter ignored under handling=lenient. Recomputed on demand;
 * deterministic for a given job.
 */
import { buildOperationOutcome } from '../operation-outcome.js';
import { generateResources } from '../synthetic-data.js';
import type { ExportJob } from '../context.js';

export interface ExportFile {
  name: string;
  type: string;
  resources: readonly fhir4.Resource[];
}

export interface ExportOutput {
  output: readonly ExportFile[];
  error: readonly ExportFile[];
}

function isAfter(resource: fhir4.Resource, since: number | undefined): boolean {
  if (since === undefined) return true;
  const updated = resource.meta?.lastUpdated;
  return updated !== undefined && Date.parse(updated) > since;
}

export function listExportOutput(job: ExportJob, patientCount: number): ExportOutput {
  const { types, since, ignored } = job.payload;
  const dataset = { patientCount, transactionTime: job.createdAt };
  const output: ExportFile[] = [];
  for (const type of types) {
    const resources = generateResources(type, dataset).filter((resource) => isAfter(resource, since));
    if (resources.length > 0) output.push({ name: `${output.length + 1}.ndjson`, type, resources });
  }
  const error: ExportFile[] = [];
  if (ignored.length > 0) {
    const outcomes = ignored.map((param) =>
      buildOperationOutcome('warning', 'not-supported', `parameter ${param} is not supported and was ignored`),
    );
    error.push({ name: 'error-1.ndjson', type: 'OperationOutcome', resources: outcomes });
  }
  return { output, error };
}

export function findExportFile(output: ExportOutput, name: string): ExportFile | undefined {
  return [...output.output, ...output.error].find((file) => file.name === name);
}

/** NDJSON body: one resource per line, each line newline-terminated. */
export function renderNdjson(resources: readonly fhir4.Resource[]): string {
  return resources.map((resource) => `${JSON.stringify(resource)}\n`).join('');
}
