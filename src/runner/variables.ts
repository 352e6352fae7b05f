/**
 * `${name}` interpolation in request fields. `$${` is a literal `${`.
 * Unknown names are caught when scenarios are loaded, before any request is sent.
 */
const REFERENCE = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Variables every run defines (from the target profile); `scopedTypes` and `scopedTypesPattern`
 * only with a narrowly scoped client (src/auth/scoped-types.ts; scenarios using them require
 * `scoped-client`).
 */
export const BUILTIN_VARIABLES = ['baseUrl', 'exportPath', 'patientExportPath', 'groupExportPath', 'groupId', 'searchPath', 'createPath', 'scopedTypes', 'scopedTypesPattern'] as const;

export type Variables = ReadonlyMap<string, string | string[]>;

export class UnknownVariableError extends Error {}

export function referencedVariables(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(REFERENCE)) if (m[1] === '' && m[2]) names.push(m[2]);
  return names;
}

export function interpolate(text: string, vars: Variables): string {
  return text.replace(REFERENCE, (_all, escape: string, name: string) => {
    if (escape) return '${' + name + '}';
    const value = vars.get(name);
    if (value === undefined) throw new UnknownVariableError(`variable '${name}' is not defined`);
    if (Array.isArray(value)) throw new UnknownVariableError(`variable '${name}' holds a list; use forEach to iterate it`);
    return value as string;
  });
}

/** Interpolate every string inside a JSON value. */
export function interpolateJson(value: unknown, vars: Variables): unknown {
  if (typeof value === 'string') return interpolate(value, vars);
  if (Array.isArray(value)) return value.map((v) => interpolateJson(v, vars));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateJson(v, vars)]));
  }
  return value;
}

/** Every string inside a JSON value, with its path. */
export function stringsIn(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; text: string }[] {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsIn(v, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => stringsIn(v, [...path, k]));
  }
  return [];
}
