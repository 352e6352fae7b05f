import type { CheckResult } from '../model/results.js';
import type { RequirementLevel } from '../model/results.js';
import type { Catalogue, Check, StatusMatcher, WhenCondition } from '../model/scenario.js';
import type { HttpResponse } from '../http/client.js';
import { resolvePointer } from './json-pointer.js';
import { applyMatchers, showValue, type MatchContext, type MatchOutcome } from './matchers.js';
import { severityOf } from './severity.js';
import { levelFor, type TargetClaims } from '../app/claims.js';

export interface CheckContext {
  catalogue: Catalogue;
  claims: TargetClaims;
  strict: boolean;
  /** What was sent, as one line: `GET http://… (Prefer: respond-async)`. */
  sent: string;
  exchange: number;
  /** When the response arrived (ms since epoch; default now), for date matchers. */
  now?: number;
}

/** Parse a response body as JSON once; `undefined` with a reason when it is not JSON. */
export type ParsedBody = { ok: true; value: unknown } | { ok: false; empty: boolean; reason: string };

export function parseBody(res: HttpResponse): ParsedBody {
  const text = res.body.toString('utf8');
  if (text.trim() === '') return { ok: false, empty: true, reason: 'the body is empty' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, empty: false, reason: `the body is not JSON (${(e as Error).message})` };
  }
}

/** Evaluate one check against one response. Never throws for target misbehaviour. */
export function evaluateCheck(check: Check, res: HttpResponse, body: () => ParsedBody, ctx: CheckContext): CheckResult {
  const { subject, outcome } = evaluate(check, res, body, matchContextOf(res, ctx.now));
  const requirement = ctx.catalogue.requirements.get(check.requirement);
  const level = weakerLevel(requirement ? levelFor(requirement, ctx.claims) : 'SHALL', check.level);
  const severity = check.informational ? 'information' : severityOf(level, ctx.strict);
  const because = check.because ? ` (${check.because})` : '';
  const message = outcome.passed
    ? `${check.requirement}: ${subject} is ${outcome.expected}`
    : [
        `${check.requirement} (${level}): ${requirement?.summary ?? ''}`.trimEnd(),
        `  sent:     ${ctx.sent}`,
        `  expected: ${subject} ${outcome.expected}${because}`,
        `  actual:   ${outcome.actual}`,
      ].join('\n');
  return { requirement: check.requirement, level, severity, passed: outcome.passed, subject, expected: outcome.expected, actual: outcome.actual, message, exchange: ctx.exchange };
}

const STRENGTH: Record<RequirementLevel, number> = { SHALL: 3, 'SHALL NOT': 3, SHOULD: 2, 'SHOULD NOT': 2, MAY: 1, proposal: 1 };

/** A check's own `level` only ever weakens the requirement's (a SHOULD part of a SHALL requirement). */
function weakerLevel(level: RequirementLevel, override: Check['level']): RequirementLevel {
  return override !== undefined && STRENGTH[override] < STRENGTH[level] ? override : level;
}

function matchContextOf(res: HttpResponse, now: number | undefined): MatchContext {
  const date = res.headers['date'];
  return { now: now ?? Date.now(), ...(date === undefined ? {} : { dateHeader: date }) };
}

/**
 * Does a check's `when` hold for this response? Every part given must: the status, and the
 * subject's matchers (an absent subject does not satisfy them).
 */
export function conditionHolds(when: WhenCondition, res: HttpResponse, body: () => ParsedBody, now?: number): boolean {
  if (when.status !== undefined && !statusMatches(res.status, when.status)) return false;
  if (when.header === undefined && when.json === undefined && when.body === undefined) return true;
  const { status: _status, ...subject } = when;
  return evaluate(subject, res, body, matchContextOf(res, now)).outcome.passed;
}

/** What `evaluate` reads: a subject (status, header, JSON pointer or body) and matchers. */
type Subjected = Omit<WhenCondition, 'status'> & { status?: StatusMatcher; optional?: boolean };

function evaluate(check: Subjected, res: HttpResponse, body: () => ParsedBody, mctx: MatchContext): { subject: string; outcome: MatchOutcome } {
  const optional = check.optional ?? false;
  if (check.status !== undefined) {
    return { subject: 'status', outcome: matchStatus(res.status, check.status) };
  }
  if (check.header !== undefined) {
    return { subject: `header ${check.header}`, outcome: applyMatchers(res.headers[check.header.toLowerCase()], check, optional, mctx) };
  }
  if (check.body) {
    const text = res.body.toString('utf8');
    const value = text === '' ? undefined : check.operationOutcome ? tryJson(text) : text;
    return { subject: 'body', outcome: applyMatchers(value, check, optional, mctx) };
  }
  const pointer = check.json ?? '';
  const subject = `JSON ${pointer === '' ? '(whole body)' : pointer}`;
  const parsed = body();
  if (!parsed.ok) {
    // Optional means "may be absent": an empty body is absent, a body that is not JSON is wrong.
    const none = applyMatchers(undefined, check, optional && parsed.empty, mctx);
    return { subject, outcome: { ...none, actual: parsed.reason } };
  }
  const matches = resolvePointer(parsed.value, pointer);
  if (matches.length === 0 && pointer.includes('*') && expandsToNothing(parsed.value, pointer)) {
    // "Every element satisfies it" holds for no elements: an empty output array is not a failure.
    return { subject, outcome: { passed: true, expected: 'each element matching (there are none)', actual: 'no elements' } };
  }
  if (matches.length === 0) return { subject, outcome: applyMatchers(undefined, check, optional, mctx) };
  const results = matches.map((m) => ({ m, r: applyMatchers(m.value, check, optional, mctx) }));
  const failing = results.filter((x) => !x.r.passed);
  const first = results[0]?.r ?? applyMatchers(undefined, check, optional, mctx);
  if (!pointer.includes('*')) return { subject, outcome: first };
  const actual = failing.length
    ? failing.slice(0, 5).map((x) => `${x.m.pointer} = ${showValue(x.m.value)}`).join('; ') + (failing.length > 5 ? `; and ${failing.length - 5} more` : '')
    : `all ${matches.length} match`;
  return { subject, outcome: { passed: failing.length === 0, expected: `each ${first.expected}`, actual } };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function describeStatus(m: StatusMatcher): string {
  if (typeof m === 'number') return String(m);
  if (Array.isArray(m)) return m.length === 1 && m[0] !== undefined ? describeStatus(m[0]) : `one of ${m.map((x) => describeStatus(x)).join(', ')}`;
  return `between ${m.between[0]} and ${m.between[1]}`;
}

export function statusMatches(status: number, m: StatusMatcher): boolean {
  if (typeof m === 'number') return status === m;
  if (Array.isArray(m)) return m.some((x) => statusMatches(status, x));
  return status >= m.between[0] && status <= m.between[1];
}

function matchStatus(status: number, m: StatusMatcher): MatchOutcome {
  return { passed: statusMatches(status, m), expected: describeStatus(m), actual: String(status) };
}

/** True when the part of `pointer` before its first `*` names an existing, empty array or object. */
function expandsToNothing(doc: unknown, pointer: string): boolean {
  const prefix = pointer.slice(0, pointer.indexOf('/*'));
  const container = resolvePointer(doc, prefix)[0]?.value;
  if (Array.isArray(container)) return container.length === 0;
  return container !== null && typeof container === 'object' && Object.keys(container).length === 0;
}
