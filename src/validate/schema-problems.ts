/**
 * ajv errors as one line each, naming the JSON path (RFC 6901 pointer from the validated
 * value's root) and the offending value: kept by ajv (`verbose`), or looked up by its path in
 * the validated value when that is given.
 */
import type { ErrorObject } from 'ajv';

const MAX_VALUE_CHARS = 60;

function showData(data: unknown): string {
  if (data === undefined) return '';
  const text = JSON.stringify(data) ?? String(data);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
}

const prefix = (at: string): string => (at === '' ? '' : `${at}: `);

function escapeSegment(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The value at an RFC 6901 pointer, or undefined when the path leads nowhere. */
export function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let value = root;
  for (const raw of pointer.slice(1).split('/')) {
    if (value === null || typeof value !== 'object') return undefined;
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * One error as `path: what is wrong (got value)`; an error of the value itself has no path.
 * `root`, the validated value, supplies the offending value when ajv did not keep it.
 */
export function formatSchemaError(error: Partial<ErrorObject>, root?: { value: unknown }): string {
  const at = error.instancePath ?? '';
  const params = (error.params ?? {}) as Record<string, unknown>;
  const got = 'data' in error ? showData(error.data) : root !== undefined && error.keyword !== undefined ? showData(valueAt(root.value, at)) : '';
  switch (error.keyword) {
    case 'required':
      return `${at}/${escapeSegment(String(params['missingProperty']))}: is required but absent`;
    case 'additionalProperties':
      return `${at}/${escapeSegment(String(params['additionalProperty']))}: is not allowed here (unknown property)`;
    case 'enum': {
      const allowed = Array.isArray(params['allowedValues']) ? params['allowedValues'].map((v) => JSON.stringify(v)).join(', ') : '';
      return `${prefix(at)}must be one of ${allowed}${got ? ` (got ${got})` : ''}`;
    }
    case 'const':
      return `${prefix(at)}must be ${JSON.stringify(params['allowedValue'])}${got ? ` (got ${got})` : ''}`;
    default:
      return `${prefix(at)}${error.message ?? 'is invalid'}${got ? ` (got ${got})` : ''}`;
  }
}

/** Every error once, in order (ajv can repeat one through several `oneOf` branches). */
export function formatSchemaErrors(errors: readonly Partial<ErrorObject>[], ...root: [] | [unknown]): string[] {
  const from = root.length === 0 ? undefined : { value: root[0] };
  return [...new Set(errors.map((e) => formatSchemaError(e, from)))];
}
