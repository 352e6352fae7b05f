/**
 * Runs one interaction against the FHIR store and returns what the synchronous answer is:
 * read (200 / 404), search (200 searchset), create (201 + Location, body per `return`),
 * batch/transaction (200 *-response Bundle), and the `$reindex` operation (200 Parameters,
 * or 400 when its required `type` parameter is missing or unknown).
 */
import type { ReturnPreference } from '../async/negotiate.js';
import { isStoreType, type FhirStore, type StoreType } from '../fhir-store.js';
import { buildOperationOutcome } from '../operation-outcome.js';
import { executeBatch } from './batch.js';
import type { JsonObject } from './request-body.js';
import type { InteractionRequest } from './request.js';
import { buildBodyResult, buildErrorResult, type InteractionResult } from './result.js';
import { buildSearchset } from './search.js';

export type ReturnPref = ReturnPreference;

export interface ExecuteEnv {
  store: FhirStore;
  baseUrl: string;
  /** The `return` preference (RFC 7240 §4.2; FHIR adds `OperationOutcome`). Default representation. */
  returnPref: ReturnPref | undefined;
}

const GENDERS = ['male', 'female', 'other', 'unknown'];

function readVersion(resource: fhir4.Resource): string {
  return resource.meta?.versionId ?? '1';
}

function executeRead(type: StoreType, id: string, env: ExecuteEnv): InteractionResult {
  const resource = env.store.read(type, id);
  if (resource === undefined) return buildErrorResult(404, 'not-found', `${type}/${id} is not known to this server`);
  return {
    status: 200,
    body: resource,
    location: undefined,
    etag: `W/"${readVersion(resource)}"`,
    lastModified: resource.meta?.lastUpdated,
  };
}

/** What makes a create body unacceptable (the interaction fails with 400), or undefined. */
function findCreateProblem(type: StoreType, resource: JsonObject): string | undefined {
  if (resource['resourceType'] !== type) {
    return `the body is a ${String(resource['resourceType'])}, but this is a create of ${type}`;
  }
  const gender = resource['gender'];
  if (type === 'Patient' && gender !== undefined && (typeof gender !== 'string' || !GENDERS.includes(gender))) {
    return `Patient.gender "${String(gender)}" is not one of ${GENDERS.join(', ')}`;
  }
  return undefined;
}

function buildCreatedBody(resource: fhir4.Resource, returnPref: ReturnPref | undefined): fhir4.Resource | undefined {
  if (returnPref === 'minimal') return undefined;
  if (returnPref === 'OperationOutcome') {
    return buildOperationOutcome('information', 'informational', `created ${resource.resourceType}/${resource.id ?? ''}`);
  }
  return resource;
}

function executeCreate(type: StoreType, resource: JsonObject, env: ExecuteEnv): InteractionResult {
  const problem = findCreateProblem(type, resource);
  if (problem !== undefined) return buildErrorResult(400, 'invalid', problem);
  // The body passed findCreateProblem: a JSON object whose resourceType is `type`.
  const stored = env.store.create(type, resource as unknown as fhir4.Resource);
  return {
    status: 201,
    body: buildCreatedBody(stored, env.returnPref),
    location: `${type}/${stored.id ?? ''}/_history/${readVersion(stored)}`,
    etag: `W/"${readVersion(stored)}"`,
    lastModified: stored.meta?.lastUpdated,
  };
}

function executeReindex(resourceType: string | undefined, env: ExecuteEnv): InteractionResult {
  if (resourceType === undefined) return buildErrorResult(400, 'invalid', '$reindex: the required parameter "type" is missing');
  if (!isStoreType(resourceType)) {
    return buildErrorResult(400, 'not-supported', `$reindex: resource type "${resourceType}" is not held by this server`);
  }
  const count = env.store.list(resourceType).length;
  const parameters: fhir4.Parameters = {
    resourceType: 'Parameters',
    parameter: [
      { name: 'type', valueCode: resourceType },
      { name: 'count', valueInteger: count },
    ],
  };
  return buildBodyResult(200, parameters);
}

export function executeInteraction(request: InteractionRequest, env: ExecuteEnv): InteractionResult {
  switch (request.kind) {
    case 'read':
      return executeRead(request.type, request.id, env);
    case 'search': {
      const { type, criteria, query } = request;
      return buildBodyResult(200, buildSearchset(env.store, { type, criteria, query, baseUrl: env.baseUrl }));
    }
    case 'create':
      return executeCreate(request.type, request.resource, env);
    case 'batch':
      return executeBatch(request, env, executeInteraction);
    case 'reindex':
      return executeReindex(request.resourceType, env);
  }
}
