/**
 * The `Prefer` request header (RFC 7240 §2) and `Preference-Applied` (§3).
 *
 *   Prefer     = 1#preference
 *   preference = token [ BWS "=" BWS word ] *( OWS ";" [ OWS parameter ] )
 *   parameter  = token [ BWS "=" BWS word ]
 *   word       = token / quoted-string
 *
 * Names compare case-insensitively (kept lower-cased), values are case-sensitive; several
 * header lines equal one comma-joined line; an empty value equals no value; a repeated
 * preference keeps its first occurrence. Parsing is best-effort and never throws: a member
 * that cannot be read (no leading token, or junk after it) is skipped up to the next
 * top-level comma, and an unquoted value may hold non-token characters (e.g. an unquoted
 * URL) up to the next `,`, `;` or space.
 */

export interface Preference {
  /** Lower-cased preference name, e.g. `respond-async`. */
  name: string;
  /** The name as the client spelled it. */
  rawName: string;
  /** Value with quotes and escapes removed; `undefined` when absent or empty. */
  value: string | undefined;
  /** True when the member had an `=` (so `respond-async=""` has `valueGiven` but no value). */
  valueGiven: boolean;
  /** Parameters by lower-cased name (first occurrence wins); empty values are `undefined`. */
  params: ReadonlyMap<string, string | undefined>;
}

export type Preferences = ReadonlyMap<string, Preference>;

export type PreferHeader = string | readonly string[] | undefined;

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const WHITESPACE = /[ \t]/;

/** A cursor over one header value. */
class Scanner {
  private pos = 0;
  constructor(private readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text.charAt(this.pos);
  }

  advance(): void {
    this.pos++;
  }

  skipSpace(): void {
    while (!this.done && WHITESPACE.test(this.peek())) this.pos++;
  }

  readToken(): string {
    const start = this.pos;
    while (!this.done && TCHAR.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** A quoted-string (escapes removed; an unterminated one runs to the end) or a bare run. */
  readWord(): string {
    if (this.peek() !== '"') {
      const start = this.pos;
      while (!this.done && !/[,; \t"]/.test(this.peek())) this.pos++;
      return this.text.slice(start, this.pos);
    }
    this.pos++;
    let out = '';
    while (!this.done) {
      const ch = this.peek();
      this.pos++;
      if (ch === '"') return out;
      if (ch === '\\' && !this.done) {
        out += this.peek();
        this.pos++;
      } else {
        out += ch;
      }
    }
    return out;
  }

  /** Skips to the next `stop` character outside a quoted-string (or the end). */
  skipPast(stops: string): void {
    while (!this.done && !stops.includes(this.peek())) {
      if (this.peek() === '"') this.readWord();
      else this.pos++;
    }
  }
}

interface NameValue {
  rawName: string;
  value: string | undefined;
  valueGiven: boolean;
}

/** Reads `token [ BWS "=" BWS word ]`; undefined when no token starts here. */
function readNameValue(scan: Scanner): NameValue | undefined {
  scan.skipSpace();
  const rawName = scan.readToken();
  if (rawName === '') return undefined;
  scan.skipSpace();
  if (scan.peek() !== '=') return { rawName, value: undefined, valueGiven: false };
  scan.advance();
  scan.skipSpace();
  const value = scan.readWord();
  return { rawName, value: value === '' ? undefined : value, valueGiven: true };
}

function readParams(scan: Scanner): Map<string, string | undefined> {
  const params = new Map<string, string | undefined>();
  for (;;) {
    scan.skipSpace();
    if (scan.peek() !== ';') return params;
    scan.advance();
    const param = readNameValue(scan);
    if (param === undefined) {
      scan.skipPast(',;');
      continue;
    }
    const name = param.rawName.toLowerCase();
    if (!params.has(name)) params.set(name, param.value);
  }
}

/** Parses one header line into its members, in order (repeats kept). */
function parseLine(line: string, into: Preference[]): void {
  const scan = new Scanner(line);
  while (!scan.done) {
    const head = readNameValue(scan);
    const params = head === undefined ? undefined : readParams(scan);
    scan.skipSpace();
    if (scan.done || scan.peek() === ',') {
      if (head !== undefined && params !== undefined) into.push({ name: head.rawName.toLowerCase(), ...head, params });
    } else {
      // Junk after the member: the whole member is unreadable and skipped.
      scan.skipPast(',');
    }
    scan.advance();
  }
}

/** Every preference member of one or more header lines, in order, repeats included. */
export function parsePreferList(header: PreferHeader): Preference[] {
  const members: Preference[] = [];
  if (header === undefined) return members;
  for (const line of typeof header === 'string' ? [header] : header) parseLine(line, members);
  return members;
}

/** Indexes members by name; the first occurrence wins unless `keep` is 'last'. */
export function indexPreferences(members: readonly Preference[], keep: 'first' | 'last' = 'first'): Preferences {
  const prefs = new Map<string, Preference>();
  for (const member of members) {
    if (keep === 'first' && prefs.has(member.name)) continue;
    prefs.set(member.name, member);
  }
  return prefs;
}

/** Parses one or more `Prefer` header values (first occurrence of a repeated token wins). */
export function parsePrefer(header: PreferHeader): Preferences {
  return indexPreferences(parsePreferList(header));
}

/** A preference the server honoured, for `Preference-Applied` (`token [ "=" word ]`, no parameters). */
export interface AppliedPreference {
  name: string;
  value?: string | undefined;
}

function formatWord(value: string): string {
  if (value !== '' && [...value].every((ch) => TCHAR.test(ch))) return value;
  return `"${value.replace(/["\\]/g, (ch) => `\\${ch}`)}"`;
}

/** Formats a `Preference-Applied` value, e.g. `respond-async, return=minimal`. */
export function formatPreferenceApplied(applied: readonly AppliedPreference[]): string {
  return applied.map(({ name, value }) => (value === undefined ? name : `${name}=${formatWord(value)}`)).join(', ');
}

/**
 * The `Preference-Applied` value for the named preferences the server honoured, echoing the
 * request's values (without parameters); names not in `prefs` are left out. Undefined when
 * nothing applies (then send no header).
 */
export function preferenceAppliedFor(prefs: Preferences, honoured: readonly string[]): string | undefined {
  const applied: AppliedPreference[] = [];
  for (const name of honoured) {
    const pref = prefs.get(name.toLowerCase());
    if (pref !== undefined) applied.push({ name: pref.name, value: pref.value });
  }
  return applied.length === 0 ? undefined : formatPreferenceApplied(applied);
}
