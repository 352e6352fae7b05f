/**
 * Which Bulk Data operations a CapabilityStatement advertises. Matches the IG's canonical
 * OperationDefinition URLs (any `|version` suffix ignored) and, leniently, an operation named
 * `export` at the level concerned, so a server that cites its own OperationDefinition is not
 * reported as lacking the operation.
 */
export type Discovery =
  | { kind: 'found'; operations: ('export' | 'patient-export' | 'group-export')[] }
  | { kind: 'unavailable'; reason: string };

const CANONICAL = 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/';

interface Operation { name?: unknown; definition?: unknown }
interface Rest { operation?: Operation[]; resource?: { type?: unknown; operation?: Operation[] }[] }

function matches(op: Operation, canonicalName: string): boolean {
  const definition = typeof op.definition === 'string' ? op.definition.split('|')[0] : '';
  return definition === CANONICAL + canonicalName || op.name === 'export';
}

export function discoverOperations(metadata: unknown): Discovery {
  if (metadata === undefined) return { kind: 'unavailable', reason: '/metadata did not answer with JSON' };
  const cs = metadata as { resourceType?: unknown; rest?: unknown };
  if (cs.resourceType !== 'CapabilityStatement' || !Array.isArray(cs.rest)) {
    return { kind: 'unavailable', reason: '/metadata is not a CapabilityStatement with rest' };
  }
  const found = new Set<'export' | 'patient-export' | 'group-export'>();
  for (const rest of cs.rest as Rest[]) {
    if ((rest.operation ?? []).some((op) => matches(op, 'export'))) found.add('export');
    for (const resource of rest.resource ?? []) {
      const ops = resource.operation ?? [];
      if (resource.type === 'Patient' && ops.some((op) => matches(op, 'patient-export'))) found.add('patient-export');
      if (resource.type === 'Group' && ops.some((op) => matches(op, 'group-export'))) found.add('group-export');
    }
  }
  return { kind: 'found', operations: [...found] };
}
