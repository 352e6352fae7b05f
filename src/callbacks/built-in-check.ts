/**
 * Checks and figures that the callback and long-poll steps make themselves (not written as
 * `expect` entries): the requirement comes from the scenario, the level from the catalogue,
 * and the message has the usual requirement / sent / expected / actual shape.
 */
import { levelFor } from '../app/claims.js';
import { severityOf } from '../assert/severity.js';
import type { CheckResult, Measurement, RequirementLevel, Severity } from '../model/results.js';
import type { RunContext, ScenarioState } from '../runner/context.js';

export interface BuiltInCheck {
  requirement: string;
  subject: string;
  passed: boolean;
  expected: string;
  actual: string;
  /** What the harness did, one line (for the message). */
  sent: string;
  exchange?: number;
  /** Force the level and severity (an informational observation, e.g. "does not hold requests"). */
  informational?: boolean;
}

export function buildCheckResult(check: BuiltInCheck, ctx: Pick<RunContext, 'catalogue' | 'claims' | 'strict'>): CheckResult {
  const requirement = ctx.catalogue.requirements.get(check.requirement);
  const level: RequirementLevel = check.informational ? 'MAY' : requirement ? levelFor(requirement, ctx.claims) : 'SHALL';
  const severity: Severity = check.informational ? 'information' : severityOf(level, ctx.strict);
  const message = check.passed
    ? `${check.requirement}: ${check.subject} is ${check.expected}`
    : [
        `${check.requirement} (${level}): ${requirement?.summary ?? ''}`.trimEnd(),
        `  sent:     ${check.sent}`,
        `  expected: ${check.subject} ${check.expected}`,
        `  actual:   ${check.actual}`,
      ].join('\n');
  return {
    requirement: check.requirement,
    level,
    severity,
    passed: check.passed,
    subject: check.subject,
    expected: check.expected,
    actual: check.actual,
    message,
    ...(check.exchange === undefined ? {} : { exchange: check.exchange }),
  };
}

/** Adds a figure to the scenario's report. */
export function recordMeasurement(state: ScenarioState, measurement: Measurement): void {
  (state.measurements ??= []).push({ ...measurement, value: Math.round(measurement.value) });
}

/**
 * When the target's answer to an earlier step arrived: the last exchange of step `stepId` (its
 * final poll) and the last in-progress (202) answer before it. Times in ms since the epoch.
 */
export function findStepAnswerTimes(state: ScenarioState, stepId: string): { finalAt?: number; lastRunningAt?: number } {
  const ofStep = (label: string): boolean =>
    label === stepId || (label.startsWith(`${stepId} `) && /^(poll|held)#[0-9]+$/.test(label.slice(stepId.length + 1)));
  const own = state.exchanges.filter((e) => e.response !== undefined && ofStep(e.label));
  const arrival = (i: number): number | undefined => {
    const e = own[i];
    return e ? Date.parse(e.startedAt) + e.durationMs : undefined;
  };
  const last = own.length - 1;
  if (last < 0) return {};
  const running = own.slice(0, last).map((e, i) => ({ e, i })).filter(({ e }) => e.response?.status === 202).pop();
  const finalAt = arrival(last);
  const lastRunningAt = running ? arrival(running.i) : undefined;
  return { ...(finalAt === undefined ? {} : { finalAt }), ...(lastRunningAt === undefined ? {} : { lastRunningAt }) };
}
