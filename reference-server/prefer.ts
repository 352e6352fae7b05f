/**
 * Parsing of the `Prefer` request header (RFC 7240 §2), enough for this server:
 * comma-separated preferences, case-insensitive names, optional `=value` (token or
 * quoted-string) and `;`-separated parameters. Several header lines equal one joined line.
 * A repeated preference keeps its first occurrence.
 */

export interface Preference {
  /** Lower-cased preference name, e.g. `respond-async`. */
  name: string;
  /** Value with quotes removed; `undefined` when absent or empty (RFC 7240: empty equals none). */
  value: string | undefined;
  /** Parameters by lower-cased name. */
  params: ReadonlyMap<string, string | undefined>;
}

export type Preferences = ReadonlyMap<string, Preference>;

/** Splits `text` on `separator`, ignoring separators inside double-quoted strings. */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quoted && ch === '\\' && i + 1 < text.length) {
      current += ch + text.charAt(i + 1);
      i++;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === separator && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function unquote(raw: string): string {
  const trimmed = raw.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
    return trimmed.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return trimmed;
}

/** Splits `name[=value]` into a lower-cased name and an optional unquoted value. */
function parseNameValue(text: string): { name: string; value: string | undefined } {
  const eq = text.indexOf('=');
  const name = (eq === -1 ? text : text.slice(0, eq)).trim().toLowerCase();
  const value = eq === -1 ? undefined : unquote(text.slice(eq + 1));
  return { name, value: value === '' ? undefined : value };
}

/** Parses one or more `Prefer` header values. Malformed members are skipped, never an error. */
export function parsePrefer(header: string | readonly string[] | undefined): Preferences {
  const prefs = new Map<string, Preference>();
  if (header === undefined) return prefs;
  const joined = typeof header === 'string' ? header : header.join(',');
  for (const member of splitOutsideQuotes(joined, ',')) {
    const [head, ...rest] = splitOutsideQuotes(member, ';');
    if (head === undefined) continue;
    const { name, value } = parseNameValue(head);
    if (name === '' || prefs.has(name)) continue;
    const params = new Map<string, string | undefined>();
    for (const raw of rest) {
      const param = parseNameValue(raw);
      if (param.name !== '' && !params.has(param.name)) params.set(param.name, param.value);
    }
    prefs.set(name, { name, value, params });
  }
  return prefs;
}
