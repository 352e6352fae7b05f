/**
 * The in-memory FHIR resources behind read, search and create: the synthetic Patients and
 * Observations (seeded lazily, on first use, with `lastUpdated` before the server start) and
 * Group `g1` (every synthetic Patient). Created resources get a random id, versionId "1" and
 * the clock's time as lastUpdated. Not shared with $export, which regenerates its data per job.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.js';
import { formatFhirInstant } from './fhir-time.js';
import { generateResources } from './synthetic-data.js';

export const STORE_TYPES = ['Patient', 'Observation', 'Group'] as const;
export type StoreType = (typeof STORE_TYPES)[number];

export function isStoreType(name: string): name is StoreType {
  return (STORE_TYPES as readonly string[]).includes(name);
}

export const GROUP_ID = 'g1';
export const GROUP_IDENTIFIER_SYSTEM = 'urn:fhir-async-conformance:group';

/** FHIR id: 1-64 of [A-Za-z0-9.-]. */
export const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;

export interface FhirStoreOptions {
  clock: Clock;
  patientCount: number;
}

function withVersion<T extends fhir4.Resource>(resource: T, lastUpdated: string): T {
  return { ...resource, meta: { ...resource.meta, versionId: '1', lastUpdated } };
}

function buildGroup(patientCount: number, lastUpdated: string): fhir4.Group {
  const member: fhir4.GroupMember[] = [];
  for (let n = 1; n <= patientCount; n++) member.push({ entity: { reference: `Patient/p${n}` } });
  return {
    resourceType: 'Group',
    id: GROUP_ID,
    meta: { versionId: '1', lastUpdated },
    identifier: [{ system: GROUP_IDENTIFIER_SYSTEM, value: GROUP_ID }],
    type: 'person',
    actual: true,
    name: 'All synthetic patients',
    quantity: patientCount,
    ...(member.length > 0 ? { member } : {}),
  };
}

export class FhirStore {
  private readonly clock: Clock;
  private readonly patientCount: number;
  private readonly createdAt: number;
  private seeded: Map<StoreType, Map<string, fhir4.Resource>> | undefined;

  constructor(opts: FhirStoreOptions) {
    this.clock = opts.clock;
    this.patientCount = opts.patientCount;
    this.createdAt = opts.clock.now();
  }

  private tables(): Map<StoreType, Map<string, fhir4.Resource>> {
    if (this.seeded !== undefined) return this.seeded;
    const dataset = { patientCount: this.patientCount, transactionTime: this.createdAt };
    const tables = new Map<StoreType, Map<string, fhir4.Resource>>();
    for (const type of ['Patient', 'Observation'] as const) {
      const table = new Map<string, fhir4.Resource>();
      for (const resource of generateResources(type, dataset)) {
        if (resource.id === undefined) continue;
        table.set(resource.id, withVersion(resource, resource.meta?.lastUpdated ?? formatFhirInstant(this.createdAt)));
      }
      tables.set(type, table);
    }
    const group = buildGroup(this.patientCount, formatFhirInstant(this.createdAt));
    tables.set('Group', new Map([[GROUP_ID, group]]));
    this.seeded = tables;
    return tables;
  }

  private table(type: StoreType): Map<string, fhir4.Resource> {
    const tables = this.tables();
    let table = tables.get(type);
    if (table === undefined) {
      table = new Map();
      tables.set(type, table);
    }
    return table;
  }

  read(type: StoreType, id: string): fhir4.Resource | undefined {
    return this.table(type).get(id);
  }

  /** Every resource of `type`, in insertion order (seeded first, then created). */
  list(type: StoreType): fhir4.Resource[] {
    return [...this.table(type).values()];
  }

  /** Stores a new resource under a fresh id (any client id is replaced) and returns it. */
  create(type: StoreType, resource: fhir4.Resource): fhir4.Resource {
    const id = randomUUID();
    const stored = withVersion({ ...resource, resourceType: type, id }, formatFhirInstant(this.clock.now()));
    this.table(type).set(id, stored);
    return stored;
  }

  /** Removes a resource (used to roll back a failed transaction). */
  remove(type: StoreType, id: string): void {
    this.table(type).delete(id);
  }
}
