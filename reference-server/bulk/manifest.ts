/**
 * The completion manifest for an export job. Bulk Data v2 (default): `transactionTime`,
 * `request`, `requiresAccessToken`, `output`, `deleted` (when `_since` was given), `error`.
 * Bulk Data v3 (`bulkVersion: 'v3'`): the same, plus `outputOrganizedBy` for organized output.
 * Bulk Data 4.0 (`bulkVersion: 'v4'`): no `request`, and `outcome` instead of `error`.
 */
import type { ExportJob } from '../context.js';
import type { FaultSet } from '../faults/fault-set.js';
import { formatFhirInstant } from '../fhir-time.js';
import type { ExportFile, ExportOutput } from './export-output.js';
import { filePath } from './paths.js';

/** The Bulk Data shape served: v2 (default), v3 (GET or POST, partial manifests, organizeOutputBy), 4.0. */
export type BulkVersion = 'v2' | 'v3' | 'v4';

export interface ManifestItem {
  /** Absent only under the `output-item-without-type` fault. */
  type?: string;
  url: string;
  /** A number, except under the `manifest-count-string` fault. */
  count: number | string;
  /** Organized output: the file where this file's last block continues. */
  continuesInFile?: string;
}

export interface BulkManifest {
  transactionTime: string;
  request?: string;
  /** Always boolean, except under the `manifest-requires-access-token-string` fault. */
  requiresAccessToken: boolean | string;
  output: ManifestItem[];
  deleted?: ManifestItem[];
  error?: ManifestItem[];
  outcome?: ManifestItem[];
  extension?: unknown;
  /** The resource type output is organized by (organizeOutputBy; output items then have no type). */
  outputOrganizedBy?: string;
  /** The next manifest page (allowPartialManifests, manifest-pages.ts). */
  link?: { relation: string; url: string }[];
}

export interface ManifestInput {
  job: ExportJob;
  files: ExportOutput;
  baseUrl: string;
  faults: FaultSet;
  version: BulkVersion;
  /** True in auth mode (files need the access token); default false (capability URLs). */
  requiresAccessToken?: boolean;
}

function buildFileUrl(name: string, input: ManifestInput): string {
  const path = filePath(input.job.fileKey, name);
  // Fault MAN-04: relative output URLs.
  if (input.faults.has('manifest-relative-output-url')) return path;
  // Fault AUTH-01: in TLS mode the file URLs say http:// (tls/tls-listener.ts still answers them).
  if (input.faults.has('file-urls-http-under-tls')) return `${input.baseUrl.replace(/^https:/, 'http:')}${path}`;
  return `${input.baseUrl}${path}`;
}

function buildItem(file: ExportFile, input: ManifestInput): ManifestItem {
  const { faults } = input;
  const url = buildFileUrl(file.name, input);
  // Faults MAN-04: count off by one, or a string instead of a number.
  const count = faults.has('manifest-count-mismatch') ? file.lines.length + 1 : file.lines.length;
  return { type: file.type, url, count: faults.has('manifest-count-string') ? String(count) : count };
}

function buildOutputItem(file: ExportFile, input: ManifestInput): ManifestItem {
  const item = buildItem(file, input);
  // Fault MAN-04: output items without `type`. Organized output (organizeOutputBy) has none either.
  if (input.faults.has('output-item-without-type') || input.files.organizedBy !== undefined) delete item.type;
  // Fault FILE-09: a block continues in the next file but continuesInFile does not say so.
  if (file.continuesIn !== undefined && !input.faults.has('continues-in-file-missing')) item.continuesInFile = buildFileUrl(file.continuesIn, input);
  return item;
}

function formatTransactionTime(input: ManifestInput): string {
  const instant = formatFhirInstant(input.job.createdAt);
  // Fault MAN-01: transactionTime without a time zone, so not a FHIR instant.
  return input.faults.has('transaction-time-not-instant') ? instant.replace(/\.\d+Z$/, '').replace('T', ' ') : instant;
}

export function buildManifest(input: ManifestInput): BulkManifest {
  const { faults, files, job, version } = input;
  // Fault MAN-02: the kick-off URL is not reported.
  const withRequest = version !== 'v4' && !faults.has('manifest-without-request');
  // Fault MAN-05 (SHOULD): no deleted array although _since was given.
  const withDeleted = job.payload.since !== undefined && !faults.has('since-without-deleted');
  const manifest: BulkManifest = {
    transactionTime: formatTransactionTime(input),
    ...(withRequest ? { request: job.payload.requestUrl } : {}),
    // Fault MAN-03: requiresAccessToken as a string.
    requiresAccessToken: faults.has('manifest-requires-access-token-string') ? String(input.requiresAccessToken ?? false) : (input.requiresAccessToken ?? false),
    output: files.output.map((file) => buildOutputItem(file, input)),
    ...(withDeleted ? { deleted: files.deleted.map((file) => buildItem(file, input)) } : {}),
  };
  // Fault MAN-10: organized output without outputOrganizedBy in the manifest.
  if (files.organizedBy !== undefined && !faults.has('output-organized-by-missing')) manifest.outputOrganizedBy = files.organizedBy;
  const messages = files.error.map((file) => buildItem(file, input));
  // Fault MAN-06: the error (4.0: outcome) array is left out.
  if (!faults.has('manifest-without-error-array')) manifest[version === 'v4' ? 'outcome' : 'error'] = messages;
  // Fault MAN-08: an extension that is an array, not the JSON object Bulk Data v2 requires.
  if (faults.has('manifest-extension-not-object') && version === 'v2') {
    manifest.extension = [{ url: 'https://example.org/fhir-async-conformance/export-level', valueCode: job.payload.level }];
  }
  return manifest;
}
