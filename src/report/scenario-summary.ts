import type { CheckResult, ScenarioResult, StepResult } from '../model/results.js';

/**
 * Every check of a scenario: the scenario-level list plus each step's list, in that order.
 * The model does not say whether `ScenarioResult.checks` already holds the step checks,
 * so checks that appear in both places (same requirement, subject, message, exchange)
 * are reported once.
 */
export function collectChecks(scenario: ScenarioResult): CheckResult[] {
  const seen = new Set<string>();
  const all: CheckResult[] = [];
  const candidates = [...scenario.checks, ...scenario.steps.flatMap((step) => step.checks)];
  for (const check of candidates) {
    const key = JSON.stringify([check.requirement, check.subject, check.message, check.exchange ?? null]);
    if (seen.has(key)) continue;
    seen.add(key);
    all.push(check);
  }
  return all;
}

/** Checks that did not pass, whatever their severity. */
export function listMissedChecks(scenario: ScenarioResult): CheckResult[] {
  return collectChecks(scenario).filter((check) => !check.passed);
}

/** Missed checks that make the scenario fail (SHALL / SHALL NOT level). */
export function listFailedChecks(scenario: ScenarioResult): CheckResult[] {
  return listMissedChecks(scenario).filter((check) => check.severity === 'failure');
}

/** Missed checks that only warn (SHOULD-level misses). */
export function listWarningChecks(scenario: ScenarioResult): CheckResult[] {
  return listMissedChecks(scenario).filter((check) => check.severity === 'warning');
}

/** Distinct requirement ids of the given checks, in first-seen order. */
export function listRequirementIds(checks: readonly CheckResult[]): string[] {
  return [...new Set(checks.map((check) => check.requirement))];
}

/** Steps that were skipped or errored, with their reasons (e.g. "blocked by step kickoff"). */
export function listUnfinishedSteps(scenario: ScenarioResult): StepResult[] {
  return scenario.steps.filter((step) => step.outcome === 'skipped' || step.outcome === 'errored');
}

/** One line per unfinished step: "step poll skipped: blocked by step kickoff". */
export function describeStep(step: StepResult): string {
  const verb = step.outcome === 'errored' ? 'errored' : 'skipped';
  return step.reason ? `step ${step.id} ${verb}: ${step.reason}` : `step ${step.id} ${verb}`;
}

/** The reason an errored scenario gives, falling back to its first errored step or transport error. */
export function describeErrorReason(scenario: ScenarioResult): string {
  if (scenario.reason) return scenario.reason;
  const step = scenario.steps.find((candidate) => candidate.outcome === 'errored' && candidate.reason);
  if (step?.reason) return `step ${step.id}: ${step.reason}`;
  const exchange = scenario.exchanges.find((candidate) => candidate.error);
  if (exchange?.error) return `${exchange.label}: ${exchange.error}`;
  return 'errored without a recorded reason';
}

/** `1.2s`, `850ms`, `2m05s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 100) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const totalSeconds = Math.round(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${minutes}m${String(seconds).padStart(2, '0')}s`;
}
