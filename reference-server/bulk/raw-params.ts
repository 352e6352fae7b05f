/**
 * Raw kick-off parameters as name/value pairs, from a query string (GET) or a FHIR
 * Parameters body (POST). A repeated parameter stays repeated here; interpretation
 * (export-params.ts) decides what repetition means.
 */
import { invalid, type Checked } from '../operation-outcome.js';
import { isRecord } from './json-value.js';

export interface RawParam {
  name: string;
  value: string;
}

export function collectQueryParams(url: URL): RawParam[] {
  return [...url.searchParams.entries()].map(([name, value]) => ({ name, value }));
}

/** A primitive value[x] as text; a Reference (`valueReference`) as its `reference`. */
function readValue(key: string, value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  if (key === 'valueReference' && isRecord(value) && typeof value['reference'] === 'string') return value['reference'];
  return undefined;
}

function readParameterEntry(entry: unknown, index: number): Checked<RawParam> {
  if (!isRecord(entry) || typeof entry['name'] !== 'string') {
    return invalid(`Parameters.parameter[${index}] must be an object with a string name`);
  }
  const valueKeys = Object.keys(entry).filter((key) => key.startsWith('value'));
  const key = valueKeys[0];
  const value = key === undefined ? undefined : readValue(key, entry[key]);
  if (valueKeys.length !== 1 || value === undefined) {
    return invalid(
      `Parameters.parameter[${index}] ("${entry['name']}") must have exactly one value[x]: a primitive or a valueReference with a reference`,
    );
  }
  return { ok: true, value: { name: entry['name'], value } };
}

/** Parses a POST body that must be a FHIR Parameters resource (an empty body means no parameters). */
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
