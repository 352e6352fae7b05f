import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import junit from 'junit-report-builder';
import type { Builder, TestCase } from 'junit-report-builder';
import type { CheckResult, RunResult, ScenarioResult } from '../model/results.js';
import type { Reporter } from './reporter.js';
import {
  describeErrorReason,
  describeStep,
  formatDuration,
  listFailedChecks,
  listMissedChecks,
  listRequirementIds,
  listWarningChecks,
} from './scenario-summary.js';
import { escapeControls, formatCheck, formatTranscript } from './transcript.js';
import { createCdataGuard, type CdataGuard } from './xml-text.js';

/**
 * JUnit XML: one <testsuite> per area, one <testcase> per scenario (name = scenario id,
 * classname = area). failed -> <failure>, errored -> <error>, skipped -> <skipped> (the
 * library's <skipped/> takes no message, so the reason goes to system-out), warned -> a
 * passing testcase with `warning` properties and the warnings in system-out.
 *
 * Properties, each repeated once per value: `outcome`, `requirement` (every requirement the
 * scenario verifies), `failed-requirement` (SHALL-level misses), `warning` (SHOULD-level misses),
 * `measurement` (`<step>.<name>=<value><unit>`, e.g. a callback's latency; also in system-out).
 */

export interface JunitReporterOptions {
  file: string;
}

const MESSAGE_LIMIT = 300;

function isBuilder(value: unknown): value is Builder {
  return typeof value === 'object' && value !== null && 'newBuilder' in value && typeof value.newBuilder === 'function';
}

/** The package is CommonJS (`module.exports = builder`) but its types declare `export default`. */
function createBuilder(): Builder {
  const mod: unknown = junit;
  if (isBuilder(mod)) return mod.newBuilder();
  if (typeof mod === 'object' && mod !== null && 'default' in mod && isBuilder(mod.default)) {
    return mod.default.newBuilder();
  }
  throw new Error('junit-report-builder: unexpected module shape');
}

function toSeconds(ms: number): number {
  return Math.round(ms) / 1000;
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MESSAGE_LIMIT ? `${line.slice(0, MESSAGE_LIMIT - 3)}...` : line;
}

function describeFailure(scenario: ScenarioResult, failed: readonly CheckResult[]): string {
  const first = failed.find((check) => check.level === 'SHALL' || check.level === 'SHALL NOT') ?? failed[0];
  if (!first) return scenario.reason ?? 'failed without a recorded failed check';
  return `${first.requirement} (${first.level}) ${first.subject}: expected ${first.expected}, actual ${first.actual}`;
}

function buildSystemOut(scenario: ScenarioResult): string {
  const lines = [
    `scenario: ${scenario.id} - ${escapeControls(scenario.title)}`,
    `file: ${scenario.file}`,
    `outcome: ${scenario.outcome}`,
  ];
  if (scenario.reason) lines.push(`reason: ${escapeControls(scenario.reason)}`);
  lines.push(`requirements: ${scenario.requirements.join(', ') || '(none)'}`);
  const warnings = listWarningChecks(scenario);
  if (warnings.length > 0) lines.push('', 'warnings:', ...warnings.map((check) => `  ${formatCheck(check)}`));
  const missed = listMissedChecks(scenario).filter((check) => check.severity !== 'warning');
  if (missed.length > 0) lines.push('', 'failed checks:', ...missed.map((check) => `  ${formatCheck(check)}`));
  if (scenario.steps.length > 0) {
    lines.push('', 'steps:');
    for (const step of scenario.steps) {
      const detail = step.outcome === 'skipped' || step.outcome === 'errored' ? describeStep(step) : `step ${step.id} ${step.outcome}`;
      lines.push(`  ${escapeControls(detail)} (${formatDuration(step.durationMs)})`);
    }
  }
  const measurements = scenario.measurements ?? [];
  if (measurements.length > 0) {
    lines.push('', 'measurements:', ...measurements.map((m) => `  ${m.step} ${m.name}: ${m.value} ${m.unit} (${escapeControls(m.description)})`));
  }
  const transcript = formatTranscript(scenario);
  if (transcript.length > 0) lines.push('', 'transcript:', ...transcript);
  return `${lines.join('\n')}\n`;
}

function addTestCase(testCase: TestCase, scenario: ScenarioResult, guard: CdataGuard): void {
  testCase.className(guard.text(scenario.area)).name(guard.text(scenario.id)).file(guard.text(scenario.file));
  testCase.time(toSeconds(scenario.durationMs));
  testCase.property('outcome', scenario.outcome);
  for (const id of scenario.requirements) testCase.property('requirement', guard.text(id));
  const failed = listFailedChecks(scenario);
  for (const id of listRequirementIds(failed)) testCase.property('failed-requirement', guard.text(id));
  for (const id of listRequirementIds(listWarningChecks(scenario))) testCase.property('warning', guard.text(id));

  for (const m of scenario.measurements ?? []) testCase.property('measurement', guard.text(`${m.step}.${m.name}=${m.value}${m.unit}`));
  if (scenario.knownFailing) testCase.property('known-failing', scenario.knownFailing);
  if (scenario.knownFailing === 'unexpected-pass') {
    testCase.failure(`unexpected pass: ${guard.text(scenario.id)} is on the known-failing list; remove it from the list`, 'unexpected-pass');
  } else if (scenario.knownFailing === 'expected-failure') {
    // A listed failure does not fail CI: a passing testcase whose system-out keeps the details.
  } else if (scenario.outcome === 'failed') {
    testCase.failure(guard.text(shorten(describeFailure(scenario, failed))), 'conformance');
    const body = failed.length > 0 ? failed : listMissedChecks(scenario);
    const text = body.map((check) => escapeControls(check.message)).join('\n');
    testCase.stacktrace(guard.cdata(text || escapeControls(scenario.reason ?? 'failed')));
  } else if (scenario.outcome === 'errored') {
    const reason = describeErrorReason(scenario);
    const details = [
      escapeControls(reason),
      ...scenario.steps.filter((step) => step.outcome === 'errored').map((step) => escapeControls(describeStep(step))),
      ...scenario.exchanges.filter((exchange) => exchange.error).map((exchange) => escapeControls(`${exchange.label}: ${exchange.error}`)),
    ];
    testCase.error(guard.text(shorten(reason)), 'harness', guard.cdata([...new Set(details)].join('\n')));
  } else if (scenario.outcome === 'skipped') {
    testCase.skipped();
  }
  testCase.standardOutput(guard.cdata(buildSystemOut(scenario)));
}

/** Groups scenarios by area, keeping the order in which areas first appear. */
function groupByArea(scenarios: readonly ScenarioResult[]): Map<string, ScenarioResult[]> {
  const groups = new Map<string, ScenarioResult[]>();
  for (const scenario of scenarios) {
    const group = groups.get(scenario.area);
    if (group) group.push(scenario);
    else groups.set(scenario.area, [scenario]);
  }
  return groups;
}

/** Renders the JUnit document for a run (exported for tests and for callers that stream it). */
export function renderJunitXml(result: RunResult): string {
  const guard = createCdataGuard();
  const builder = createBuilder().name(guard.text(result.tool.name));
  for (const [area, scenarios] of groupByArea(result.scenarios)) {
    const suite = builder.testSuite().name(guard.text(area));
    const first = scenarios[0];
    if (first) suite.timestamp(guard.text(first.startedAt));
    suite.time(toSeconds(scenarios.reduce((sum, scenario) => sum + scenario.durationMs, 0)));
    for (const scenario of scenarios) addTestCase(suite.testCase(), scenario, guard);
  }
  return guard.restore(builder.build());
}

export function createJunitReporter(opts: JunitReporterOptions): Reporter {
  return {
    onRunEnd(result: RunResult): void {
      mkdirSync(dirname(opts.file), { recursive: true });
      writeFileSync(opts.file, renderJunitXml(result), 'utf8');
    },
  };
}
