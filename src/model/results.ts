/**
 * What a run produces. Reporters consume only these types; the runner produces them.
 * Data flows one way: load -> plan -> execute -> check -> record -> report.
 */

/** Requirement levels as written in the catalogue. */
export type RequirementLevel = 'SHALL' | 'SHALL NOT' | 'SHOULD' | 'SHOULD NOT' | 'MAY' | 'proposal';

/** How a missed requirement of a given level counts. */
export type Severity = 'failure' | 'warning' | 'information';

export type Outcome = 'passed' | 'failed' | 'warned' | 'errored' | 'skipped';

/**
 * A request header's value: a list is sent as separate header lines, in order (e.g. two
 * `Prefer` lines, PREFER-03), and recorded as the same list; the harness never joins it.
 */
export type HeaderValue = string | string[];

/** One HTTP request/response pair as the harness saw it (secrets already redacted). */
export interface Exchange {
  /** Step id (and poll number / item index) that sent it, e.g. `poll#3`. */
  label: string;
  request: {
    method: string;
    url: string;
    headers: Record<string, HeaderValue>;
    bodyExcerpt?: string;
  };
  response?: {
    status: number;
    headers: Record<string, string>;
    bodyExcerpt: string;
    bodyBytes: number;
    truncated: boolean;
  };
  /** Transport failure (no response), e.g. "connection refused". */
  error?: string;
  /** https only: the TLS version negotiated with the origin, e.g. `TLSv1.3` (AUTH-01). */
  tls?: string;
  startedAt: string;
  durationMs: number;
}

export interface CheckResult {
  requirement: string;
  level: RequirementLevel;
  severity: Severity;
  passed: boolean;
  /** Short description of the check, e.g. "status" or "header content-location". */
  subject: string;
  expected: string;
  actual: string;
  /** Full human sentence, including requirement, what was sent, expected and actual. */
  message: string;
  /** Index into the scenario's exchanges of the response this check was made on. */
  exchange?: number;
}

export type StepOutcome = Outcome;

export interface StepResult {
  id: string;
  outcome: StepOutcome;
  /** Why a step was skipped or errored. */
  reason?: string;
  durationMs: number;
  checks: CheckResult[];
}

export interface ScenarioResult {
  id: string;
  title: string;
  /** Area = first path segment under suites/, used as the JUnit testsuite. */
  area: string;
  file: string;
  requirements: string[];
  outcome: Outcome;
  reason?: string;
  /**
   * Set when the scenario id matches the --known-failing list: its failure is expected (does not
   * fail the run), or it passed unexpectedly (fails the run until removed from the list).
   */
  knownFailing?: 'expected-failure' | 'unexpected-pass';
  startedAt: string;
  durationMs: number;
  steps: StepResult[];
  checks: CheckResult[];
  exchanges: Exchange[];
  /** Figures steps measured (e.g. how soon after completion a callback arrived); never a verdict. */
  measurements?: Measurement[];
}

/** A figure a step measured, for the report (tests never assert wall-clock values). */
export interface Measurement {
  /** Step that measured it. */
  step: string;
  /** Kebab-case, e.g. `callback-after-completion-answer`. */
  name: string;
  value: number;
  unit: 'ms' | 'count';
  /** What it means, in words. */
  description: string;
}

export interface RunTotals {
  passed: number;
  failed: number;
  warned: number;
  errored: number;
  skipped: number;
  total: number;
  /** Failures listed in --known-failing (included in `failed`). */
  expectedFailures: number;
  /** Listed in --known-failing but passed. */
  unexpectedPasses: number;
}

export interface RunResult {
  schemaVersion: 1;
  tool: { name: string; version: string };
  target: { baseUrl: string; bundled: boolean; faults: string[]; claims: string[]; capabilities: string[]; basis: string[] };
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  totals: RunTotals;
  scenarios: ScenarioResult[];
}
