import type { ValueMatchers } from '../model/scenario.js';
import { parseHttpDate } from '../protocol/http-date.js';
import { parseRetryAfter } from '../protocol/retry-after.js';
import { validatePayload } from '../validate/payload-schemas.js';
import { describeSameJson, isSameJson } from './same-json.js';
import { formatDuration, parseDuration } from '../util/duration.js';

export interface MatchOutcome {
  passed: boolean;
  expected: string;
  actual: string;
}

/**
 * What some matchers compare against besides the value: the time the response arrived (harness
 * clock, ms since epoch) and the response's own `Date` header, when it sent one.
 */
export interface MatchContext {
  now: number;
  dateHeader?: string;
}

const FHIR_INSTANT = /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]{1,9})?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$/;

type Matcher<K extends keyof ValueMatchers> = {
  describe(arg: NonNullable<ValueMatchers[K]>): string;
  test(value: unknown, arg: NonNullable<ValueMatchers[K]>, ctx: MatchContext): boolean;
};

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

export function mediaTypeOf(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

export function isAbsoluteHttpUrl(v: string): boolean {
  // `new URL('http:/x')` normalises to http://x/; an absolute URL must spell its authority.
  if (!/^https?:\/\/[^/]/i.test(v)) return false;
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host !== '';
  } catch {
    return false;
  }
}

export function isOperationOutcome(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  const r = v as { resourceType?: unknown; issue?: unknown };
  return r.resourceType === 'OperationOutcome' && Array.isArray(r.issue) && r.issue.length > 0;
}

const sameScalar = (a: unknown, b: unknown): boolean => a === b || (typeof a === 'string' && typeof b === 'number' && a.trim() === String(b));

/** A JSON number, or a string that is exactly a decimal number (header values are strings). */
function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^\s*-?[0-9]+(\.[0-9]+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

/**
 * The instant an HTTP-date is judged against: the response's own Date header (the server's clock,
 * so clock skew between server and harness does not matter), else the time it arrived.
 */
function referenceTime(ctx: MatchContext): { at: number; what: string } {
  const date = ctx.dateHeader === undefined ? undefined : parseHttpDate(ctx.dateHeader);
  return date === undefined ? { at: ctx.now, what: 'the time the response arrived' } : { at: date, what: "the response's Date header" };
}

/** An HTTP-date no earlier than the reference time minus the allowance (`allowance` a duration). */
function testNotPast(value: unknown, allowance: string, ctx: MatchContext): boolean {
  const at = str(value) === undefined ? undefined : parseHttpDate(str(value) ?? '');
  const slack = parseDuration(allowance);
  if (at === undefined || slack === undefined) return false;
  return at >= referenceTime(ctx).at - slack;
}

/** Every matcher the language has: how it reads in a message, and how it tests a present value. */
const MATCHERS: { [K in keyof ValueMatchers]-?: Matcher<K> } = {
  equals: { describe: (a) => `equal to ${JSON.stringify(a)}`, test: (v, a) => sameScalar(v, a) },
  oneOf: { describe: (a) => `one of ${a.map((x) => JSON.stringify(x)).join(', ')}`, test: (v, a) => a.some((x) => sameScalar(v, x)) },
  matches: { describe: (a) => `matching /${a}/`, test: (v, a) => str(v) !== undefined && new RegExp(a).test(str(v) ?? '') },
  exists: { describe: (a) => (a ? 'present' : 'absent'), test: (_v, a) => a },
  absoluteUrl: { describe: () => 'an absolute http(s) URL', test: (v) => isAbsoluteHttpUrl(str(v) ?? '') },
  mediaType: {
    describe: (a) => `media type ${[a].flat().join(' or ')} (parameters such as charset allowed)`,
    test: (v, a) => str(v) !== undefined && [a].flat().some((t) => t.toLowerCase() === mediaTypeOf(str(v) ?? '')),
  },
  type: { describe: (a) => `a JSON ${a}`, test: (v, a) => jsonType(v) === a || (a === 'number' && jsonType(v) === 'integer') },
  maxLengthBelow: { describe: (a) => `shorter than ${a} characters`, test: (v, a) => String(v).length < a },
  httpDate: { describe: () => 'an HTTP-date', test: (v) => str(v) !== undefined && parseHttpDate(str(v) ?? '') !== undefined },
  retryAfter: {
    describe: () => 'delay-seconds (e.g. 120) or an HTTP-date',
    test: (v) => str(v) !== undefined && parseRetryAfter(str(v)) !== undefined,
  },
  fhirInstant: { describe: () => 'a FHIR instant (e.g. 2024-01-01T00:00:00Z)', test: (v) => FHIR_INSTANT.test(str(v) ?? '') },
  operationOutcome: { describe: () => 'an OperationOutcome with at least one issue', test: (v) => isOperationOutcome(v) },
  minItems: { describe: (a) => `an array of at least ${a} item(s)`, test: (v, a) => Array.isArray(v) && v.length >= a },
  contains: {
    describe: (a) => `an array containing ${JSON.stringify(a)}`,
    test: (v, a) => Array.isArray(v) && v.some((item) => sameScalar(item, a)),
  },
  minimum: { describe: (a) => `a number >= ${a}`, test: (v, a) => (numberOf(v) ?? Number.NaN) >= a },
  maximum: { describe: (a) => `a number <= ${a}`, test: (v, a) => (numberOf(v) ?? Number.NaN) <= a },
  notPast: {
    describe: (a) => `an HTTP-date not in the past (judged against the response's Date header, else the time it arrived; ${formatDuration(parseDuration(a) ?? 0)} of clock skew allowed)`,
    test: (v, a, ctx) => testNotPast(v, a, ctx),
  },
  ndjson: { describe: () => 'NDJSON: one JSON resource (with resourceType) per line', test: (v) => ndjsonProblem(str(v) ?? '') === undefined },
  schema: { describe: (a) => `valid against the ${a} schema`, test: (v, a) => validatePayload(a, v).ok },
  sameJsonAs: { describe: (a) => describeSameJson(a), test: (v, a) => isSameJson(v, a.reference, a.ignoreKeys) },
};

/** Why a value fails a named schema: its first problems, each naming the JSON path inside the value. */
function schemaProblem(name: string, value: unknown): string | undefined {
  const verdict = validatePayload(name, value);
  return verdict.ok ? undefined : verdict.problems.slice(0, 5).join('; ');
}

/** The first NDJSON problem in `text`, or undefined when every line is a JSON resource. */
export function ndjsonProblem(text: string): string | undefined {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const [i, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return `line ${i + 1} is not JSON: ${showValue(line.slice(0, 80))}`;
    }
    if (jsonType(value) !== 'object' || typeof (value as { resourceType?: unknown }).resourceType !== 'string') {
      return `line ${i + 1} is not a resource (no resourceType)`;
    }
  }
  return undefined;
}

/** Apply every matcher present in `m` to one value (`undefined` = absent). */
export function applyMatchers(value: unknown, m: ValueMatchers, optional: boolean, ctx: MatchContext = { now: Date.now() }): MatchOutcome {
  const active = (Object.keys(MATCHERS) as (keyof ValueMatchers)[]).filter((k) => m[k] !== undefined);
  const expected = active.map((k) => describeOne(k, m)).join(' and ');
  const actual = showValue(value);
  if (m.exists !== undefined) {
    const present = value !== undefined;
    if (present !== m.exists) return { passed: false, expected, actual };
    if (!present) return { passed: true, expected, actual };
  }
  if (value === undefined) return { passed: optional, expected: optional ? `${expected} (when present)` : expected, actual };
  const passed = active.every((k) => k === 'exists' || testOne(k, value, m, ctx));
  const problem = passed ? undefined : m.ndjson ? ndjsonProblem(str(value) ?? '') : m.schema ? schemaProblem(m.schema, value) : m.notPast ? notPastProblem(value, m.notPast, ctx) : undefined;
  return { passed, expected: optional ? `${expected} (when present)` : expected, actual: problem ?? actual };
}

function describeOne<K extends keyof ValueMatchers>(k: K, m: ValueMatchers): string {
  return (MATCHERS[k] as Matcher<K>).describe(m[k] as NonNullable<ValueMatchers[K]>);
}

function testOne<K extends keyof ValueMatchers>(k: K, value: unknown, m: ValueMatchers, ctx: MatchContext): boolean {
  return (MATCHERS[k] as Matcher<K>).test(value, m[k] as NonNullable<ValueMatchers[K]>, ctx);
}

/** How far in the past a date is, against what (for the failure message). */
function notPastProblem(value: unknown, allowance: string, ctx: MatchContext): string {
  const at = str(value) === undefined ? undefined : parseHttpDate(str(value) ?? '');
  if (at === undefined) return `${showValue(value)} (not an HTTP-date)`;
  const ref = referenceTime(ctx);
  const base = `${showValue(value)}, ${formatDuration(ref.at - at)} before ${ref.what} (${new Date(ref.at).toUTCString()})`;
  return testNotPast(value, allowance, ctx) ? showValue(value) : base;
}

export function showValue(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text;
}
