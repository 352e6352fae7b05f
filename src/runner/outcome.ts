import type { CheckResult, Outcome, StepResult } from '../model/results.js';

/** A step's verdict from its checks: a failed SHALL fails, a missed SHOULD warns, MAY is information. */
export function rollUpChecks(checks: CheckResult[]): 'passed' | 'failed' | 'warned' {
  if (checks.some((c) => !c.passed && c.severity === 'failure')) return 'failed';
  if (checks.some((c) => !c.passed && c.severity === 'warning')) return 'warned';
  return 'passed';
}

/**
 * A scenario's verdict from its steps. A conformance failure is a verdict and outranks a later
 * harness error (e.g. in a clean-up step); otherwise an error makes the result inconclusive.
 */
export function rollUpSteps(steps: StepResult[]): Outcome {
  const has = (o: Outcome): boolean => steps.some((s) => s.outcome === o);
  if (has('failed')) return 'failed';
  if (has('errored')) return 'errored';
  if (has('warned')) return 'warned';
  if (steps.length > 0 && steps.every((s) => s.outcome === 'skipped')) return 'skipped';
  return 'passed';
}
