/** The Bulk Data v2 completion manifest for an export job. */
import { formatFhirInstant } from '../fhir-time.js';
import type { FaultSet } from '../faults/fault-set.js';
import type { ExportJob } from '../context.js';
import type { ExportFile, ExportOutput } from './export-output.js';
import { filePath } from './paths.js';

export interface ManifestItem {
  type: string;
  url: string;
  count: number;
}

export interface BulkManifest {
  transactionTime: string;
  request: string;
  /** Always boolean, except under the `manifest-requires-access-token-string` fault. */
  requiresAccessToken: boolean | string;
  output: ManifestItem[];
  error: ManifestItem[];
}

export interface ManifestInput {
  job: ExportJob;
  files: ExportOutput;
  baseUrl: string;
  faults: FaultSet;
}

function toItem(file: ExportFile, input: ManifestInput): ManifestItem {
  const path = filePath(input.job.fileKey, file.name);
  // Fault MAN-04: relative output URLs.
  const url = input.faults.has('manifest-relative-output-url') ? path : `${input.baseUrl}${path}`;
  return { type: file.type, url, count: file.resources.length };
}

export function buildManifest(input: ManifestInput): BulkManifest {
  return {
    transactionTime: formatFhirInstant(input.job.createdAt),
    request: input.job.payload.requestUrl,
    // Fault MAN-03: requiresAccessToken as a string.
    requiresAccessToken: input.faults.has('manifest-requires-access-token-string') ? 'false' : false,
    output: input.files.output.map((file) => toItem(file, input)),
    error: input.files.error.map((file) => toItem(file, input)),
  };
}
