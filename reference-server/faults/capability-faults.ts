/**
 * Faults of the CapabilityStatement and of what it promises. The behaviour changes sit in
 * `capability.ts` (the statement) and `interaction/request.ts` (search on Group).
 */
import type { FaultInfo } from './fault-info.js';

export const CAPABILITY_FAULTS = [
  {
    name: 'bulk-definitions-not-canonical',
    requirement: 'CAP-01',
    description: "The CapabilityStatement lists export, patient-export and group-export (still named 'export') under the server's own OperationDefinition URLs instead of the Bulk Data canonicals.",
  },
  {
    name: 'operation-not-supported-bad-canonical',
    requirement: 'CAP-02',
    description: 'The CapabilityStatement marks Organization as not exportable with the operation-not-supported extension, but its valueCanonical names no Bulk Data OperationDefinition (a server-local URL).',
  },
  {
    name: 'group-search-unsupported',
    requirement: 'CAP-05',
    description: 'Search on Group answers 400 (not supported) while Group read and Group export work.',
  },
] as const satisfies readonly FaultInfo[];
