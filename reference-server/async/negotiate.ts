/**
 * RFC 7240 negotiation for the REST interactions: reading `Prefer` (every header line, with
 * the PREFER faults applied at one place each), choosing synchronous / Bundle / redirect /
 * bulk handling, and the `Preference-Applied` and `Vary` headers of the answer.
 *
 * Other patterns may call `readPreferences(ctx)` instead of `parsePrefer(req.headers.prefer)`
 * to share the same faults, and `preferenceAppliedHeader(ctx, prefs, names)` to echo what
 * they honoured.
 */
import type { IncomingMessage } from 'node:http';
import type { FaultSet } from '../faults/fault-set.js';
import { invalid, type Checked } from '../operation-outcome.js';
import {
  formatPreferenceApplied,
  indexPreferences,
  parsePreferList,
  type Preferences,
} from '../prefer.js';

/** The part of a request context negotiation needs (RequestContext satisfies it). */
export interface NegotiationContext {
  req: IncomingMessage;
  state: { config: { faults: FaultSet } };
}

/** Preference tokens this server (all patterns) knows; used only by the PREFER-01 fault. */
const KNOWN_PREFERENCES = [
  'respond-async',
  'async-mode',
  'return',
  'handling',
  'wait',
  'callback-url',
  'separate-export-status',
];

/** Every `Prefer` header line, in order (Node joins repeated lines in `headers`). */
function readPreferLines(req: IncomingMessage): string[] {
  return req.headersDistinct['prefer'] ?? [];
}

/**
 * The request's preferences: names case-insensitive, values case-sensitive, first repeat
 * wins, unknown tokens kept (and ignored by whoever does not know them). Never an error on
 * the clean server; the PREFER-01 and PREFER-11 faults turn some requests into a 400.
 */
export function readPreferences(ctx: NegotiationContext): Checked<Preferences> {
  const faults = ctx.state.config.faults;
  const lines = readPreferLines(ctx.req);
  // Fault PREFER-03: only the first Prefer header line counts.
  let members = parsePreferList(faults.has('prefer-second-line-ignored') ? lines.slice(0, 1) : lines);
  // Fault PREFER-02: names compared case-sensitively (only the lower-case spelling is known).
  if (faults.has('prefer-names-case-sensitive')) members = members.filter((m) => m.rawName === m.name);
  // Fault PREFER-05: `token=""` is not taken as the bare token.
  if (faults.has('prefer-empty-value-unrecognised')) members = members.filter((m) => !(m.valueGiven && m.value === undefined));
  // Fault PREFER-01: an unknown preference is an error instead of being ignored.
  const unknown = members.find((m) => !KNOWN_PREFERENCES.includes(m.name));
  if (unknown !== undefined && faults.has('prefer-unknown-token-rejected')) {
    return invalid(`unknown preference "${unknown.rawName}" in Prefer`);
  }
  // Fault PREFER-11: preference parameters are an error instead of being accepted.
  const withParams = members.find((m) => m.params.size > 0);
  if (withParams !== undefined && faults.has('prefer-parameters-rejected')) {
    return invalid(`preference "${withParams.rawName}" carries parameters, which are not accepted`);
  }
  // Fault PREFER-04: the last of a repeated preference wins instead of the first.
  return { ok: true, value: indexPreferences(members, faults.has('prefer-last-repeat-wins') ? 'last' : 'first') };
}

/**
 * `Preference-Applied` for the named preferences the server honoured (request values, no
 * parameters), or no header when none applies.
 */
export function preferenceAppliedHeader(
  ctx: NegotiationContext,
  prefs: Preferences,
  honoured: readonly string[],
): Record<string, string> {
  const present = honoured.flatMap((name) => {
    const pref = prefs.get(name);
    return pref === undefined ? [] : [pref];
  });
  if (present.length === 0) return {};
  // Fault PREFER-07: each honoured preference repeats its request parameters.
  if (ctx.state.config.faults.has('preference-applied-with-parameters')) {
    const members = present.map((pref) => {
      const head = formatPreferenceApplied([{ name: pref.name, value: pref.value }]);
      const params = [...pref.params].map(([name, value]) => (value === undefined ? name : `${name}=${value}`));
      return [head, ...params].join('; ');
    });
    return { 'Preference-Applied': members.join(', ') };
  }
  return { 'Preference-Applied': formatPreferenceApplied(present.map(({ name, value }) => ({ name, value }))) };
}

/** `Vary: Prefer` for a response whose form depends on Prefer (RFC 7240 §2, PREFER-08). */
export function buildVaryPrefer(ctx: NegotiationContext): Record<string, string> {
  // Fault PREFER-08: no Vary: Prefer.
  if (ctx.state.config.faults.has('interaction-no-vary-prefer')) return {};
  return { Vary: 'Prefer' };
}

export type AsyncMode = 'bundle' | 'redirect';

/** The `async-mode` the client asked for, when it is one this server knows (values are case-sensitive). */
export function readAsyncMode(prefs: Preferences): AsyncMode | undefined {
  const value = prefs.get('async-mode')?.value;
  return value === 'bundle' || value === 'redirect' ? value : undefined;
}

export type ReturnPreference = 'minimal' | 'representation' | 'OperationOutcome';

/** The `return` preference, when it is one this server knows. */
export function readReturnPreference(prefs: Preferences): ReturnPreference | undefined {
  const value = prefs.get('return')?.value;
  return value === 'minimal' || value === 'representation' || value === 'OperationOutcome' ? value : undefined;
}

/** True under `handling=lenient` (unsupported parameters are ignored instead of rejected). */
export function isLenient(prefs: Preferences): boolean {
  return prefs.get('handling')?.value === 'lenient';
}

/** True when `handling` carries a value this server acts on (so it is echoed as applied). */
export function hasKnownHandling(prefs: Preferences): boolean {
  const value = prefs.get('handling')?.value;
  return value === 'lenient' || value === 'strict';
}
