/**
 * An asynchronous interaction job. The interaction runs lazily, at the first look after the
 * job's duration has passed (so a job cancelled while running never runs), and its result is
 * kept, so every later poll or fetch sees the same answer.
 */
import type { ServerState } from '../context.js';
import type { Job } from '../job-store.js';
import type { ReturnPreference } from '../async/negotiate.js';
import { executeInteraction } from './execute.js';
import type { InteractionRequest } from './request.js';
import type { InteractionResult } from './result.js';

/** How the result is delivered: in a batch-response Bundle, behind a 303, or as a bulk manifest. */
export type InteractionMode = 'bundle' | 'redirect' | 'bulk';

/** What the job does: run an interaction, or deliver a result fixed at kick-off. */
export type InteractionWork = { kind: 'run'; request: InteractionRequest } | { kind: 'fixed'; result: InteractionResult };

export interface InteractionJobPayload {
  mode: InteractionMode;
  work: InteractionWork;
  returnPref: ReturnPreference | undefined;
  /** Base of absolute URLs, from the kick-off request. */
  baseUrl: string;
  /** The kick-off URL, made absolute. */
  requestUrl: string;
  /** Media type for bodies, from the kick-off Accept. */
  contentType: string;
  /** Headers the synchronous answer would add (Preference-Applied for return / handling). */
  resultHeaders: Record<string, string>;
  /** The result, once the interaction ran. */
  result: InteractionResult | undefined;
  /** When it ran (the bulk manifest's transactionTime). */
  settledAt: number | undefined;
  /** Fetches of the result URL so far. */
  resultFetches: number;
}

export type InteractionJob = Job<InteractionJobPayload>;

/**
 * True when a DELETE removed the job, so its status URL answers 404. Under the
 * interaction-status-after-cancel fault a cancelled job keeps answering as if it were not.
 */
export function isGone(state: ServerState, job: InteractionJob): boolean {
  // Fault CANCEL-03: the status URL of a cancelled job keeps answering.
  return job.cancelledAt !== undefined && !state.config.faults.has('interaction-status-after-cancel');
}

/** The job's result, running the interaction now if this is the first look after completion. */
export function settleInteractionJob(state: ServerState, job: InteractionJob): InteractionResult {
  const payload = job.payload;
  if (payload.result !== undefined) return payload.result;
  const result =
    payload.work.kind === 'fixed'
      ? payload.work.result
      : executeInteraction(payload.work.request, {
          store: state.fhirStore,
          baseUrl: payload.baseUrl,
          returnPref: payload.returnPref,
        });
  payload.result = result;
  payload.settledAt = state.config.clock.now();
  return result;
}
