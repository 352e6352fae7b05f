/** Builders for the OperationOutcome bodies the reference server sends. */

export type IssueSeverity = fhir4.OperationOutcomeIssue['severity'];

/** The IssueType codes this server uses (a subset of http://hl7.org/fhir/issue-type). */
export type IssueCode =
  | 'invalid'
  | 'not-found'
  | 'not-supported'
  | 'too-costly'
  | 'throttled'
  | 'deleted'
  | 'exception'
  | 'informational';

export function buildOperationOutcome(
  severity: IssueSeverity,
  code: IssueCode,
  diagnostics: string,
): fhir4.OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, diagnostics }] };
}

/** An error response waiting to be sent: HTTP status plus the single issue that explains it. */
export interface ErrorSpec {
  status: number;
  code: IssueCode;
  diagnostics: string;
  headers?: Record<string, string>;
}

/** Outcome of validating client input: a value, or the error response to send instead. */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: ErrorSpec };

export function invalid(diagnostics: string, code: IssueCode = 'invalid', status = 400): { ok: false; error: ErrorSpec } {
  return { ok: false, error: { status, code, diagnostics } };
}
