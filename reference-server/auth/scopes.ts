/**
 * SMART scopes, just enough for Backend Services: `system/<Type|*>.<permissions>` with SMART v1
 * permissions (`read`, `write`, `*`) or v2 letters (`cruds` subsets). A requested scope is granted
 * when a registered one covers it; an export needs a granted `system` scope that can read and search.
 */

interface ParsedScope {
  context: string;
  type: string;
  /** Permission letters, v1 words mapped to v2 (read = rs, write = cud, * = cruds). */
  letters: ReadonlySet<string>;
}

const V1: Readonly<Record<string, string>> = { read: 'rs', write: 'cud', '*': 'cruds' };

function parseScope(scope: string): ParsedScope | undefined {
  const m = /^(system|user|patient)\/([A-Za-z]+|\*)\.([a-z]+|\*)$/.exec(scope);
  if (m === null) return undefined;
  const [, context = '', type = '', permissions = ''] = m;
  const letters = V1[permissions] ?? (/^c?r?u?d?s?$/.test(permissions) ? permissions : undefined);
  return letters === undefined || letters === '' ? undefined : { context, type, letters: new Set(letters) };
}

function covers(allowed: ParsedScope, requested: ParsedScope): boolean {
  if (allowed.context !== requested.context) return false;
  if (allowed.type !== '*' && allowed.type !== requested.type) return false;
  return [...requested.letters].every((l) => allowed.letters.has(l));
}

/** The requested scopes the client may have (space-separated in, list out; unknown syntax is dropped). */
export function grantScopes(requested: string, allowed: readonly string[]): string[] {
  const registered = allowed.map(parseScope).filter((s): s is ParsedScope => s !== undefined);
  return requested
    .split(' ')
    .filter((s) => s !== '')
    .filter((s) => {
      const parsed = parseScope(s);
      return parsed !== undefined && registered.some((a) => covers(a, parsed));
    });
}

const canExport = (s: ParsedScope | undefined): s is ParsedScope => s !== undefined && s.context === 'system' && s.letters.has('r') && s.letters.has('s');

/**
 * Why the scopes do not cover an export of `types` (undefined: every type), or undefined when
 * they do. An export holds only what the client may read (AUTH-06): rather than trim the output,
 * this server refuses a kick-off whose types are not all covered by system read+search scopes.
 */
export function checkExportScopes(scopes: readonly string[], types: readonly string[] | undefined): string | undefined {
  const readable = scopes.map(parseScope).filter(canExport);
  if (readable.length === 0) return 'the access token has no system-level read scope (e.g. system/*.read), which $export needs';
  if (readable.some((s) => s.type === '*')) return undefined;
  if (types === undefined) return `the access token's scopes (${scopes.join(' ')}) cover only some types; name them in _type or ask for system/*.read`;
  const missing = types.filter((t) => !readable.some((s) => s.type === t));
  return missing.length ? `the access token's scopes (${scopes.join(' ')}) do not cover ${missing.join(', ')}` : undefined;
}
