/**
 * `_typeFilter`: a comma-separated list of FHIR search queries `Type?param=value&...`.
 * Queries for one type are OR-ed, the parameters of one query AND-ed, and comma-separated
 * values of one parameter OR-ed (FHIR search). A small set of search parameters is
 * supported; a query using any other parameter (or a modifier) is syntactically fine but
 * cannot be processed, which makes the export job fail (unless handling=lenient).
 */
import { isExportType, type ExportType } from '../synthetic-data.js';
import { isRecord } from './json-value.js';

export interface Criterion {
  param: string;
  /** Alternatives (OR). */
  values: readonly string[];
}

export interface TypeFilter {
  type: ExportType;
  /** The query as the client sent it. */
  query: string;
  criteria: readonly Criterion[];
}

export type ParsedTypeFilter =
  | { kind: 'filter'; filter: TypeFilter }
  /** Not a `Type?query` of an exportable type: rejected at kick-off. */
  | { kind: 'malformed'; message: string }
  /** Well-formed but uses a search parameter this server cannot evaluate: the job fails. */
  | { kind: 'unprocessable'; message: string };

type Matcher = (resource: unknown, value: string) => boolean;

/** Values found at `path` inside `value`, flattening arrays on the way. */
function readPath(value: unknown, path: readonly string[]): unknown[] {
  if (path.length === 0) return Array.isArray(value) ? value : [value];
  if (Array.isArray(value)) return value.flatMap((item) => readPath(item, path));
  if (!isRecord(value)) return [];
  const [head = '', ...rest] = path;
  return readPath(value[head], rest);
}

function matchString(path: readonly string[]): Matcher {
  return (resource, value) => readPath(resource, path).some((found) => found === value);
}

/** Token search: `code` or `system|code` against a CodeableConcept's codings. */
function matchToken(path: readonly string[]): Matcher {
  return (resource, value) => {
    const bar = value.indexOf('|');
    const system = bar === -1 ? undefined : value.slice(0, bar);
    const code = bar === -1 ? value : value.slice(bar + 1);
    return readPath(resource, [...path, 'coding']).some(
      (coding) => isRecord(coding) && coding['code'] === code && (system === undefined || coding['system'] === system),
    );
  };
}

/** Reference search on the patient: `Patient/pN` or `pN`. */
const matchPatient: Matcher = (resource, value) =>
  readPath(resource, ['subject', 'reference']).some((ref) => ref === value || ref === `Patient/${value}`);

const COMMON: Readonly<Record<string, Matcher>> = { _id: matchString(['id']) };

const SEARCH_PARAMS: Readonly<Record<ExportType, Readonly<Record<string, Matcher>>>> = {
  Patient: { gender: matchString(['gender']) },
  Observation: { code: matchToken(['code']), status: matchString(['status']), patient: matchPatient, subject: matchPatient },
  Encounter: { status: matchString(['status']), patient: matchPatient, subject: matchPatient },
  Condition: { code: matchToken(['code']), patient: matchPatient, subject: matchPatient },
  DocumentReference: { type: matchToken(['type']), status: matchString(['status']), patient: matchPatient, subject: matchPatient },
  Organization: { name: matchString(['name']) },
};

function findMatcher(type: ExportType, param: string): Matcher | undefined {
  return COMMON[param] ?? SEARCH_PARAMS[type][param];
}

/**
 * Splits `_typeFilter` values (already repeated-or-comma-joined) into single queries. A comma
 * starts a new query only when a `Type?` follows, so commas inside a query's values survive.
 */
export function splitTypeFilters(values: readonly string[]): string[] {
  return values.flatMap((value) => value.split(/,(?=[A-Za-z]+\?)/)).map((query) => query.trim());
}

export function parseTypeFilter(query: string): ParsedTypeFilter {
  const mark = query.indexOf('?');
  const type = mark === -1 ? query : query.slice(0, mark);
  const search = mark === -1 ? '' : query.slice(mark + 1);
  if (!isExportType(type) || search === '') {
    return { kind: 'malformed', message: `_typeFilter "${query}" is not a search query of the form Type?param=value on an exportable type` };
  }
  const criteria: Criterion[] = [];
  for (const [param, value] of new URLSearchParams(search)) {
    if (findMatcher(type, param) === undefined) {
      return { kind: 'unprocessable', message: `_typeFilter "${query}": search parameter "${param}" is not supported for ${type}` };
    }
    const values = value.split(',').filter((v) => v !== '');
    if (values.length === 0) return { kind: 'malformed', message: `_typeFilter "${query}": parameter "${param}" has no value` };
    criteria.push({ param, values });
  }
  if (criteria.length === 0) return { kind: 'malformed', message: `_typeFilter "${query}" has no search parameter` };
  return { kind: 'filter', filter: { type, query, criteria } };
}

function matchesFilter(resource: fhir4.Resource, filter: TypeFilter): boolean {
  return filter.criteria.every(({ param, values }) => {
    const matcher = findMatcher(filter.type, param);
    return matcher !== undefined && values.some((value) => matcher(resource, value));
  });
}

/** True when no filter names the resource's type, or at least one of those filters matches it. */
export function matchesTypeFilters(resource: fhir4.Resource, filters: readonly TypeFilter[]): boolean {
  const relevant = filters.filter((filter) => filter.type === resource.resourceType);
  return relevant.length === 0 || relevant.some((filter) => matchesFilter(resource, filter));
}
