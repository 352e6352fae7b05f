/**
 * Faults of auth mode (SMART Backend Services, `auth` option): each opens one protected point.
 * They change nothing when auth is off. The behaviour change of each sits in `auth/guard.ts`.
 */
import type { FaultInfo } from './fault-info.js';

export const AUTH_FAULTS = [
  {
    name: 'status-open-without-token',
    requirement: 'AUTH-03',
    description: 'A status poll (GET) without an access token is answered as if it carried a valid one.',
  },
  {
    name: 'cancel-open-without-token',
    requirement: 'AUTH-03',
    description: 'A DELETE on a status URL without an access token cancels the job.',
  },
  {
    name: 'files-open-without-token',
    requirement: 'AUTH-03',
    description: 'Export files are served without an access token although the manifest says requiresAccessToken: true.',
  },
  {
    name: 'expired-token-accepted',
    requirement: 'AUTH-03',
    description: 'An access token past its expiry is still accepted on kick-off, status, cancel and file requests.',
  },
  {
    name: 'unknown-token-accepted',
    requirement: 'AUTH-03',
    description: 'Any Bearer value is accepted, even one the server never issued (a malformed token).',
  },
  {
    name: 'other-client-token-accepted',
    requirement: 'AUTH-04',
    description: "Another client's valid token is accepted for a job's status, files and cancel (no restriction to the client that started it).",
  },
  {
    name: 'export-scopes-ignored',
    requirement: 'AUTH-06',
    description: "A kick-off is accepted whatever the token's scopes cover: a client scoped to system/Patient.rs gets every resource type exported.",
  },
] as const satisfies readonly FaultInfo[];
