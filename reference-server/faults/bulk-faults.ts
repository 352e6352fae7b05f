/** Faults of the Bulk Data export pattern (kick-off, status, manifest, files, cancel). */
import type { FaultInfo } from './fault-info.js';

export const BULK_FAULTS = [
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
] as const satisfies readonly FaultInfo[];
