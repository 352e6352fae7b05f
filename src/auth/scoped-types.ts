/**
 * What a narrowly scoped client may export (AUTH-06): the resource types its SMART system scopes
 * let it read, e.g. `system/Patient.rs system/Observation.read` -> Patient, Observation. A scope
 * for every type (`system/*.read`) is not narrow, so it cannot show that an export is limited.
 */

/** `system/<Type>.<permissions>` with read (v1 `read`/`*`, v2 letters including `r`); a v2 `?query` suffix is allowed. */
const SYSTEM_SCOPE = /^system\/([A-Za-z]+|\*)\.(read|\*|c?r?u?d?s?)(\?\S*)?$/;

export type ScopedTypes = { ok: true; types: string[] } | { ok: false; reason: string };

/** The resource types a space-separated scope string lets a Backend Services client read. */
export function readableTypes(scope: string): ScopedTypes {
  const types = new Set<string>();
  for (const item of scope.split(' ').filter((s) => s !== '')) {
    const m = SYSTEM_SCOPE.exec(item);
    if (m === null) continue;
    const [, type = '', permissions = ''] = m;
    const reads = permissions === 'read' || permissions === '*' || permissions.includes('r');
    if (!reads) continue;
    if (type === '*') return { ok: false, reason: `'${item}' covers every resource type` };
    types.add(type);
  }
  if (types.size === 0) return { ok: false, reason: 'it names no system-level read scope for a resource type (e.g. system/Patient.rs)' };
  return { ok: true, types: [...types].sort() };
}

/**
 * The run variables a scoped client gives scenarios: `scopedTypes` (comma-joined, for `_type`)
 * and `scopedTypesPattern` (an anchored regular expression for `matches` checks).
 */
export function scopedTypeVariables(types: readonly string[]): { scopedTypes: string; scopedTypesPattern: string } {
  return { scopedTypes: types.join(','), scopedTypesPattern: `^(?:${types.join('|')})$` };
}
