/**
 * A step's `onlyIf`: the step runs only when an earlier capture has a value (`equals`, e.g. the
 * manifest's requiresAccessToken is `false`) or does / does not match a regular expression
 * (`matches` / `notMatches`, e.g. Preference-Applied names separate-export-status; for these an
 * uncaptured variable counts as the empty string). Otherwise the step is skipped with the reason,
 * which does not count against the scenario.
 */
import type { Step } from '../model/scenario.js';
import type { Variables } from './variables.js';

/** Why the step does not run, or undefined when it does. */
export function onlyIfSkipReason(step: Pick<Step, 'onlyIf'>, vars: Variables): string | undefined {
  if (step.onlyIf === undefined) return undefined;
  const { variable, equals, matches, notMatches } = step.onlyIf;
  const value = vars.get(variable);
  if (Array.isArray(value)) return `only if ${variable} ${describe(step.onlyIf)}; ${variable} holds a list`;
  if (equals !== undefined) {
    if (value === undefined) return `only if ${variable} is '${equals}'; ${variable} was not captured`;
    return value === equals ? undefined : `only if ${variable} is '${equals}'; it is '${value}'`;
  }
  const text = value ?? '';
  const shown = value === undefined ? 'it was not captured' : `it is '${value}'`;
  if (matches !== undefined) return new RegExp(matches).test(text) ? undefined : `only if ${variable} matches /${matches}/; ${shown}`;
  if (notMatches !== undefined) return new RegExp(notMatches).test(text) ? `only if ${variable} does not match /${notMatches}/; ${shown}` : undefined;
  return undefined;
}

function describe(onlyIf: NonNullable<Step['onlyIf']>): string {
  if (onlyIf.equals !== undefined) return `is '${onlyIf.equals}'`;
  return onlyIf.matches !== undefined ? `matches /${onlyIf.matches}/` : `does not match /${onlyIf.notMatches ?? ''}/`;
}
