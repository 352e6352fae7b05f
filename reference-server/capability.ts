/**
 * `GET /metadata`: the CapabilityStatement. It lists the Bulk Data operations by their
 * canonical URLs (system `export` in rest.operation, `patient-export` on Patient,
 * `group-export` on Group), the REST interactions per resource type, batch/transaction,
 * `$reindex`, and marks each with the `synchronicity-control` extension (`asynchronous` for
 * the exports, `either` for the rest). The async modes (Bundle, redirect, bulk for a search
 * with `_outputFormat`) are described in `rest.documentation`.
 */
import type { RequestContext } from './context.js';
import { formatFhirInstant } from './fhir-time.js';
import { STORE_TYPES, type StoreType } from './fhir-store.js';
import { sendJson } from './http-util.js';
import { listSearchParams } from './interaction/search.js';

const BULK = 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/';
export const EXPORT_DEFINITION = `${BULK}export`;
export const PATIENT_EXPORT_DEFINITION = `${BULK}patient-export`;
export const GROUP_EXPORT_DEFINITION = `${BULK}group-export`;
/** This server's own `$reindex` operation (not published anywhere). */
export const REINDEX_DEFINITION = 'urn:fhir-async-conformance:OperationDefinition:reindex';
export const SYNCHRONICITY_CONTROL = 'http://hl7.org/fhir/StructureDefinition/synchronicity-control';

type Synchronicity = 'synchronous' | 'asynchronous' | 'either';

function buildSynchronicity(code: Synchronicity): fhir4.Extension[] {
  return [{ url: SYNCHRONICITY_CONTROL, valueCode: code }];
}

export const ASYNC_DOCUMENTATION = [
  'Every REST interaction (read, search-type, create, batch, transaction) and $reindex runs synchronously by default',
  'and asynchronously with `Prefer: respond-async` (202 + Content-Location of a status URL).',
  'Async modes: `async-mode=bundle` (default; completion is 200 with a batch-response Bundle),',
  '`async-mode=redirect` (completion is 303 See Other to a result URL that answers as the synchronous interaction would),',
  'and the bulk pattern for a search with `_outputFormat` (completion is a Bulk Data manifest; it conflicts with async-mode=redirect).',
  'Honoured preferences are listed in Preference-Applied. $export is asynchronous only.',
].join(' ');

type RestResource = fhir4.CapabilityStatementRestResource;

function buildResource(type: StoreType): RestResource {
  const resource: RestResource = {
    type,
    interaction: (['read', 'search-type', 'create'] as const).map((code) => ({ code, extension: buildSynchronicity('either') })),
    searchParam: listSearchParams(type).map((name) => ({
      name,
      type: name === 'name' ? 'string' : name === 'subject' ? 'reference' : 'token',
    })),
  };
  if (type === 'Patient') {
    resource.operation = [{ name: 'export', definition: PATIENT_EXPORT_DEFINITION, extension: buildSynchronicity('asynchronous') }];
  }
  if (type === 'Group') {
    resource.operation = [{ name: 'export', definition: GROUP_EXPORT_DEFINITION, extension: buildSynchronicity('asynchronous') }];
  }
  return resource;
}

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
        documentation: ASYNC_DOCUMENTATION,
        resource: STORE_TYPES.map(buildResource),
        interaction: (['batch', 'transaction'] as const).map((code) => ({ code, extension: buildSynchronicity('either') })),
        operation: [
          { name: 'export', definition: EXPORT_DEFINITION, extension: buildSynchronicity('asynchronous') },
          { name: 'reindex', definition: REINDEX_DEFINITION, extension: buildSynchronicity('either') },
        ],
      },
    ],
  };
}

export function handleMetadata(ctx: RequestContext): void {
  sendJson(ctx.res, 200, buildCapabilityStatement(ctx.state.config.clock.now()));
}
