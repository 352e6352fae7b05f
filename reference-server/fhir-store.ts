/**
 * The in-memory FHIR resources behind read, search and create: every exportable synthetic
 * type (Patient, Observation, ...) and the synthetic Groups (`g1`), seeded lazily on first
 * use with the server start as the data set's transaction time. Created resources get a
 * random id, versionId "1" and the clock's time as lastUpdated. Not shared with $export,
 * which regenerates its data per job (so created resources are not exported).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.js';
import { formatFhirInstant } from './fhir-time.js';
import { buildGroup, EXPORT_TYPES, generateResources, GROUP_IDS } from './synthetic-data.js';

export const STORE_TYPES = [...EXPORT_TYPES, 'Group'] as const;
export type StoreType = (typeof STORE_TYPES)[number];

export function isStoreType(name: string): name is StoreType {
  return (STORE_TYPES as readonly string[]).includes(name);
}

/** FHIR id: 1-64 of [A-Za-z0-9.-]. */
export const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;

export interface FhirStoreOptions {
  clock: Clock;
  patientCount: number;
}

function stampVersion<T extends fhir4.Resource>(resource: T, lastUpdated: string): T {
  return { ...resource, meta: { ...resource.meta, versionId: '1', lastUpdated } };
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
    for (const type of EXPORT_TYPES) {
      const table = new Map<string, fhir4.Resource>();
      for (const resource of generateResources(type, dataset)) {
        if (resource.id === undefined) continue;
        table.set(resource.id, stampVersion(resource, resource.meta?.lastUpdated ?? formatFhirInstant(this.createdAt)));
      }
      tables.set(type, table);
    }
    const groups = new Map<string, fhir4.Resource>();
    for (const id of GROUP_IDS) {
      const group = buildGroup(id, dataset);
      if (group !== undefined) groups.set(id, stampVersion(group, group.meta?.lastUpdated ?? formatFhirInstant(this.createdAt)));
    }
    tables.set('Group', groups);
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
    const stored = stampVersion({ ...resource, resourceType: type, id }, formatFhirInstant(this.clock.now()));
    this.table(type).set(id, stored);
    return stored;
  }

  /** Removes a resource (used to roll back a failed transaction). */
  remove(type: StoreType, id: string): void {
    this.table(type).delete(id);
  }
}
