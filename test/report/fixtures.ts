import type { CheckResult, Exchange, RunResult, ScenarioResult } from '../../src/model/results.js';

/** A body with everything that can break a report: NUL, ESC, two `]]>`, `]]` + NUL + `>`, `<&>`. */
export const HOSTILE_BODY =
  '{"text":"nul\u0000 esc\u001b[31mred\u001b[0m cdata-end ]]> again ]]> split ]]\u0000> markup <&> \ud800 lone"}';

function check(partial: Partial<CheckResult> & Pick<CheckResult, 'requirement' | 'passed'>): CheckResult {
  return {
    level: 'SHALL',
    severity: 'failure',
    subject: 'status',
    expected: '202',
    actual: '202',
    message: `${partial.requirement}: sent GET /$export; expected status 202, actual 202`,
    exchange: 0,
    ...partial,
  };
}

function exchange(label: string, body: string, status = 202): Exchange {
  return {
    label,
    request: {
      method: 'GET',
      url: 'http://127.0.0.1:8080/fhir/$export',
      headers: { accept: 'application/fhir+json', prefer: 'respond-async' },
    },
    response: {
      status,
      headers: { 'content-type': 'application/fhir+json', 'x-odd': 'value\u0007bell\ufffe' },
      bodyExcerpt: body,
      bodyBytes: body.length + 100,
      truncated: true,
    },
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 42,
  };
}

const base = {
  file: 'suites/bulk/x.yaml',
  startedAt: '2025-01-01T00:00:00.000Z',
  title: 'A scenario',
};

export const passedScenario: ScenarioResult = {
  ...base,
  id: 'bulk.kickoff-accepted',
  area: 'bulk',
  requirements: ['KICKOFF-02'],
  outcome: 'passed',
  durationMs: 1234,
  steps: [{ id: 'kickoff', outcome: 'passed', durationMs: 1200, checks: [] }],
  checks: [check({ requirement: 'KICKOFF-02', passed: true })],
  exchanges: [exchange('kickoff', '')],
};

export const failedScenario: ScenarioResult = {
  ...base,
  id: 'bulk.poll-complete',
  area: 'bulk',
  requirements: ['KICKOFF-02', 'STATUS-04', 'STATUS-09'],
  outcome: 'failed',
  durationMs: 850,
  steps: [
    { id: 'kickoff', outcome: 'failed', durationMs: 800, checks: [] },
    { id: 'poll', outcome: 'skipped', reason: 'blocked by step kickoff', durationMs: 0, checks: [] },
  ],
  checks: [
    check({
      requirement: 'KICKOFF-02',
      passed: false,
      actual: '500',
      message: 'KICKOFF-02 (SHALL): sent GET http://127.0.0.1:8080/fhir/$export; expected status 202, actual 500 <&>',
    }),
    check({
      requirement: 'STATUS-04',
      level: 'SHALL NOT',
      passed: false,
      subject: 'header content-location',
      expected: 'absolute URL',
      actual: '(missing)',
      message: 'STATUS-04 (SHALL NOT): expected header content-location absolute URL, actual (missing) ]]>',
    }),
    check({
      requirement: 'STATUS-09',
      level: 'SHOULD',
      severity: 'warning',
      passed: false,
      subject: 'header retry-after',
      expected: 'present',
      actual: '(missing)',
      message: 'STATUS-09 (SHOULD): expected header retry-after present, actual (missing)',
    }),
  ],
  exchanges: [exchange('kickoff', HOSTILE_BODY, 500)],
};

export const warnedScenario: ScenarioResult = {
  ...base,
  id: 'bulk.retry-after',
  area: 'bulk',
  requirements: ['STATUS-02', 'STATUS-09'],
  outcome: 'warned',
  durationMs: 2100,
  steps: [{ id: 'poll', outcome: 'warned', durationMs: 2000, checks: [] }],
  checks: [
    check({ requirement: 'STATUS-02', passed: true }),
    check({
      requirement: 'STATUS-09',
      level: 'SHOULD',
      severity: 'warning',
      passed: false,
      subject: 'header retry-after',
      expected: 'present',
      actual: '(missing)',
      message: 'STATUS-09 (SHOULD): sent GET /status/1; expected header retry-after present, actual (missing)',
    }),
  ],
  exchanges: [exchange('poll#1', '{"ok":true}'), exchange('poll#2', '{"ok":true}', 200)],
};

export const erroredScenario: ScenarioResult = {
  ...base,
  id: 'bundle.async-submit',
  area: 'bundle',
  file: 'suites/bundle/async-submit.yaml',
  requirements: ['BUNDLE-01'],
  outcome: 'errored',
  reason: 'connection refused \u0000<&>',
  durationMs: 15,
  steps: [{ id: 'submit', outcome: 'errored', reason: 'connection refused', durationMs: 15, checks: [] }],
  checks: [],
  exchanges: [
    {
      label: 'submit',
      request: { method: 'POST', url: 'http://127.0.0.1:8080/fhir', headers: {}, bodyExcerpt: '{"resourceType":"Bundle"}' },
      error: 'connect ECONNREFUSED 127.0.0.1:8080',
      startedAt: '2025-01-01T00:00:01.000Z',
      durationMs: 15,
    },
  ],
};

export const skippedScenario: ScenarioResult = {
  ...base,
  id: 'bundle.cancel',
  area: 'bundle',
  file: 'suites/bundle/cancel.yaml',
  requirements: ['BUNDLE-07'],
  outcome: 'skipped',
  reason: 'target does not support async-bundle',
  durationMs: 0,
  steps: [],
  checks: [],
  exchanges: [],
};

export const allScenarios: ScenarioResult[] = [
  passedScenario,
  failedScenario,
  warnedScenario,
  erroredScenario,
  skippedScenario,
];

export function createRunResult(): RunResult {
  return {
    schemaVersion: 1,
    tool: { name: 'fhir-async-conformance', version: '0.1.0' },
    target: { baseUrl: 'http://127.0.0.1:8080/fhir', bundled: true, faults: ['no-retry-after'], claims: ['bulk-v2'], capabilities: ['export'], basis: ['claims: bulk-v2'] },
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:00:08.400Z',
    durationMs: 8400,
    totals: { passed: 1, failed: 1, warned: 1, errored: 1, skipped: 1, total: 5, expectedFailures: 0, unexpectedPasses: 0 },
    scenarios: structuredClone(allScenarios),
  };
}
