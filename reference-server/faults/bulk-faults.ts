/** Faults of the Bulk Data export pattern (kick-off, status, manifest, files, cancel). */
import type { FaultInfo } from './fault-info.js';

export const BULK_FAULTS = [
  {
    name: 'export-prefer-only-respond-async',
    requirement: 'PREFER-01',
    description: 'An $export kick-off whose Prefer is anything but exactly respond-async (another token, a parameter, a second line) gets 400 instead of the unknown preferences being ignored (as FHIR Works on AWS does).',
  },
  {
    name: 'kickoff-200',
    requirement: 'KICKOFF-02',
    description: 'Kick-off answers 200 with the completed manifest (application/json) instead of 202.',
  },
  {
    name: 'no-content-location',
    requirement: 'KICKOFF-02',
    description: 'Kick-off answers 202 without a Content-Location header.',
  },
  {
    name: 'relative-content-location',
    requirement: 'KICKOFF-02',
    description: 'Kick-off Content-Location is a relative path (/_async/<id>) instead of an absolute URL.',
  },
  {
    name: 'status-200-while-running',
    requirement: 'STATUS-02',
    description: 'While the job runs, the status URL answers 200 with {"status":"in-progress"} instead of 202.',
  },
  {
    name: 'manifest-wrong-content-type',
    requirement: 'STATUS-04',
    description: 'The completed manifest is served as text/plain instead of application/json.',
  },
  {
    name: 'manifest-requires-access-token-string',
    requirement: 'MAN-03',
    description: 'Manifest requiresAccessToken is the string "false" instead of a boolean.',
  },
  {
    name: 'manifest-relative-output-url',
    requirement: 'MAN-04',
    description: 'Manifest output[].url values are relative paths (/_files/...) instead of absolute URLs.',
  },
  {
    name: 'file-wrong-content-type',
    requirement: 'FILE-01',
    description: 'NDJSON files are served as application/json instead of application/fhir+ndjson.',
  },
  {
    name: 'cancel-200',
    requirement: 'CANCEL-01',
    description: 'DELETE on the status URL answers 200 instead of 202 (the job is still cancelled).',
  },
  {
    name: 'status-202-after-cancel',
    requirement: 'CANCEL-03',
    description: 'After DELETE, GET and DELETE on the status URL keep answering 202 as if running, not 404.',
  },
  {
    name: 'patient-export-not-supported',
    requirement: 'KICKOFF-07',
    description: 'Patient-level export ([base]/Patient/$export) answers 404 + OperationOutcome instead of 202.',
  },
  {
    name: 'repeated-type-last-wins',
    requirement: 'KICKOFF-08',
    description: 'A repeated _type query parameter keeps only its last value instead of being joined like a comma-delimited list.',
  },
  {
    name: 'ndjson-abbreviations-rejected',
    requirement: 'KICKOFF-11',
    description: '_outputFormat=application/ndjson and _outputFormat=ndjson are refused with 400; only application/fhir+ndjson is accepted.',
  },
  {
    name: 'maximum-file-size-ignored',
    requirement: 'KICKOFF-13',
    description: '_maximumFileSize is accepted but files are not split, so a file holding several resources exceeds it.',
  },
  {
    name: 'unsupported-parameter-ignored',
    requirement: 'KICKOFF-14',
    description: 'An unknown parameter or an unsupported includeAssociatedData value without handling=lenient is ignored silently (202, nothing in error) instead of refused with 400.',
  },
  {
    name: 'since-rejected',
    requirement: 'KICKOFF-15',
    description: 'A kick-off with _since (required for servers) is refused with 400 "not supported".',
  },
  {
    name: 'kickoff-error-without-outcome',
    requirement: 'KICKOFF-04',
    description: 'Kick-off errors (400/404/405/413/429) carry a text/plain message instead of an OperationOutcome.',
  },
  {
    name: 'kickoff-202-body-not-outcome',
    requirement: 'KICKOFF-03',
    description: 'The 202 kick-off answer has a JSON body that is not an OperationOutcome ({"status":"accepted",...}).',
  },
  {
    name: 'too-many-jobs-without-retry-after',
    requirement: 'KICKOFF-09',
    description: 'The 429 answered when the job store is full has no Retry-After header.',
  },
  {
    name: 'unsupported-type-accepted-silently',
    requirement: 'ERR-04',
    description: 'An unsupported _type is dropped silently: 202, and no OperationOutcome in the error array.',
  },
  {
    name: 'failed-job-reported-200',
    requirement: 'ERR-01',
    description: 'A failed job (unprocessable _typeFilter) is reported as 200 with an empty manifest instead of 4XX/5XX.',
  },
  {
    name: 'failed-job-body-not-outcome',
    requirement: 'ERR-02',
    description: 'A failed job answers 500 with {"error": "..."} (application/json) instead of an OperationOutcome.',
  },
  {
    name: 'status-404-outcome-plain-json',
    requirement: 'ERR-03',
    description: 'The 404 a status URL answers for an unknown, expired or deleted job is an OperationOutcome served as application/json instead of application/fhir+json.',
  },
  {
    name: 'failed-job-outcome-plain-json',
    requirement: 'ERR-03',
    description: "A failed job's OperationOutcome is served as application/json instead of application/fhir+json.",
  },

  {
    name: 'expires-in-past',
    requirement: 'STATUS-05',
    description: "The completed manifest's Expires header is an hour in the past.",
  },
  {
    name: 'transaction-time-not-instant',
    requirement: 'MAN-01',
    description: 'transactionTime has no time zone ("2025-03-01 12:00:00"), so it is not a FHIR instant.',
  },
  {
    name: 'resource-after-transaction-time',
    requirement: 'MAN-01',
    description: 'The first exported resource has meta.lastUpdated an hour after transactionTime (SHOULD NOT).',
  },
  {
    name: 'manifest-without-request',
    requirement: 'MAN-02',
    description: 'The Bulk Data v2 manifest has no request field.',
  },
  {
    name: 'output-item-without-type',
    requirement: 'MAN-04',
    description: 'Manifest output items have no type.',
  },
  {
    name: 'output-file-mixed-types',
    requirement: 'MAN-04',
    description: "One resource of the second output type is moved into the first type's file (counts still match).",
  },
  {
    name: 'manifest-count-mismatch',
    requirement: 'MAN-14',
    description: "Each manifest item's count is one more than the lines in its file.",
  },
  {
    name: 'manifest-count-string',
    requirement: 'MAN-04',
    description: "Each manifest item's count is a string (\"3\") instead of a JSON number.",
  },
  {
    name: 'empty-output-item',
    requirement: 'MAN-04',
    description: 'A requested type without data still gets an output item (with an empty file) (SHOULD NOT).',
  },
  {
    name: 'deleted-not-transaction',
    requirement: 'MAN-05',
    description: 'Lines of the deleted files are Bundles of type collection instead of transaction.',
  },
  {
    name: 'deleted-also-in-output',
    requirement: 'MAN-05',
    description: 'The first deleted resource also appears in the output files (SHALL NOT).',
  },
  {
    name: 'since-without-deleted',
    requirement: 'MAN-05',
    description: 'With _since, the manifest has no deleted array although resources were deleted (SHOULD).',
  },
  {
    name: 'manifest-without-error-array',
    requirement: 'MAN-06',
    description: 'The manifest has no error array (4.0 shape: no outcome array).',
  },
  {
    name: 'error-file-not-outcome',
    requirement: 'MAN-06',
    description: 'Lines of the error files are bare issue objects, not OperationOutcome resources.',
  },
  {
    name: 'manifest-extension-not-object',
    requirement: 'MAN-08',
    description: 'The Bulk Data v2 manifest carries an extension that is an array instead of a JSON object.',
  },
  {
    name: 'output-file-404',
    requirement: 'FILE-01',
    description: 'The last output file listed in the manifest answers 404.',
  },
  {
    name: 'lenient-parameter-not-reported',
    requirement: 'MAN-13',
    description: 'Parameters ignored under Prefer: handling=lenient are not reported in the error array (SHOULD).',
  },
  {
    name: 'file-requires-accept',
    requirement: 'FILE-02',
    description: 'A file request without an Accept header is refused with 406 although Accept is optional.',
  },
  {
    name: 'ndjson-invalid-line',
    requirement: 'FILE-03',
    description: 'The first line of the first output file is cut short, so it is not valid JSON.',
  },
  {
    name: 'invalid-resource-in-file',
    requirement: 'FILE-03',
    description: 'The first Patient in the output has gender 42 (a number, not a code), so it is not a valid resource.',
  },
  {
    name: 'gzip-without-content-encoding',
    requirement: 'FILE-04',
    description: 'With Accept-Encoding: gzip, files are gzip-compressed but sent without Content-Encoding: gzip.',
  },
  {
    name: 'duplicate-resource',
    requirement: 'FILE-05',
    description: 'The first resource of the first output file appears twice in it.',
  },
  {
    name: 'binary-in-patient-export',
    requirement: 'FILE-06',
    description: 'Patient- and Group-level exports include a Binary output file (patient content must be a DocumentReference).',
  },
  {
    name: 'cancel-body-not-outcome',
    requirement: 'CANCEL-02',
    description: 'The DELETE answer has a JSON body {"status":"cancelled"} that is not an OperationOutcome.',
  },
  {
    name: 'cancel-unknown-job-202',
    requirement: 'CANCEL-04',
    description: 'DELETE on an unknown (or expired) status URL answers 202 instead of 404 + OperationOutcome.',
  },
] as const satisfies readonly FaultInfo[];
