/** One parser per $export kick-off parameter (see export-params.ts for the overall rules). */
import type { FaultSet } from '../faults/fault-set.js';
import { parseFhirInstant } from '../fhir-time.js';
import { invalid, type Checked, type ErrorSpec } from '../operation-outcome.js';
import {
  EXPORT_TYPES,
  PATIENT_COMPARTMENT_TYPES,
  isExportType,
  parsePatientNumber,
  type ExportType,
} from '../synthetic-data.js';
import { parseElement, type ElementSelector } from './elements.js';
import type { InterpretContext } from './export-params.js';
import { parseTypeFilter, splitTypeFilters, type TypeFilter } from './type-filter.js';

export const NDJSON_FORMATS: readonly string[] = ['application/fhir+ndjson', 'application/ndjson', 'ndjson'];
export const ASSOCIATED_DATA_VALUES: readonly string[] = ['LatestProvenanceResources', 'RelevantProvenanceResources'];

/** What interpretation collects besides values: lenient notes and a deferred job failure. */
export interface ParamNotes {
  lenient: boolean;
  ignored: string[];
  failure: string | undefined;
}

/** Under handling=lenient, records `message` as ignored and returns undefined; otherwise the 400. */
function refuse(notes: ParamNotes, message: string): { ok: false; error: ErrorSpec } | undefined {
  if (!notes.lenient) return invalid(message, 'not-supported');
  notes.ignored.push(`${message}; it was ignored`);
  return undefined;
}

/** A repeated parameter equals one comma-delimited value (Bulk Data v2). */
function splitList(values: readonly string[]): string[] {
  return values.flatMap((value) => value.split(',')).map((item) => item.trim());
}

function readSingle(name: string, values: readonly string[]): Checked<string | undefined> {
  if (values.length > 1) return invalid(`${name} may be given only once`);
  return { ok: true, value: values[0] };
}

export function parseOutputFormat(values: readonly string[], faults: FaultSet): Checked<string> {
  const one = readSingle('_outputFormat', values);
  if (!one.ok) return one;
  if (one.value === undefined) return { ok: true, value: 'application/fhir+ndjson' };
  // An unencoded '+' in a query string arrives as a space; accept it as '+'.
  const format = one.value.trim().replace(/ /g, '+').toLowerCase();
  // Fault KICKOFF-11: only the full media type is accepted, not its abbreviations.
  const accepted = faults.has('ndjson-abbreviations-rejected') ? NDJSON_FORMATS.slice(0, 1) : NDJSON_FORMATS;
  if (!accepted.includes(format)) {
    return invalid(`_outputFormat "${one.value}" is not supported; use one of ${accepted.join(', ')}`, 'not-supported');
  }
  return { ok: true, value: format };
}

function parseInstant(name: string, values: readonly string[]): Checked<number | undefined> {
  const one = readSingle(name, values);
  if (!one.ok || one.value === undefined) return one.ok ? { ok: true, value: undefined } : one;
  const ms = parseFhirInstant(one.value);
  if (ms === undefined) return invalid(`${name} "${one.value}" is not a FHIR instant (e.g. 2024-01-01T00:00:00Z)`);
  return { ok: true, value: ms };
}

export function parseInstants(
  sinceValues: readonly string[],
  untilValues: readonly string[],
  faults: FaultSet,
): Checked<{ since: number | undefined; until: number | undefined }> {
  // Fault KICKOFF-15: the required _since parameter is refused as unsupported.
  if (sinceValues.length > 0 && faults.has('since-rejected')) return invalid('_since is not supported', 'not-supported');
  const since = parseInstant('_since', sinceValues);
  if (!since.ok) return since;
  const until = parseInstant('_until', untilValues);
  if (!until.ok) return until;
  if (since.value !== undefined && until.value !== undefined && until.value <= since.value) {
    return invalid('_until must be later than _since');
  }
  return { ok: true, value: { since: since.value, until: until.value } };
}

export function parseTypes(values: readonly string[], ctx: InterpretContext, notes: ParamNotes): Checked<readonly ExportType[]> {
  const offered = ctx.level === 'system' ? EXPORT_TYPES : PATIENT_COMPARTMENT_TYPES;
  if (values.length === 0) return { ok: true, value: offered };
  // Fault KICKOFF-08: a repeated _type keeps only its last occurrence instead of joining them.
  const lists = ctx.faults.has('repeated-type-last-wins') ? values.slice(-1) : values;
  const wanted = new Set<ExportType>();
  for (const name of splitList(lists)) {
    if (name === '') return invalid('_type contains an empty resource type');
    if (isExportType(name) && offered.includes(name)) {
      wanted.add(name);
      continue;
    }
    // Fault ERR-04: an unsupported type is dropped without an error or an error-file entry.
    if (ctx.faults.has('unsupported-type-accepted-silently')) continue;
    const scope = ctx.level === 'system' ? 'by this server' : 'for the Patient compartment';
    const refused = refuse(notes, `_type "${name}" is not supported ${scope}; supported types: ${offered.join(', ')}`);
    if (refused) return refused;
  }
  return { ok: true, value: offered.filter((type) => wanted.has(type)) };
}

export function parseElements(values: readonly string[], notes: ParamNotes): Checked<readonly ElementSelector[] | undefined> {
  if (values.length === 0) return { ok: true, value: undefined };
  const selectors: ElementSelector[] = [];
  for (const item of splitList(values)) {
    const parsed = parseElement(item);
    if (parsed.ok) {
      selectors.push(parsed.value);
      continue;
    }
    const refused = refuse(notes, parsed.message);
    if (refused) return refused;
  }
  return { ok: true, value: selectors.length > 0 ? selectors : undefined };
}

function findPatientNumber(reference: string, ctx: InterpretContext): number | undefined {
  const match = /(?:^|\/)Patient\/([^/]+)$/.exec(reference);
  const n = match?.[1] === undefined ? undefined : parsePatientNumber(match[1], ctx.patientCount);
  if (n === undefined || ctx.groupMembers === undefined) return n;
  return ctx.groupMembers.includes(n) ? n : undefined;
}

export function parsePatients(values: readonly string[], ctx: InterpretContext, notes: ParamNotes): Checked<readonly number[] | undefined> {
  const scope = ctx.level === 'group' ? ctx.groupMembers : undefined;
  if (values.length === 0) return { ok: true, value: scope };
  if (ctx.level === 'system') {
    const refused = refuse(notes, 'parameter "patient" is not applicable to a system-level export');
    return refused ?? { ok: true, value: undefined };
  }
  const chosen = new Set<number>();
  for (const reference of splitList(values)) {
    const n = findPatientNumber(reference, ctx);
    if (n !== undefined) {
      chosen.add(n);
      continue;
    }
    const where = ctx.level === 'group' ? `a member of Group/${ctx.groupId ?? ''}` : 'on this server';
    const refused = refuse(notes, `patient "${reference}" is not ${where}`);
    if (refused) return refused;
  }
  return { ok: true, value: [...chosen].sort((a, b) => a - b) };
}

export function parseTypeFilters(values: readonly string[], notes: ParamNotes): Checked<readonly TypeFilter[]> {
  const filters: TypeFilter[] = [];
  for (const query of splitTypeFilters(values)) {
    const parsed = parseTypeFilter(query);
    if (parsed.kind === 'filter') {
      filters.push(parsed.filter);
    } else if (parsed.kind === 'malformed' || notes.lenient) {
      const refused = refuse(notes, parsed.message);
      if (refused) return refused;
    } else {
      notes.failure ??= parsed.message;
    }
  }
  return { ok: true, value: filters };
}

export function parseAssociatedData(values: readonly string[], notes: ParamNotes, faults: FaultSet): Checked<readonly string[]> {
  const accepted: string[] = [];
  for (const value of splitList(values)) {
    if (ASSOCIATED_DATA_VALUES.includes(value)) {
      if (!accepted.includes(value)) accepted.push(value);
      continue;
    }
    // Fault KICKOFF-14: an unsupported value without handling=lenient is ignored silently instead of refused.
    if (!notes.lenient && faults.has('unsupported-parameter-ignored')) continue;
    const refused = refuse(notes, `includeAssociatedData "${value}" is not supported; supported: ${ASSOCIATED_DATA_VALUES.join(', ')}`);
    if (refused) return refused;
  }
  return { ok: true, value: accepted };
}

function parsePositiveInt(name: string, values: readonly string[]): Checked<number | undefined> {
  const one = readSingle(name, values);
  if (!one.ok || one.value === undefined) return one.ok ? { ok: true, value: undefined } : one;
  const n = /^[1-9][0-9]*$/.test(one.value.trim()) ? Number(one.value.trim()) : NaN;
  if (!Number.isSafeInteger(n)) return invalid(`${name} "${one.value}" is not a positive integer`);
  return { ok: true, value: n };
}

export function parseFileSizes(
  maxValues: readonly string[],
  minValues: readonly string[],
): Checked<{ max: number | undefined; min: number | undefined }> {
  const max = parsePositiveInt('_maximumFileSize', maxValues);
  if (!max.ok) return max;
  const min = parsePositiveInt('_minimumFileSize', minValues);
  if (!min.ok) return min;
  if (max.value !== undefined && min.value !== undefined && max.value <= min.value) {
    return invalid('_maximumFileSize must be greater than _minimumFileSize');
  }
  return { ok: true, value: { max: max.value, min: min.value } };
}

/** `allowPartialManifests`: a FHIR boolean (`true` / `false`); repeated values must agree. */
export function parseAllowPartialManifests(values: readonly string[]): Checked<boolean> {
  const distinct = [...new Set(values)];
  if (distinct.length === 0) return { ok: true, value: false };
  if (distinct.length > 1 || (distinct[0] !== 'true' && distinct[0] !== 'false')) {
    return invalid(`allowPartialManifests must be true or false, got ${distinct.map((v) => `"${v}"`).join(', ')}`);
  }
  return { ok: true, value: distinct[0] === 'true' };
}
