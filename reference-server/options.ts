/** Public options of the reference server and their validation into a resolved config. */
import type { BulkVersion } from './bulk/manifest.js';
import { systemClock, type Clock } from './clock.js';
import { createFaultSet, type FaultSet } from './faults/fault-set.js';
import { DEFAULT_MAX_JOBS, DEFAULT_RETENTION_MS } from './job-store.js';
import { resolveCallbackOptions, type CallbackOptions, type ResolvedCallbackConfig } from './callbacks/callback-config.js';
import { resolveLongPollOptions, type LongPollOptions, type ResolvedLongPollConfig } from './longpoll/longpoll-config.js';
import { resolveAuthOptions, type AuthOptions, type ResolvedAuthConfig } from './auth/auth-config.js';

export interface RetryAfterOption {
  form: 'seconds' | 'http-date';
  seconds: number;
}

/** How long each kind of asynchronous job runs (ms). */
export interface TimingsOption {
  /** Bulk $export jobs. Default: `jobDurationMs`, else 1000. */
  export?: number;
  /** Asynchronous REST interactions (read, search, create, batch/transaction). Default: `jobDurationMs`, else 1000. */
  interaction?: number;
  /** The slow `$reindex` operation. Default: twice the interaction default. */
  reindex?: number;
}

export interface ResolvedTimings {
  export: number;
  interaction: number;
  reindex: number;
}

/** Throttling of status polls: a poll sooner than `minPollIntervalMs` after the job's previous one gets 429. */
export interface PacingOption {
  minPollIntervalMs: number;
}

export interface ReferenceServerOptions {
  /** Interface to bind. Default '127.0.0.1'. */
  host?: string;
  /** Port to bind. Default 0 (ephemeral). */
  port?: number;
  /** Fault names (see FAULTS); an unknown name throws UnknownFaultError. */
  faults?: string[];
  /** How long an export job runs, and the default of every `timings` entry. Default 1000 ms. */
  jobDurationMs?: number;
  /** Job durations per pattern; see TimingsOption. */
  timings?: TimingsOption;
  /**
   * Poll throttling (429 + Retry-After), or `false` for none. Default: half the Retry-After delay,
   * at most 500 ms, so a client honouring Retry-After never hits it. May not exceed the delay.
   */
  pacing?: PacingOption | false;
  /** Jobs held per store (export, interaction) before kick-offs get 429. Default 1000. */
  maxJobs?: number;
  /** How long a finished or cancelled job is remembered. Default 1 hour. */
  jobRetentionMs?: number;
  /** Retry-After on in-progress status responses. Default { form: 'seconds', seconds: 1 }. */
  retryAfter?: RetryAfterOption;
  /** Base for absolute URLs. Default: http(s)://<Host header of the request>, the scheme the request came over. */
  publicBaseUrl?: string;
  /** Time source for all time decisions. Default Date.now. */
  clock?: Clock;
  /** Number of synthetic Patients (each with 3 Observations). Default 10. */
  patientCount?: number;
  /** Access log, one line per request. Default none. */
  log?: (line: string) => void;
  /** Bulk Data IG version whose $export shape to serve: 'v2' (default), 'v3' (GET or POST, `allowPartialManifests`, `organizeOutputBy`) or 'v4' (4.0: POST kick-off, `outcome`, no `request`, `separate-export-status`). */
  bulkVersion?: BulkVersion;
  /** Completion callbacks (`Prefer: callback-url`): signing secret, bearer token, host allow-list (default loopback), deadline. */
  callbacks?: CallbackOptions;
  /** Long polling of status requests (`Prefer: wait=N`), or `false` for none. Default { maxWaitMs: 30000 }. */
  longPoll?: LongPollOptions | false;
  /** SMART Backend Services: registered clients, token lifetime, requiresAccessToken. Default off (no token needed). */
  auth?: AuthOptions;
  /**
   * TLS mode (AUTH-01): serve https only (TLS 1.2 or later) with a self-signed certificate made at
   * startup for localhost, 127.0.0.1 and ::1 (its PEM is `caCertificate` of the running server).
   * Default off (plain http).
   */
  tls?: boolean;
}

export interface ResolvedConfig {
  host: string;
  port: number;
  faults: FaultSet;
  /** The export duration (same as `timings.export`). */
  jobDurationMs: number;
  timings: ResolvedTimings;
  /** Minimum spacing of status polls in ms; 0 disables throttling. */
  minPollIntervalMs: number;
  maxJobs: number;
  jobRetentionMs: number;
  retryAfter: RetryAfterOption;
  publicBaseUrl: string | undefined;
  clock: Clock;
  patientCount: number;
  log: ((line: string) => void) | undefined;
  bulkVersion: BulkVersion;
  callbacks: ResolvedCallbackConfig;
  longPoll: ResolvedLongPollConfig;
  auth: ResolvedAuthConfig | undefined;
  tls: boolean;
}

/** Large values (hundreds of MB of NDJSON) serve the payload-validation benchmark (bench/ndjson.ts). */
const MAX_PATIENTS = 1_000_000;
const MAX_MS = 2_147_483_647;

function requireInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function resolvePublicBaseUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RangeError(`publicBaseUrl must be an absolute URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RangeError(`publicBaseUrl must use http or https, got "${value}"`);
  }
  return value.replace(/\/+$/, '');
}

function resolveTimings(opts: ReferenceServerOptions): ResolvedTimings {
  const base = requireInteger('jobDurationMs', opts.jobDurationMs ?? 1000, 0, MAX_MS);
  const timings = opts.timings ?? {};
  const interaction = requireInteger('timings.interaction', timings.interaction ?? base, 0, MAX_MS);
  return {
    export: requireInteger('timings.export', timings.export ?? base, 0, MAX_MS),
    interaction,
    reindex: requireInteger('timings.reindex', timings.reindex ?? Math.min(MAX_MS, interaction * 2), 0, MAX_MS),
  };
}

/** The poll-throttling window; never longer than the Retry-After delay an honest client waits. */
function resolvePacing(pacing: PacingOption | false | undefined, retryAfterSeconds: number): number {
  const delayMs = retryAfterSeconds * 1000;
  if (pacing === false) return 0;
  if (pacing === undefined) return Math.min(500, Math.floor(delayMs / 2));
  const window = requireInteger('pacing.minPollIntervalMs', pacing.minPollIntervalMs, 0, MAX_MS);
  if (window > delayMs) {
    throw new RangeError(
      `pacing.minPollIntervalMs (${window}) must not exceed the Retry-After delay (${delayMs} ms), or clients honouring Retry-After get 429`,
    );
  }
  return window;
}

/** Applies defaults and validates; throws UnknownFaultError or RangeError on bad options. */
export function resolveOptions(opts: ReferenceServerOptions = {}): ResolvedConfig {
  const retryAfter = opts.retryAfter ?? { form: 'seconds', seconds: 1 };
  if (retryAfter.form !== 'seconds' && retryAfter.form !== 'http-date') {
    throw new RangeError(`retryAfter.form must be "seconds" or "http-date", got "${String(retryAfter.form)}"`);
  }
  const retryAfterSeconds = requireInteger('retryAfter.seconds', retryAfter.seconds, 0, 86_400);
  const timings = resolveTimings(opts);
  return {
    host: opts.host ?? '127.0.0.1',
    port: requireInteger('port', opts.port ?? 0, 0, 65_535),
    faults: createFaultSet(opts.faults ?? []),
    jobDurationMs: timings.export,
    timings,
    minPollIntervalMs: resolvePacing(opts.pacing, retryAfterSeconds),
    maxJobs: requireInteger('maxJobs', opts.maxJobs ?? DEFAULT_MAX_JOBS, 1, 1_000_000),
    jobRetentionMs: requireInteger('jobRetentionMs', opts.jobRetentionMs ?? DEFAULT_RETENTION_MS, 0, MAX_MS),
    retryAfter: { form: retryAfter.form, seconds: retryAfterSeconds },
    publicBaseUrl: resolvePublicBaseUrl(opts.publicBaseUrl),
    clock: opts.clock ?? systemClock,
    patientCount: requireInteger('patientCount', opts.patientCount ?? 10, 0, MAX_PATIENTS),
    log: opts.log,
    bulkVersion: resolveBulkVersion(opts.bulkVersion),
    callbacks: resolveCallbackOptions(opts.callbacks),
    longPoll: resolveLongPollOptions(opts.longPoll),
    auth: resolveAuthOptions(opts.auth),
    tls: opts.tls ?? false,
  };
}

function resolveBulkVersion(value: string | undefined): BulkVersion {
  if (value === undefined || value === 'v2' || value === 'v3' || value === 'v4') return value ?? 'v2';
  throw new RangeError(`bulkVersion must be "v2", "v3" or "v4", got "${value}"`);
}
