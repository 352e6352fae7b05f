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

/** True when some scope lets the client read and search at system level (what $export needs). */
export function allowsExport(scopes: readonly string[]): boolean {
  return scopes.map(parseScope).some((s) => s !== undefined && s.context === 'system' && s.letters.has('r') && s.letters.has('s'));
}
