/**
 * A step's `onlyIf: { variable, equals }`: the step runs only when an earlier capture has that
 * value (e.g. the manifest's requiresAccessToken is `false`); otherwise it is skipped with the
 * reason, which does not count against the scenario.
 */
import type { Step } from '../model/scenario.js';
import type { Variables } from './variables.js';

/** Why the step does not run, or undefined when it does. */
export function onlyIfSkipReason(step: Pick<Step, 'onlyIf'>, vars: Variables): string | undefined {
  if (step.onlyIf === undefined) return undefined;
  const { variable, equals } = step.onlyIf;
  const value = vars.get(variable);
  if (value === undefined) return `only if ${variable} is '${equals}'; ${variable} was not captured`;
  if (Array.isArray(value)) return `only if ${variable} is '${equals}'; ${variable} holds a list`;
  return value === equals ? undefined : `only if ${variable} is '${equals}'; it is '${value}'`;
}
