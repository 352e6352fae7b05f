/**
 * Faults of the Bulk Data v3/v4 status features the 4.0 shape implements: Prefer
 * separate-export-status (STATUS-03, PREFER-10) and allowPartialManifests (STATUS-06, MAN-09).
 * They show only on a kick-off that asked for the feature, against `bulkVersion: 'v4'`.
 */
import type { FaultInfo } from './fault-info.js';

export const EXPORT_STATUS_FAULTS = [
  {
    name: 'separate-export-status-in-progress-202',
    requirement: 'STATUS-03',
    description: 'Under separate-export-status a running job still answers 202 (no X-Export-Status) instead of 200 + X-Export-Status: 202 Accepted.',
  },
  {
    name: 'separate-export-status-failure-500',
    requirement: 'STATUS-03',
    description: 'Under separate-export-status a failed job answers 500 instead of 200 + X-Export-Status: 500.',
  },
  {
    name: 'separate-export-status-complete-without-header',
    requirement: 'STATUS-03',
    description: 'Under separate-export-status the completed manifest comes without X-Export-Status: 200 OK.',
  },
  {
    name: 'separate-export-status-not-announced',
    requirement: 'PREFER-10',
    description: 'separate-export-status is honoured (200 + X-Export-Status) but Preference-Applied names only respond-async.',
  },
  {
    name: 'partial-manifest-file-not-ready',
    requirement: 'STATUS-06',
    description: 'A partial manifest on 202 lists files that answer 404 until the job completes.',
  },
  {
    name: 'partial-manifest-rewritten',
    requirement: 'STATUS-06',
    description: 'The manifest handed out as partial on 202 is rewritten at completion to list every file (instead of linking to a next page).',
  },
  {
    name: 'manifest-link-relation-not-next',
    requirement: 'MAN-09',
    description: 'A paged manifest links its next page with relation "next-page" instead of "next".',
  },
  {
    name: 'manifest-page-without-transaction-time',
    requirement: 'MAN-09',
    description: 'Linked manifest pages leave out transactionTime instead of repeating it.',
  },
] as const satisfies readonly FaultInfo[];
