/**
 * The callback body (CALLBACK-03): a FHIR Parameters resource with `status`
 * (valueCode completed | failed | cancelled), `resultUrl` (valueUrl) and, on failure,
 * `outcome` (resource: OperationOutcome).
 */
import { randomBytes } from 'node:crypto';
import type { FaultSet } from '../faults/fault-set.js';

export type CallbackStatus = 'completed' | 'failed' | 'cancelled';

export interface CallbackPayloadInput {
  status: CallbackStatus;
  /** Where the client fetches the final answer (status URL, or result URL in redirect mode). */
  resultUrl: string;
  /** Why the job failed; sent only with status `failed`. */
  outcome?: fhir4.OperationOutcome;
}

/** A URL on the same origin that no route answers (so a GET gets 404). */
export function buildUnroutedUrl(resultUrl: string): string {
  return new URL(`/_callback-result-gone/${randomBytes(16).toString('hex')}`, resultUrl).href;
}

export function buildCallbackParameters(input: CallbackPayloadInput, faults: FaultSet): fhir4.Parameters {
  // Fault CALLBACK-03: a status code outside completed | failed | cancelled.
  const status = input.status === 'completed' && faults.has('callback-wrong-status-code') ? 'done' : input.status;
  // Fault CALLBACK-03: a resultUrl that does not resolve.
  const resultUrl = faults.has('callback-unresolvable-result-url') ? buildUnroutedUrl(input.resultUrl) : input.resultUrl;
  const parameter: fhir4.ParametersParameter[] = [
    { name: 'status', valueCode: status },
    { name: 'resultUrl', valueUrl: resultUrl },
  ];
  if (input.status === 'failed' && input.outcome !== undefined) {
    parameter.push({ name: 'outcome', resource: input.outcome });
  }
  return { resourceType: 'Parameters', parameter };
}
