/**
 * Faults of the asynchronous interaction patterns (Bundle and redirect modes) and of the
 * RFC 7240 negotiation in front of them. Each breaks exactly one catalogue requirement.
 */
import type { FaultInfo } from './fault-info.js';

export const INTERACTION_FAULTS = [
  {
    name: 'interaction-kickoff-no-202',
    requirement: 'KICKOFF-02',
    description: 'An interaction sent with Prefer: respond-async is answered synchronously (200/201) instead of 202 + Content-Location.',
  },
  {
    name: 'interaction-status-200-while-running',
    requirement: 'STATUS-07',
    description: 'While an interaction job runs, its status URL answers 200 with an informational OperationOutcome instead of 202.',
  },
  {
    name: 'interaction-cancel-200',
    requirement: 'CANCEL-01',
    description: 'DELETE on an interaction status URL answers 200 instead of 202 (the job is still cancelled).',
  },
  {
    name: 'interaction-status-after-cancel',
    requirement: 'CANCEL-03',
    description: 'After DELETE, the interaction status URL keeps answering (202 while the run lasts, then its completion) instead of 404.',
  },
  {
    name: 'bundle-wrong-type',
    requirement: 'BUN-01',
    description: 'The completion Bundle has type "batch" instead of "batch-response".',
  },
  {
    name: 'bundle-outcome-not-first',
    requirement: 'BUN-02',
    description: 'The completion Bundle starts with an informational OperationOutcome entry (no response); the outcome is entry[1].',
  },
  {
    name: 'bundle-failure-as-http-error',
    requirement: 'BUN-03',
    description: 'A failed interaction is reported as its 4xx/5xx status + OperationOutcome on the status URL instead of a 200 Bundle.',
  },
  {
    name: 'bundle-created-without-location',
    requirement: 'BUN-04',
    description: 'entry[0].response of a create has no location.',
  },
  {
    name: 'bundle-representation-missing',
    requirement: 'BUN-04',
    description: 'entry[0] has no resource even when the interaction returns a body (read, search, return=representation).',
  },
  {
    name: 'bundle-wrong-content-type',
    requirement: 'BUN-05',
    description: 'The completion Bundle is served as application/json although the kick-off asked for application/fhir+json.',
  },
  {
    name: 'bundle-search-not-searchset',
    requirement: 'BUN-06',
    description: 'For an async search, entry[0].resource is a Bundle of type "collection" instead of "searchset".',
  },
  {
    name: 'search-output-format-ignored',
    requirement: 'KICKOFF-10',
    description: 'A search with _outputFormat runs in Bundle mode (a searchset in a batch-response) instead of the bulk pattern.',
  },
  {
    name: 'redirect-200-instead-of-303',
    requirement: 'REDIRECT-01',
    description: 'In redirect mode the finished status URL answers with the result itself (200/201 + body) instead of 303 See Other.',
  },
  {
    name: 'redirect-failure-status-masked',
    requirement: 'REDIRECT-01',
    description: 'The result URL of a failed interaction answers 200 (with the OperationOutcome) instead of the synchronous error status.',
  },
  {
    name: 'redirect-303-with-body',
    requirement: 'REDIRECT-02',
    description: 'The 303 See Other carries an OperationOutcome body instead of an empty one.',
  },
  {
    name: 'redirect-relative-location',
    requirement: 'REDIRECT-02',
    description: 'The 303 Location is a relative path (/_result/<id>) instead of an absolute URL.',
  },
  {
    name: 'redirect-result-single-use',
    requirement: 'REDIRECT-04',
    description: 'The result URL answers once; every later fetch gets 404.',
  },
  {
    name: 'redirect-defers-invalid-request',
    requirement: 'REDIRECT-06',
    description: 'An invalid redirect-mode request (bad parameter or body) gets 202; the 400 only appears on the result URL.',
  },
  {
    name: 'redirect-no-preference-applied',
    requirement: 'REDIRECT-07',
    description: 'A kick-off that honours async-mode=redirect does not list it in Preference-Applied.',
  },
  {
    name: 'prefer-unknown-token-rejected',
    requirement: 'PREFER-01',
    description: 'An interaction request with a Prefer token the server does not know gets 400 instead of the token being ignored.',
  },
  {
    name: 'prefer-names-case-sensitive',
    requirement: 'PREFER-02',
    description: 'Preference names are compared case-sensitively: Prefer: RESPOND-ASYNC is ignored (synchronous answer).',
  },
  {
    name: 'prefer-second-line-ignored',
    requirement: 'PREFER-03',
    description: 'Only the first Prefer header line is read; preferences on later lines are ignored.',
  },
  {
    name: 'prefer-last-repeat-wins',
    requirement: 'PREFER-04',
    description: 'A repeated preference takes its last value (return=minimal, return=representation gives a body).',
  },
  {
    name: 'prefer-empty-value-unrecognised',
    requirement: 'PREFER-05',
    description: 'A preference with an empty value (respond-async="") is not recognised (synchronous answer).',
  },
  {
    name: 'preference-applied-with-parameters',
    requirement: 'PREFER-07',
    description: "Preference-Applied repeats each honoured preference's ;parameters from the request (e.g. respond-async; foo).",
  },
  {
    name: 'interaction-no-vary-prefer',
    requirement: 'PREFER-08',
    description: 'Interaction responses whose form depends on Prefer (sync answers and kick-offs) carry no Vary: Prefer.',
  },
  {
    name: 'prefer-parameters-rejected',
    requirement: 'PREFER-11',
    description: 'An interaction request whose preference carries ;parameters (respond-async; foo) gets 400.',
  },
] as const satisfies readonly FaultInfo[];
