import type { CheckResult, Outcome, RunResult, ScenarioResult } from '../model/results.js';
import type { Reporter } from './reporter.js';
import {
  describeErrorReason,
  describeStep,
  formatDuration,
  listFailedChecks,
  listMissedChecks,
  listRequirementIds,
  listUnfinishedSteps,
  listWarningChecks,
} from './scenario-summary.js';
import { escapeControls, formatTranscript } from './transcript.js';

/**
 * Human-readable progress: one line per scenario as it ends, details under FAIL/ERROR/WARN,
 * a totals line and the failed scenarios at the end. Colour (ANSI) only when `color` is true.
 * Everything that came from the target is passed through `escapeControls` first.
 */
export interface ConsoleReporterOptions {
  write: (text: string) => void;
  color?: boolean;
  /** Also print each scenario's exchange transcript. */
  verbose?: boolean;
}

const TAGS: Record<Outcome, string> = {
  passed: 'PASS',
  failed: 'FAIL',
  warned: 'WARN',
  errored: 'ERROR',
  skipped: 'SKIP',
};

const COLOURS: Record<Outcome, string> = {
  passed: '\u001b[32m',
  failed: '\u001b[31m',
  warned: '\u001b[33m',
  errored: '\u001b[35m',
  skipped: '\u001b[90m',
};

const RESET = '\u001b[0m';
const INDENT = '      ';

function paint(text: string, outcome: Outcome, color: boolean): string {
  return color ? `${COLOURS[outcome]}${text}${RESET}` : text;
}

/** Indents every line of a (possibly multi-line) text. */
function indent(text: string, prefix: string = INDENT): string[] {
  return text.split('\n').map((line) => `${prefix}${line}`);
}

function describeCheck(check: CheckResult): string[] {
  // Messages from the runner already open with "REQ (LEVEL): summary"; don't say it twice.
  const text = check.message.startsWith(check.requirement) ? check.message : `[${check.requirement} ${check.level}] ${check.message}`;
  return indent(escapeControls(text));
}

/** The detail lines shown under a FAIL / ERROR / WARN line. */
function formatDetails(scenario: ScenarioResult): string[] {
  const lines: string[] = [];
  if (scenario.outcome === 'errored') lines.push(...indent(`error: ${escapeControls(describeErrorReason(scenario))}`));
  else if (scenario.reason) lines.push(...indent(`reason: ${escapeControls(scenario.reason)}`));
  const checks = scenario.outcome === 'warned' ? listWarningChecks(scenario) : listMissedChecks(scenario);
  // The same miss on every poll is one finding: show it once, with how often it was seen.
  const seen = new Map<string, { check: CheckResult; count: number }>();
  for (const check of checks) {
    const key = `${check.requirement}\u0000${check.subject}\u0000${check.expected}\u0000${check.actual}`;
    const entry = seen.get(key);
    if (entry) entry.count++;
    else seen.set(key, { check, count: 1 });
  }
  for (const { check, count } of seen.values()) {
    lines.push(...describeCheck(check));
    if (count > 1) lines.push(...indent(`  (the same on ${count} responses)`));
  }
  for (const step of listUnfinishedSteps(scenario)) lines.push(...indent(escapeControls(describeStep(step))));
  return lines;
}

/** The line (and details) printed when a scenario ends. */
export function formatScenarioLines(scenario: ScenarioResult, opts: { color?: boolean; verbose?: boolean } = {}): string[] {
  const tag = paint(TAGS[scenario.outcome].padEnd(5), scenario.outcome, opts.color === true);
  let head = `${tag} ${scenario.id} (${formatDuration(scenario.durationMs)})`;
  if (scenario.knownFailing === 'expected-failure') head += ' [known failing: does not fail the run]';
  if (scenario.knownFailing === 'unexpected-pass') head += ' [UNEXPECTED PASS: remove it from the known-failing list]';
  if (scenario.outcome === 'skipped') head += `: ${escapeControls(scenario.reason ?? 'no reason given')}`;
  const lines = [head];
  if (scenario.outcome === 'failed' || scenario.outcome === 'errored' || scenario.outcome === 'warned') {
    lines.push(...formatDetails(scenario));
  }
  if (opts.verbose === true && scenario.exchanges.length > 0) {
    lines.push(...formatTranscript(scenario).map((line) => (line === '' ? '' : `${INDENT}${line}`)));
  }
  return lines;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Totals line plus the failed (and errored) scenarios with what broke. */
export function formatRunSummary(result: RunResult, opts: { color?: boolean } = {}): string[] {
  const t = result.totals;
  const lines = [
    `${plural(t.total, 'scenario')}: ${t.passed} passed, ${t.failed} failed, ${t.warned} warned, ` +
      `${t.errored} errored, ${t.skipped} skipped (${formatDuration(result.durationMs)})`,
  ];
  if (t.expectedFailures > 0 || t.unexpectedPasses > 0) {
    lines.push(`known-failing list: ${t.expectedFailures} expected failure(s), ${t.unexpectedPasses} unexpected pass(es)`);
  }
  const failed = result.scenarios.filter((scenario) => scenario.outcome === 'failed' && scenario.knownFailing !== 'expected-failure');
  if (failed.length > 0) {
    lines.push(paint('Failed:', 'failed', opts.color === true));
    for (const scenario of failed) {
      const ids = listRequirementIds(listFailedChecks(scenario));
      const broken = ids.length > 0 ? ids : listRequirementIds(listMissedChecks(scenario));
      lines.push(`  ${scenario.id}: ${broken.join(', ') || escapeControls(scenario.reason ?? 'no failed check recorded')}`);
    }
  }
  const unexpected = result.scenarios.filter((scenario) => scenario.knownFailing === 'unexpected-pass');
  if (unexpected.length > 0) {
    lines.push(paint('Unexpected passes (remove them from the known-failing list):', 'failed', opts.color === true));
    for (const scenario of unexpected) lines.push(`  ${scenario.id}`);
  }
  const errored = result.scenarios.filter((scenario) => scenario.outcome === 'errored');
  if (errored.length > 0) {
    lines.push(paint('Errored:', 'errored', opts.color === true));
    for (const scenario of errored) lines.push(`  ${scenario.id}: ${escapeControls(describeErrorReason(scenario))}`);
  }
  return lines;
}

export function createConsoleReporter(opts: ConsoleReporterOptions): Reporter {
  const emit = (lines: string[]): void => opts.write(`${lines.join('\n')}\n`);
  return {
    onRunStart(info): void {
      emit([`Running ${plural(info.scenarioCount, 'scenario')} against ${escapeControls(info.baseUrl)}`]);
    },
    onScenarioEnd(scenario: ScenarioResult): void {
      emit(formatScenarioLines(scenario, opts));
    },
    onRunEnd(result: RunResult): void {
      emit(['', ...formatRunSummary(result, opts)]);
    },
  };
}
