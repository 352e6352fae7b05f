/** `GET /metadata`: a minimal CapabilityStatement advertising system-level $export. */
import type { RequestContext } from './context.js';
import { formatFhirInstant } from './fhir-time.js';
import { sendJson } from './http-util.js';
import { EXPORT_TYPES } from './synthetic-data.js';

export const EXPORT_DEFINITION = 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export';

export function buildCapabilityStatement(now: number): fhir4.CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: formatFhirInstant(now),
    kind: 'instance',
    instantiates: ['http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data'],
    software: { name: 'fhir-async-conformance reference server' },
    implementation: { description: 'Bundled reference server for the fhir-async-conformance self-test' },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        resource: EXPORT_TYPES.map((type) => ({ type })),
        operation: [{ name: 'export', definition: EXPORT_DEFINITION }],
      },
    ],
  };
}

export function handleMetadata(ctx: RequestContext): void {
  sendJson(ctx.res, 200, buildCapabilityStatement(ctx.state.config.clock.now()));
}
