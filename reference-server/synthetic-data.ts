/**
 * Deterministic synthetic data. `patientCount` Patients (`p1`..`pN`), each with three
 * Observations (`p<N>-obs<K>`), one Encounter (`p<N>-enc1`), one DocumentReference
 * (`p<N>-doc1`, a clinical note as an Attachment: by `url` when the dataset has an
 * `attachmentBase`, as in exports, else inline `data`) and, for odd N, one Condition
 * (`p<N>-cond1`); two Organizations (`o1`, `o2`) outside the patient compartment; the Group
 * `g1` whose members are the odd-numbered Patients; and one deleted Observation per Patient
 * (`p<N>-obs0`). Only times depend on the job: `meta.lastUpdated` is spread out before the
 * transaction time (Patient N is N hours earlier, its other resources minutes after it), so
 * it never exceeds transactionTime and `_since` has something to filter.
 */
import { formatFhirInstant } from './fhir-time.js';

/** Every type a system-level export offers, in output order. */
export const EXPORT_TYPES = ['Patient', 'Observation', 'Encounter', 'Condition', 'DocumentReference', 'Organization'] as const;
export type ExportType = (typeof EXPORT_TYPES)[number];

/** The exportable types in the Patient compartment (what Patient- and Group-level exports offer). */
export const PATIENT_COMPARTMENT_TYPES: readonly ExportType[] = ['Patient', 'Observation', 'Encounter', 'Condition', 'DocumentReference'];

export function isExportType(name: string): name is ExportType {
  return (EXPORT_TYPES as readonly string[]).includes(name);
}

export const OBSERVATIONS_PER_PATIENT = 3;
export const ORGANIZATION_COUNT = 2;
/** Ids of the synthetic Groups. */
export const GROUP_IDS: readonly string[] = ['g1'];
export const GROUP_IDENTIFIER_SYSTEM = 'urn:fhir-async-conformance:group';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const GIVEN = ['Ada', 'Ben', 'Cleo', 'Dev', 'Ema', 'Finn', 'Gia', 'Hugo', 'Ines', 'Jon'];
const FAMILY = ['Abbott', 'Baker', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Haddad', 'Ito'];

interface Kind {
  code: string;
  display: string;
  unit: string;
  ucum: string;
  base: number;
}

const OBSERVATION_KINDS: readonly Kind[] = [
  { code: '8867-4', display: 'Heart rate', unit: 'beats/minute', ucum: '/min', base: 60 },
  { code: '8480-6', display: 'Systolic blood pressure', unit: 'mmHg', ucum: 'mm[Hg]', base: 110 },
  { code: '29463-7', display: 'Body weight', unit: 'kg', ucum: 'kg', base: 55 },
];

const CONDITION_CODES = [
  { code: '38341003', display: 'Hypertensive disorder' },
  { code: '44054006', display: 'Diabetes mellitus type 2' },
];

export interface DatasetOptions {
  patientCount: number;
  /** Epoch ms of the job's transactionTime; every lastUpdated is at or before it. */
  transactionTime: number;
  /**
   * Absolute URL prefix of the attachments' bytes (`<prefix>/<file name>`), for exports; without
   * it, a DocumentReference carries its note inline (`data`).
   */
  attachmentBase?: string;
}

/** The note a synthetic DocumentReference points to: `p<N>-doc1` -> its text, file name and media type. */
export interface SyntheticAttachment {
  name: string;
  contentType: string;
  text: string;
}

/** The attachment of DocumentReference `id` (`p<N>-doc1` of an existing Patient), else undefined. */
export function describeAttachment(id: string, patientCount: number): SyntheticAttachment | undefined {
  const match = /^p([1-9][0-9]*)-doc1$/.exec(id);
  const n = match?.[1] === undefined ? undefined : parsePatientNumber(`p${match[1]}`, patientCount);
  if (n === undefined) return undefined;
  return { name: `attachment-p${n}-doc1.txt`, contentType: 'text/plain', text: `Synthetic clinical note for Patient/p${n}: seen in clinic, no acute findings.\n` };
}

/** A resource deleted from the server: exported only in a manifest's `deleted` files. */
export interface DeletedResource {
  type: ExportType;
  id: string;
  /** The Patient whose compartment held it. */
  patientId: string;
  /** Epoch ms of the deletion (before transactionTime). */
  deletedAt: number;
}

function formatTwoDigits(n: number): string {
  return String(n).padStart(2, '0');
}

function pick<T>(items: readonly T[], index: number): T {
  const item = items[index % items.length];
  if (item === undefined) throw new Error('empty synthetic data table');
  return item;
}

function computePatientUpdatedAt(n: number, transactionTime: number): number {
  return transactionTime - n * HOUR_MS;
}

function buildMeta(at: number): fhir4.Meta {
  return { lastUpdated: formatFhirInstant(at) };
}

function buildPatient(n: number, t: number): fhir4.Patient {
  return {
    resourceType: 'Patient',
    id: `p${n}`,
    meta: buildMeta(computePatientUpdatedAt(n, t)),
    name: [{ family: pick(FAMILY, n), given: [pick(GIVEN, n)] }],
    gender: n % 2 === 0 ? 'female' : 'male',
    birthDate: `${1940 + ((n * 7) % 70)}-${formatTwoDigits(1 + (n % 12))}-${formatTwoDigits(1 + (n % 28))}`,
    managingOrganization: { reference: `Organization/o${1 + (n % ORGANIZATION_COUNT)}` },
  };
}

function buildObservation(n: number, k: number, t: number): fhir4.Observation {
  const kind = pick(OBSERVATION_KINDS, k - 1);
  return {
    resourceType: 'Observation',
    id: `p${n}-obs${k}`,
    meta: buildMeta(computePatientUpdatedAt(n, t) + k * 10 * MINUTE_MS),
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: kind.code, display: kind.display }] },
    subject: { reference: `Patient/p${n}` },
    encounter: { reference: `Encounter/p${n}-enc1` },
    effectiveDateTime: `2024-${formatTwoDigits(1 + (n % 12))}-${formatTwoDigits(1 + (k % 28))}T09:00:00Z`,
    valueQuantity: { value: kind.base + ((n * 13 + k * 7) % 40), unit: kind.unit, system: 'http://unitsofmeasure.org', code: kind.ucum },
  };
}

function buildEncounter(n: number, t: number): fhir4.Encounter {
  return {
    resourceType: 'Encounter',
    id: `p${n}-enc1`,
    meta: buildMeta(computePatientUpdatedAt(n, t) + 5 * MINUTE_MS),
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    subject: { reference: `Patient/p${n}` },
    period: { start: `2024-${formatTwoDigits(1 + (n % 12))}-01T08:30:00Z`, end: `2024-${formatTwoDigits(1 + (n % 12))}-01T09:30:00Z` },
  };
}

function buildCondition(n: number, t: number): fhir4.Condition {
  const code = pick(CONDITION_CODES, n);
  return {
    resourceType: 'Condition',
    id: `p${n}-cond1`,
    meta: buildMeta(computePatientUpdatedAt(n, t) + 40 * MINUTE_MS),
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    code: { coding: [{ system: 'http://snomed.info/sct', ...code }] },
    subject: { reference: `Patient/p${n}` },
  };
}

function buildDocumentReference(n: number, t: number, attachmentBase: string | undefined): fhir4.DocumentReference {
  const note = describeAttachment(`p${n}-doc1`, n);
  const text = note?.text ?? '';
  const attachment: fhir4.Attachment =
    attachmentBase === undefined
      ? { contentType: 'text/plain', data: Buffer.from(text, 'utf8').toString('base64') }
      : { contentType: 'text/plain', url: `${attachmentBase}/${note?.name ?? ''}`, size: Buffer.byteLength(text, 'utf8') };
  return {
    resourceType: 'DocumentReference',
    id: `p${n}-doc1`,
    meta: buildMeta(computePatientUpdatedAt(n, t) + 45 * MINUTE_MS),
    status: 'current',
    type: { coding: [{ system: 'http://loinc.org', code: '11506-3', display: 'Progress note' }] },
    subject: { reference: `Patient/p${n}` },
    content: [{ attachment: { ...attachment, title: 'Progress note' } }],
  };
}

function buildOrganization(n: number, t: number): fhir4.Organization {
  return {
    resourceType: 'Organization',
    id: `o${n}`,
    meta: buildMeta(t - (1000 + n) * HOUR_MS),
    active: true,
    name: `Synthetic Clinic ${n}`,
  };
}

function buildPatientResources(type: ExportType, n: number, t: number, attachmentBase?: string): fhir4.Resource[] {
  if (type === 'Patient') return [buildPatient(n, t)];
  if (type === 'DocumentReference') return [buildDocumentReference(n, t, attachmentBase)];
  if (type === 'Encounter') return [buildEncounter(n, t)];
  if (type === 'Condition') return n % 2 === 1 ? [buildCondition(n, t)] : [];
  if (type === 'Observation') {
    return Array.from({ length: OBSERVATIONS_PER_PATIENT }, (_, i) => buildObservation(n, i + 1, t));
  }
  return [];
}

/** The resources of `type` in Patient `pN`'s compartment, in a stable order (none for Organization). */
export function generatePatientResources(type: ExportType, n: number, opts: DatasetOptions): fhir4.Resource[] {
  return buildPatientResources(type, n, opts.transactionTime, opts.attachmentBase);
}

/** All resources of `type` in the synthetic data set, in a stable order. */
export function generateResources(type: ExportType, opts: DatasetOptions): fhir4.Resource[] {
  if (type === 'Organization') {
    return Array.from({ length: ORGANIZATION_COUNT }, (_, i) => buildOrganization(i + 1, opts.transactionTime));
  }
  const resources: fhir4.Resource[] = [];
  for (let n = 1; n <= opts.patientCount; n++) resources.push(...buildPatientResources(type, n, opts.transactionTime, opts.attachmentBase));
  return resources;
}

/** The number N of a synthetic Patient id `pN` that exists in the data set, else undefined. */
export function parsePatientNumber(id: string, patientCount: number): number | undefined {
  const match = /^p([1-9][0-9]*)$/.exec(id);
  const n = match === null ? NaN : Number(match[1]);
  return Number.isSafeInteger(n) && n <= patientCount ? n : undefined;
}

/** Patient numbers that are members of Group `id`, or undefined when there is no such Group. */
export function listGroupMembers(id: string, patientCount: number): number[] | undefined {
  if (!GROUP_IDS.includes(id)) return undefined;
  return Array.from({ length: patientCount }, (_, i) => i + 1).filter((n) => n % 2 === 1);
}

/** The Group resource `id`, or undefined when there is no such Group. */
export function buildGroup(id: string, opts: DatasetOptions): fhir4.Group | undefined {
  const members = listGroupMembers(id, opts.patientCount);
  if (members === undefined) return undefined;
  return {
    resourceType: 'Group',
    id,
    meta: buildMeta(opts.transactionTime - 2000 * HOUR_MS),
    identifier: [{ system: GROUP_IDENTIFIER_SYSTEM, value: id }],
    type: 'person',
    actual: true,
    name: 'Odd-numbered synthetic patients',
    quantity: members.length,
    ...(members.length > 0 ? { member: members.map((n) => ({ entity: { reference: `Patient/p${n}` } })) } : {}),
  };
}

/** Resources deleted from the server (one Observation per Patient), oldest Patient last. */
export function generateDeletedResources(opts: DatasetOptions): DeletedResource[] {
  return Array.from({ length: opts.patientCount }, (_, i) => ({
    type: 'Observation' as const,
    id: `p${i + 1}-obs0`,
    patientId: `p${i + 1}`,
    deletedAt: computePatientUpdatedAt(i + 1, opts.transactionTime) + 50 * MINUTE_MS,
  }));
}
