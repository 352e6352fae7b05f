/**
 * Kick-off parameters for $export, from a query string (GET) or a FHIR Parameters body
 * (POST), interpreted per Bulk Data v2: `_outputFormat`, `_type` (comma list and/or
 * repeated), `_since` (FHIR instant). Anything else is rejected as not supported, unless
 * the client sent `Prefer: handling=lenient`, in which case it is ignored and reported in
 * the manifest's `error` array.
 */
import { parseFhirInstant } from '../fhir-time.js';
import { invalid, type Checked } from '../operation-outcome.js';
import { EXPORT_TYPES, isExportType, type ExportType } from '../synthetic-data.js';

export interface RawParam {
  name: string;
  value: string;
}

export interface ExportParams {
  outputFormat: string;
  types: readonly ExportType[];
  /** Epoch ms of `_since`, when given. */
  since: number | undefined;
  /** Unsupported parameters ignored under handling=lenient, as `name=value`. */
  ignored: readonly string[];
}

export const NDJSON_FORMATS: readonly string[] = ['application/fhir+ndjson', 'application/ndjson', 'ndjson'];

export function collectQueryParams(url: URL): RawParam[] {
  return [...url.searchParams.entries()].map(([name, value]) => ({ name, value }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readParameterEntry(entry: unknown, index: number): Checked<RawParam> {
  if (!isRecord(entry) || typeof entry['name'] !== 'string') {
    return invalid(`Parameters.parameter[${index}] must be an object with a string name`);
  }
  const valueKeys = Object.keys(entry).filter((key) => key.startsWith('value'));
  const key = valueKeys[0];
  const value = key === undefined ? undefined : entry[key];
  if (valueKeys.length !== 1 || typeof value !== 'string') {
    return invalid(`Parameters.parameter[${index}] ("${entry['name']}") must have exactly one primitive value[x]`);
  }
  return { ok: true, value: { name: entry['name'], value } };
}

/** Parses a POST body that must be a FHIR Parameters resource. */
export function collectParametersBody(text: string): Checked<RawParam[]> {
  if (text.trim() === '') return { ok: true, value: [] };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return invalid('request body is not valid JSON');
  }
  if (!isRecord(body) || body['resourceType'] !== 'Parameters') {
    return invalid('request body must be a FHIR Parameters resource');
  }
  const entries = body['parameter'] ?? [];
  if (!Array.isArray(entries)) return invalid('Parameters.parameter must be an array');
  const params: RawParam[] = [];
  for (const [index, entry] of entries.entries()) {
    const read = readParameterEntry(entry, index);
    if (!read.ok) return read;
    params.push(read.value);
  }
  return { ok: true, value: params };
}

function parseOutputFormat(values: readonly string[]): Checked<string> {
  if (values.length === 0) return { ok: true, value: 'application/fhir+ndjson' };
  if (values.length > 1) return invalid('_outputFormat may be given only once');
  // An unencoded '+' in a query string arrives as a space; accept it as '+'.
  const format = (values[0] ?? '').trim().replace(/ /g, '+').toLowerCase();
  if (!NDJSON_FORMATS.includes(format)) {
    return invalid(`_outputFormat "${values[0] ?? ''}" is not supported; use one of ${NDJSON_FORMATS.join(', ')}`, 'not-supported');
  }
  return { ok: true, value: format };
}

function parseTypes(values: readonly string[]): Checked<readonly ExportType[]> {
  if (values.length === 0) return { ok: true, value: EXPORT_TYPES };
  const types: ExportType[] = [];
  for (const name of values.flatMap((value) => value.split(',')).map((part) => part.trim())) {
    if (name === '') return invalid('_type contains an empty resource type');
    if (!isExportType(name)) {
      return invalid(`_type "${name}" is not supported; supported types: ${EXPORT_TYPES.join(', ')}`, 'not-supported');
    }
    if (!types.includes(name)) types.push(name);
  }
  return { ok: true, value: EXPORT_TYPES.filter((type) => types.includes(type)) };
}

function parseSince(values: readonly string[]): Checked<number | undefined> {
  if (values.length === 0) return { ok: true, value: undefined };
  if (values.length > 1) return invalid('_since may be given only once');
  const since = parseFhirInstant(values[0] ?? '');
  if (since === undefined) return invalid(`_since "${values[0] ?? ''}" is not a FHIR instant (e.g. 2024-01-01T00:00:00Z)`);
  return { ok: true, value: since };
}

/** Validates raw parameters into ExportParams, or the 400 to answer. */
export function interpretExportParams(raw: readonly RawParam[], lenient: boolean): Checked<ExportParams> {
  const valuesOf = (name: string): string[] => raw.filter((p) => p.name === name).map((p) => p.value);
  const unknown = raw.filter((p) => !['_outputFormat', '_type', '_since'].includes(p.name));
  const first = unknown[0];
  if (first !== undefined && !lenient) {
    return invalid(
      `parameter "${first.name}" is not supported (send Prefer: handling=lenient to have it ignored)`,
      'not-supported',
    );
  }
  const outputFormat = parseOutputFormat(valuesOf('_outputFormat'));
  if (!outputFormat.ok) return outputFormat;
  const types = parseTypes(valuesOf('_type'));
  if (!types.ok) return types;
  const since = parseSince(valuesOf('_since'));
  if (!since.ok) return since;
  return {
    ok: true,
    value: {
      outputFormat: outputFormat.value,
      types: types.value,
      since: since.value,
      ignored: unknown.map((p) => `${p.name}=${p.value}`),
    },
  };
}
