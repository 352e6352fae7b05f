/**
 * Deterministic synthetic data: `patientCount` Patients (`p1`..`pN`) and three Observations
 * each (`p<N>-obs<K>`). Only `meta.lastUpdated` depends on the job: it is spread out before
 * the transaction time (Patient N one hour apart, Observations minutes after their Patient),
 * so it never exceeds transactionTime and `_since` has something to filter.
 */
import { formatFhirInstant } from './fhir-time.js';

export const EXPORT_TYPES = ['Patient', 'Observation'] as const;
export type ExportType = (typeof EXPORT_TYPES)[number];

export function isExportType(name: string): name is ExportType {
  return (EXPORT_TYPES as readonly string[]).includes(name);
}

export const OBSERVATIONS_PER_PATIENT = 3;

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const GIVEN = ['Ada', 'Ben', 'Cleo', 'Dev', 'Ema', 'Finn', 'Gia', 'Hugo', 'Ines', 'Jon'];
const FAMILY = ['Abbott', 'Baker', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Haddad', 'Ito'];

interface ObservationKind {
  code: string;
  display: string;
  unit: string;
  ucum: string;
  base: number;
}

const OBSERVATION_KINDS: readonly ObservationKind[] = [
  { code: '8867-4', display: 'Heart rate', unit: 'beats/minute', ucum: '/min', base: 60 },
  { code: '8480-6', display: 'Systolic blood pressure', unit: 'mmHg', ucum: 'mm[Hg]', base: 110 },
  { code: '29463-7', display: 'Body weight', unit: 'kg', ucum: 'kg', base: 55 },
];

export interface DatasetOptions {
  patientCount: number;
  /** Epoch ms of the job's transactionTime; every lastUpdated is at or before it. */
  transactionTime: number;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function patientUpdatedAt(n: number, transactionTime: number): number {
  return transactionTime - n * HOUR_MS;
}

function buildPatient(n: number, transactionTime: number): fhir4.Patient {
  return {
    resourceType: 'Patient',
    id: `p${n}`,
    meta: { lastUpdated: formatFhirInstant(patientUpdatedAt(n, transactionTime)) },
    name: [{ family: FAMILY[n % FAMILY.length] ?? 'Doe', given: [GIVEN[n % GIVEN.length] ?? 'Sam'] }],
    gender: n % 2 === 0 ? 'female' : 'male',
    birthDate: `${1940 + ((n * 7) % 70)}-${pad2(1 + (n % 12))}-${pad2(1 + (n % 28))}`,
  };
}

function buildObservation(n: number, k: number, transactionTime: number): fhir4.Observation {
  const kind = OBSERVATION_KINDS[(k - 1) % OBSERVATION_KINDS.length] ?? OBSERVATION_KINDS[0];
  if (kind === undefined) throw new Error('no observation kinds configured');
  return {
    resourceType: 'Observation',
    id: `p${n}-obs${k}`,
    meta: { lastUpdated: formatFhirInstant(patientUpdatedAt(n, transactionTime) + k * 10 * MINUTE_MS) },
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: kind.code, display: kind.display }] },
    subject: { reference: `Patient/p${n}` },
    effectiveDateTime: `2024-${pad2(1 + (n % 12))}-${pad2(1 + (k % 28))}T09:00:00Z`,
    valueQuantity: {
      value: kind.base + ((n * 13 + k * 7) % 40),
      unit: kind.unit,
      system: 'http://unitsofmeasure.org',
      code: kind.ucum,
    },
  };
}

/** All resources of `type` in the synthetic data set, in a stable order. */
export function generateResources(type: ExportType, opts: DatasetOptions): fhir4.Resource[] {
  const resources: fhir4.Resource[] = [];
  for (let n = 1; n <= opts.patientCount; n++) {
    if (type === 'Patient') {
      resources.push(buildPatient(n, opts.transactionTime));
    } else {
      for (let k = 1; k <= OBSERVATIONS_PER_PATIENT; k++) resources.push(buildObservation(n, k, opts.transactionTime));
    }
  }
  return resources;
}
