import type { AuthSession } from '../auth/auth-session.js';
import type { HttpClient } from '../http/client.js';
import type { Redactor } from '../http/redact.js';
import type { Exchange, Measurement } from '../model/results.js';
import type { CallbackEndpoint } from '../callbacks/callback-endpoint.js';
import type { CallbackSupport } from '../callbacks/scenario-endpoints.js';
import type { TargetClaims } from '../app/claims.js';
import type { Capability, Catalogue, StepAuth } from '../model/scenario.js';
import type { Clock } from './clock.js';
import type { PollPolicy } from './poll.js';

/** Everything a scenario needs from the run; shared by all scenarios. */
export interface RunContext {
  client: HttpClient;
  redactor: Redactor;
  catalogue: Catalogue;
  clock: Clock;
  /** Target base URL without a trailing slash. */
  baseUrl: string;
  /** Headers sent on every request (profile `headers`); a step's own headers win. */
  headers: Record<string, string>;
  /** Variables from the profile and --var (override scenario defaults). */
  variables: Record<string, string>;
  strict: boolean;
  pollPolicy: PollPolicy;
  /** What the target claims and offers (decides skips, check applicability and levels). */
  claims: TargetClaims;
  /** Capabilities whose absence fails a scenario instead of skipping it (--require). */
  required: ReadonlySet<Capability>;
  /** The callback receiver, when a scenario that declares callbacks can run. */
  callbacks?: CallbackSupport;
  /** Credentials (profile `auth`) and where they may be sent; absent when the profile configures none. */
  auth?: AuthSession;
  /** Whose token file requests that need one carry (a `validateFiles` step's `auth`); default `primary`. */
  fileAuth?: StepAuth;
  /** --quick: `validateFiles` samples large files instead of checking every line. */
  quick?: boolean;
  /** Validation worker threads for large NDJSON files (default: see line-pool.ts); 0: main thread only. */
  validationThreads?: number;
  /** Slots of the export's in-memory key set before its keys move to disk (default EXPORT_KEY_SLOTS; tests make it 1). */
  exportKeySlots?: number;
  /** --request-timeout, also the longest stall of a streamed file body. */
  requestTimeoutMs?: number;
}

/** Mutable state of one scenario run. */
export interface ScenarioState {
  vars: Map<string, string | string[]>;
  exchanges: Exchange[];
  signal: AbortSignal;
  /** The scenario's callback endpoints by name (src/callbacks/scenario-endpoints.ts). */
  callbackEndpoints?: Map<string, CallbackEndpoint>;
  /** Figures for the report (callback and long-poll timings). */
  measurements?: Measurement[];
}
