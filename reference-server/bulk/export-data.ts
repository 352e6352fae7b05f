/**
 * What an export job selects from the synthetic data: for each requested type, the resources
 * in scope (system: everything; Patient/Group level: the compartments of the patients in
 * scope), changed within `_since`/`_until`, matching `_typeFilter`, reduced by `_elements`;
 * and, when `_since` was given, the resources deleted within that window.
 */
import {
  generateDeletedResources,
  generatePatientResources,
  generateResources,
  type DatasetOptions,
  type DeletedResource,
  type ExportType,
} from '../synthetic-data.js';
import { subsetResource } from './elements.js';
import type { ExportParams } from './export-params.js';
import { matchesTypeFilters } from './type-filter.js';

export interface SelectedData {
  /** Resources by type (a resourceType; normally one of params.types), in output order. */
  output: Map<string, fhir4.Resource[]>;
  /** Deleted resources to report (empty unless `_since` was given). */
  deleted: DeletedResource[];
}

function isInWindow(at: number, params: ExportParams): boolean {
  return (params.since === undefined || at > params.since) && (params.until === undefined || at <= params.until);
}

function isChangedInWindow(resource: fhir4.Resource, params: ExportParams): boolean {
  const updated = resource.meta?.lastUpdated;
  if (updated === undefined) return true;
  return isInWindow(Date.parse(updated), params);
}

/** Patient numbers in scope, or undefined for a system-level export (no patient restriction). */
function listPatientsInScope(params: ExportParams, patientCount: number): readonly number[] | undefined {
  if (params.patients !== undefined) return params.patients;
  if (params.level === 'system') return undefined;
  return Array.from({ length: patientCount }, (_, i) => i + 1);
}

function generateInScope(type: ExportType, scope: readonly number[] | undefined, dataset: DatasetOptions): fhir4.Resource[] {
  if (scope === undefined) return generateResources(type, dataset);
  return scope.flatMap((n) => generatePatientResources(type, n, dataset));
}

function selectDeleted(params: ExportParams, scope: readonly number[] | undefined, dataset: DatasetOptions): DeletedResource[] {
  if (params.since === undefined) return [];
  const inScope = scope === undefined ? undefined : new Set(scope.map((n) => `p${n}`));
  return generateDeletedResources(dataset).filter(
    (deleted) =>
      params.types.includes(deleted.type) &&
      (inScope === undefined || inScope.has(deleted.patientId)) &&
      isInWindow(deleted.deletedAt, params),
  );
}

export function selectExportData(params: ExportParams, dataset: DatasetOptions): SelectedData {
  const scope = listPatientsInScope(params, dataset.patientCount);
  const output = new Map<string, fhir4.Resource[]>();
  for (const type of params.types) {
    const selected = generateInScope(type, scope, dataset).filter(
      (resource) => isChangedInWindow(resource, params) && matchesTypeFilters(resource, params.typeFilters),
    );
    const { elements } = params;
    output.set(type, elements === undefined ? selected : selected.map((resource) => subsetResource(resource, elements)));
  }
  return { output, deleted: selectDeleted(params, scope, dataset) };
}
