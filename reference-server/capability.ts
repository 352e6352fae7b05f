/**
 * `GET /metadata`: the CapabilityStatement. It lists the Bulk Data operations by their
 * canonical URLs (system `export` in rest.operation, `patient-export` on Patient,
 * `group-export` on Group), the REST interactions per resource type, batch/transaction,
 * `$reindex`, and marks each with the `synchronicity-control` extension (`asynchronous` for
 * the exports, `either` for the rest). The async modes (Bundle, redirect, bulk for a search
 * with `_outputFormat`) are described in `rest.documentation`.
 */
import type { RequestContext } from './context.js';
import type { FaultSet } from './faults/fault-set.js';
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
export const OPERATION_NOT_SUPPORTED = 'http://hl7.org/fhir/uv/bulkdata/Extension/operation-not-supported';
/** Fault CAP-01: the server's own OperationDefinition URLs in place of the Bulk Data canonicals. */
const LOCAL_DEFINITIONS = 'urn:fhir-async-conformance:OperationDefinition:';

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

function buildResource(type: StoreType, faults: FaultSet | undefined): RestResource {
  // Fault CAP-01: each bulk operation cited by a server-local URL (its name stays 'export').
  const local = faults?.has('bulk-definitions-not-canonical') ?? false;
  const resource: RestResource = {
    type,
    interaction: (['read', 'search-type', 'create'] as const).map((code) => ({ code, extension: buildSynchronicity('either') })),
    searchParam: listSearchParams(type).map((name) => ({
      name,
      type: name === 'name' ? 'string' : name === 'subject' ? 'reference' : 'token',
    })),
  };
  if (type === 'Patient') {
    resource.operation = [{ name: 'export', definition: local ? `${LOCAL_DEFINITIONS}patient-export` : PATIENT_EXPORT_DEFINITION, extension: buildSynchronicity('asynchronous') }];
  }
  if (type === 'Group') {
    resource.operation = [{ name: 'export', definition: local ? `${LOCAL_DEFINITIONS}group-export` : GROUP_EXPORT_DEFINITION, extension: buildSynchronicity('asynchronous') }];
  }
  // Fault CAP-02: an operation-not-supported mark whose valueCanonical names no Bulk Data definition.
  if (type === 'Organization' && faults?.has('operation-not-supported-bad-canonical')) {
    resource.extension = [{ url: OPERATION_NOT_SUPPORTED, valueCanonical: `${LOCAL_DEFINITIONS}export` }];
  }
  return resource;
}

export function buildCapabilityStatement(now: number, faults?: FaultSet): fhir4.CapabilityStatement {
  const local = faults?.has('bulk-definitions-not-canonical') ?? false;
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
        resource: STORE_TYPES.map((type) => buildResource(type, faults)),
        interaction: (['batch', 'transaction'] as const).map((code) => ({ code, extension: buildSynchronicity('either') })),
        operation: [
          { name: 'export', definition: local ? `${LOCAL_DEFINITIONS}export` : EXPORT_DEFINITION, extension: buildSynchronicity('asynchronous') },
          { name: 'reindex', definition: REINDEX_DEFINITION, extension: buildSynchronicity('either') },
        ],
      },
    ],
  };
}

export function handleMetadata(ctx: RequestContext): void {
  sendJson(ctx.res, 200, buildCapabilityStatement(ctx.state.config.clock.now(), ctx.state.config.faults));
}
