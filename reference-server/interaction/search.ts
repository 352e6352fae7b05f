/**
 * Type-level search over the FHIR store: `_id`, `_count`, `name` (Patient: starts-with on
 * family or given, case-insensitive), `identifier` (Patient, Group: `[system|]value`) and
 * `subject` (Observation, Encounter, Condition: `Patient/<id>` or `<id>`). Commas within a value mean OR, repeated
 * parameters mean AND. Other parameters are rejected, or ignored under `handling=lenient`.
 * `_format` is accepted and ignored; `_outputFormat` is passed back for the bulk pattern.
 */
import type { FhirStore, StoreType } from '../fhir-store.js';
import { invalid, type Checked } from '../operation-outcome.js';

export interface SearchCriteria {
  /** Each inner list is one parameter occurrence (OR); the outer list ANDs them. */
  ids: string[][];
  names: string[][];
  identifiers: string[][];
  subjects: string[][];
  count: number | undefined;
}

export interface ParsedSearch {
  criteria: SearchCriteria;
  /** `_outputFormat` when given (the bulk pattern is then asked for). */
  outputFormat: string | undefined;
  /** Unsupported parameters ignored under handling=lenient, as `name=value`. */
  ignored: string[];
}

const EXTRA_PARAMS: Partial<Record<StoreType, readonly string[]>> = {
  Patient: ['name', 'identifier'],
  Observation: ['subject'],
  Encounter: ['subject'],
  Condition: ['subject'],
  Group: ['identifier'],
};

/** The search parameters supported on `type` (besides `_count`, `_format`, `_outputFormat`). */
export function listSearchParams(type: StoreType): readonly string[] {
  return ['_id', ...(EXTRA_PARAMS[type] ?? [])];
}

const MAX_COUNT = 1000;

function splitOr(value: string): string[] {
  return value.split(',').map((part) => part.trim()).filter((part) => part !== '');
}

function parseCount(values: readonly string[]): Checked<number | undefined> {
  if (values.length === 0) return { ok: true, value: undefined };
  if (values.length > 1) return invalid('_count may be given only once');
  const text = values[0] ?? '';
  if (!/^[0-9]{1,7}$/.test(text)) return invalid(`_count "${text}" is not a non-negative integer`);
  return { ok: true, value: Math.min(Number(text), MAX_COUNT) };
}

/** Validates the query of a search on `type` (the kick-off check, before any job exists). */
export function parseSearchParams(type: StoreType, params: URLSearchParams, lenient: boolean): Checked<ParsedSearch> {
  const supported = listSearchParams(type);
  const ignored: string[] = [];
  const lists = new Map<string, string[][]>();
  const outputFormats: string[] = [];
  const counts: string[] = [];
  for (const [name, value] of params.entries()) {
    if (name === '_format') continue;
    if (name === '_outputFormat') {
      outputFormats.push(value);
    } else if (name === '_count') {
      counts.push(value);
    } else if (supported.includes(name)) {
      const values = splitOr(value);
      if (values.length === 0) return invalid(`search parameter ${name} has an empty value`);
      lists.set(name, [...(lists.get(name) ?? []), values]);
    } else if (lenient) {
      ignored.push(`${name}=${value}`);
    } else {
      return invalid(
        `search parameter "${name}" is not supported on ${type} (supported: ${supported.join(', ')}; ` +
          'send Prefer: handling=lenient to have it ignored)',
        'not-supported',
      );
    }
  }
  if (outputFormats.length > 1) return invalid('_outputFormat may be given only once');
  const count = parseCount(counts);
  if (!count.ok) return count;
  const criteria: SearchCriteria = {
    ids: lists.get('_id') ?? [],
    names: lists.get('name') ?? [],
    identifiers: lists.get('identifier') ?? [],
    subjects: lists.get('subject') ?? [],
    count: count.value,
  };
  return { ok: true, value: { criteria, outputFormat: outputFormats[0], ignored } };
}

function matchesName(resource: fhir4.Resource, wanted: string): boolean {
  if (resource.resourceType !== 'Patient') return false;
  const needle = wanted.toLowerCase();
  const parts = ((resource as fhir4.Patient).name ?? []).flatMap((name) => [name.family ?? '', ...(name.given ?? [])]);
  return parts.some((part) => part.toLowerCase().startsWith(needle));
}

function matchesIdentifier(resource: fhir4.Resource, wanted: string): boolean {
  const bar = wanted.indexOf('|');
  const system = bar === -1 ? undefined : wanted.slice(0, bar);
  const value = bar === -1 ? wanted : wanted.slice(bar + 1);
  const identifiers: fhir4.Identifier[] = 'identifier' in resource && Array.isArray(resource.identifier) ? resource.identifier : [];
  return identifiers.some((id) => id.value === value && (system === undefined || (id.system ?? '') === system));
}

function matchesSubject(resource: fhir4.Resource, wanted: string): boolean {
  const subject: unknown = 'subject' in resource ? resource.subject : undefined;
  const reference = typeof subject === 'object' && subject !== null && 'reference' in subject ? subject.reference : undefined;
  return typeof reference === 'string' && (reference === wanted || reference === `Patient/${wanted}`);
}

function matchesAll(lists: string[][], test: (value: string) => boolean): boolean {
  return lists.every((values) => values.some(test));
}

function matchesCriteria(resource: fhir4.Resource, criteria: SearchCriteria): boolean {
  return (
    matchesAll(criteria.ids, (id) => resource.id === id) &&
    matchesAll(criteria.names, (name) => matchesName(resource, name)) &&
    matchesAll(criteria.identifiers, (identifier) => matchesIdentifier(resource, identifier)) &&
    matchesAll(criteria.subjects, (subject) => matchesSubject(resource, subject))
  );
}

/** Every match, in store order (before `_count`). */
export function findMatches(store: FhirStore, type: StoreType, criteria: SearchCriteria): fhir4.Resource[] {
  return store.list(type).filter((resource) => matchesCriteria(resource, criteria));
}

export interface SearchsetInput {
  type: StoreType;
  criteria: SearchCriteria;
  baseUrl: string;
  /** The query string as received (without `?`), for the self link. */
  query: string;
}

/** Runs the search and wraps the page in a `searchset` Bundle. */
export function buildSearchset(store: FhirStore, input: SearchsetInput): fhir4.Bundle<fhir4.Resource> {
  const found = findMatches(store, input.type, input.criteria);
  const page = input.criteria.count === undefined ? found : found.slice(0, input.criteria.count);
  const self = `${input.baseUrl}/${input.type}${input.query === '' ? '' : `?${input.query}`}`;
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: found.length,
    link: [{ relation: 'self', url: self }],
    entry: page.map((resource) => ({
      fullUrl: `${input.baseUrl}/${resource.resourceType}/${resource.id ?? ''}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}
