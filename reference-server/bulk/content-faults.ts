/**
 * Faults that corrupt what goes into the output files, applied to the selected data before
 * it is split into files (so manifest counts still match the lines). Each breaks one
 * requirement at one `faults.has()` check.
 */
import { formatFhirInstant } from '../fhir-time.js';
import type { FaultSet } from '../faults/fault-set.js';
import { generatePatientResources, parsePatientNumber, type DatasetOptions } from '../synthetic-data.js';
import type { SelectedData } from './export-data.js';
import type { ExportLevel } from './export-params.js';

export interface ContentFaultInput {
  faults: FaultSet;
  level: ExportLevel;
  /** The export is limited to some types by _type (fewer than every type on offer). */
  typesLimited: boolean;
  dataset: DatasetOptions;
  data: SelectedData;
}

const HOUR_MS = 3_600_000;

function listNonEmpty(data: SelectedData): fhir4.Resource[][] {
  return [...data.output.values()].filter((list) => list.length > 0);
}

/** The first deleted resource brought back into the output, with its deleted id. */
function resurrectDeleted(input: ContentFaultInput): void {
  const deleted = input.data.deleted[0];
  const n = deleted === undefined ? undefined : parsePatientNumber(deleted.patientId, input.dataset.patientCount);
  const template = deleted === undefined || n === undefined ? undefined : generatePatientResources(deleted.type, n, input.dataset)[0];
  if (deleted === undefined || template === undefined) return;
  const list = input.data.output.get(deleted.type) ?? [];
  list.push({ ...template, id: deleted.id });
  input.data.output.set(deleted.type, list);
}

const BINARY: fhir4.Binary = {
  resourceType: 'Binary',
  id: 'b1',
  contentType: 'text/plain',
  data: Buffer.from('synthetic clinical note for Patient/p1\n', 'utf8').toString('base64'),
};

export function applyContentFaults(input: ContentFaultInput): void {
  const { faults, data } = input;
  const [first, second] = listNonEmpty(data);
  // Fault MAN-04: one resource moves into the file of another type.
  if (faults.has('output-file-mixed-types') && first !== undefined && second !== undefined) {
    const moved = second.shift();
    if (moved !== undefined) first.push(moved);
  }
  // Fault FILE-05: a resource appears twice.
  if (faults.has('duplicate-resource') && first?.[0] !== undefined) first.push(first[0]);
  // Fault FILE-03: a Patient that is not a valid resource (gender must be a code).
  const patients = data.output.get('Patient');
  if (faults.has('invalid-resource-in-file') && patients?.[0] !== undefined) {
    const broken: fhir4.Resource & { gender: number } = { ...patients[0], gender: 42 };
    patients[0] = broken;
  }
  // Fault MAN-01 (SHOULD NOT): a resource modified an hour after transactionTime.
  if (faults.has('resource-after-transaction-time') && first?.[0] !== undefined) {
    const lastUpdated = formatFhirInstant(input.dataset.transactionTime + HOUR_MS);
    first[0] = { ...first[0], meta: { ...first[0].meta, lastUpdated } };
  }
  // Fault MAN-05: a deleted resource also appears in the output.
  if (faults.has('deleted-also-in-output')) resurrectDeleted(input);
  // Fault FILE-06: a patient-tied Binary in a Patient- or Group-level export. Only when the export
  // is not limited by _type, so the fault breaks FILE-06 alone (with _type it would break KICKOFF-16 too).
  if (faults.has('binary-in-patient-export') && input.level !== 'system' && !input.typesLimited) data.output.set('Binary', [BINARY]);
}
