/**
 * The receiver's life within a run: started only when a scenario that declares callbacks can
 * run against this target (so a run without callback scenarios never binds a port), stopped
 * when the run ends.
 */
import { unmetRequirements, type TargetClaims } from '../app/claims.js';
import type { Scenario } from '../model/scenario.js';
import { createCallbackVerifier, type CallbackCredentials } from './callback-auth.js';
import { CallbackReceiver } from './callback-receiver.js';
import { DEFAULT_CALLBACK_LISTEN, type ListenAddress } from './listen-address.js';
import type { CallbackSupport } from './scenario-endpoints.js';

export interface CallbackRunOptions {
  /** --callback-listen (default 127.0.0.1:0). */
  listen?: ListenAddress;
  /** --callback-public-url: how the target reaches the receiver. */
  publicUrl?: string;
}

export type CallbackRun =
  | { ok: true; support?: CallbackSupport; close(): Promise<void> }
  | { ok: false; message: string };

export async function startCallbackRun(input: {
  scenarios: readonly Scenario[];
  claims: TargetClaims;
  options: CallbackRunOptions;
  credentials: CallbackCredentials;
}): Promise<CallbackRun> {
  const needed = input.scenarios.some((s) => s.callbacks !== undefined && unmetRequirements(s.requires, input.claims).length === 0);
  if (!needed) return { ok: true, close: () => Promise.resolve() };
  const listen = input.options.listen ?? DEFAULT_CALLBACK_LISTEN;
  let receiver: CallbackReceiver;
  try {
    receiver = await CallbackReceiver.start({ ...listen, ...(input.options.publicUrl ? { publicUrl: input.options.publicUrl } : {}) });
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
  const verifier = createCallbackVerifier(input.credentials);
  return {
    ok: true,
    support: { mint: (status) => receiver.mint(status), verifier },
    close: () => receiver.close(),
  };
}
