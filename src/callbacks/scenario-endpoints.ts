/**
 * Per scenario run: mint one receiver endpoint per name under `callbacks:` and bind the name
 * to its URL, before the first step (so a kick-off can send `callback-url="${callbackUrl}"`).
 */
import type { Scenario } from '../model/scenario.js';
import type { RunContext, ScenarioState } from '../runner/context.js';
import type { CallbackVerifier } from './callback-auth.js';
import type { CallbackEndpoint } from './callback-endpoint.js';

/** What the run offers scenarios that declare callbacks (absent when no receiver was started). */
export interface CallbackSupport {
  mint(respondStatus?: number): CallbackEndpoint;
  verifier: CallbackVerifier;
}

/** Mints the scenario's endpoints into `state`; returns why it cannot (no receiver), else undefined. */
export function openCallbackEndpoints(scenario: Scenario, ctx: RunContext, state: ScenarioState): string | undefined {
  const declared = Object.entries(scenario.callbacks ?? {});
  if (declared.length === 0) return undefined;
  if (ctx.callbacks === undefined) return 'the scenario needs callbacks, but no callback receiver is running';
  const endpoints = new Map<string, CallbackEndpoint>();
  for (const [name, spec] of declared) {
    const endpoint = ctx.callbacks.mint(spec.respond);
    endpoints.set(name, endpoint);
    state.vars.set(name, endpoint.url);
  }
  state.callbackEndpoints = endpoints;
  return undefined;
}
