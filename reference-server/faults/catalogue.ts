/**
 * The fault switchboard's catalogue. Each fault breaks exactly one requirement (an id from
 * the project's requirements catalogue) and is named after what it breaks. Its behaviour
 * change lives at a single `faults.has('<name>')` check in the handler concerned.
 */

export interface FaultInfo {
  name: string;
  requirement: string;
  description: string;
}

const DEFINITIONS = [
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

/** Names of all known faults (a union, so `faults.has('typo')` fails to compile). */
export type FaultName = (typeof DEFINITIONS)[number]['name'];

export const FAULTS: readonly FaultInfo[] = Object.freeze(
  DEFINITIONS.map((fault): FaultInfo => Object.freeze({ ...fault })),
);

export const FAULT_NAMES: readonly FaultName[] = Object.freeze(DEFINITIONS.map((fault) => fault.name));
