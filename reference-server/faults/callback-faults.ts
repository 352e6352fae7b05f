/** Faults of the callback area. Each breaks exactly one catalogue requirement. */
import type { FaultInfo } from './fault-info.js';

export const CALLBACK_FAULTS = [
  {
    name: 'callback-missing',
    requirement: 'CALLBACK-02',
    description: 'No callback POST is ever sent, although the kick-off carried an accepted callback-url.',
  },
  {
    name: 'callback-twice',
    requirement: 'CALLBACK-02',
    description: 'The callback POST is sent twice (two identical POSTs) instead of exactly once.',
  },
  {
    name: 'callback-wrong-status-code',
    requirement: 'CALLBACK-03',
    description: 'The callback Parameters carry status valueCode "done" instead of "completed" for a finished job.',
  },
  {
    name: 'callback-unresolvable-result-url',
    requirement: 'CALLBACK-03',
    description: 'The callback resultUrl points to a path that answers 404 instead of the job\'s result.',
  },
  {
    name: 'callback-unsigned',
    requirement: 'CALLBACK-04',
    description: 'The callback is sent without X-Callback-Signature and Authorization even when a secret or token is configured.',
  },
  {
    name: 'callback-wrong-content-type',
    requirement: 'CALLBACK-05',
    description: 'The callback POST is labelled Content-Type: application/json instead of application/fhir+json.',
  },
  {
    name: 'callback-allow-list-ignored',
    requirement: 'CALLBACK-01',
    description: 'A callback-url whose host is off the allow-list is accepted at kick-off (202, not 400); delivery to a non-loopback host is still skipped.',
  },
] as const satisfies readonly FaultInfo[];
