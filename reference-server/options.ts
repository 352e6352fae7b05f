/** Public options of the reference server and their validation into a resolved config. */
import { systemClock, type Clock } from './clock.js';
import { createFaultSet, type FaultSet } from './faults/fault-set.js';

export interface RetryAfterOption {
  form: 'seconds' | 'http-date';
  seconds: number;
}

export interface ReferenceServerOptions {
  /** Interface to bind. Default '127.0.0.1'. */
  host?: string;
  /** Port to bind. Default 0 (ephemeral). */
  port?: number;
  /** Fault names (see FAULTS); an unknown name throws UnknownFaultError. */
  faults?: string[];
  /** How long an export job runs. Default 1000 ms. */
  jobDurationMs?: number;
  /** Retry-After on in-progress status responses. Default { form: 'seconds', seconds: 1 }. */
  retryAfter?: RetryAfterOption;
  /** Base for absolute URLs. Default: http://<Host header of the request>. */
  publicBaseUrl?: string;
  /** Time source for all time decisions. Default Date.now. */
  clock?: Clock;
  /** Number of synthetic Patients (each with 3 Observations). Default 10. */
  patientCount?: number;
  /** Access log, one line per request. Default none. */
  log?: (line: string) => void;
}

export interface ResolvedConfig {
  host: string;
  port: number;
  faults: FaultSet;
  jobDurationMs: number;
  retryAfter: RetryAfterOption;
  publicBaseUrl: string | undefined;
  clock: Clock;
  patientCount: number;
  log: ((line: string) => void) | undefined;
}

const MAX_PATIENTS = 100_000;

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

/** Applies defaults and validates; throws UnknownFaultError or RangeError on bad options. */
export function resolveOptions(opts: ReferenceServerOptions = {}): ResolvedConfig {
  const retryAfter = opts.retryAfter ?? { form: 'seconds', seconds: 1 };
  if (retryAfter.form !== 'seconds' && retryAfter.form !== 'http-date') {
    throw new RangeError(`retryAfter.form must be "seconds" or "http-date", got "${String(retryAfter.form)}"`);
  }
  return {
    host: opts.host ?? '127.0.0.1',
    port: requireInteger('port', opts.port ?? 0, 0, 65_535),
    faults: createFaultSet(opts.faults ?? []),
    jobDurationMs: requireInteger('jobDurationMs', opts.jobDurationMs ?? 1000, 0, 2_147_483_647),
    retryAfter: { form: retryAfter.form, seconds: requireInteger('retryAfter.seconds', retryAfter.seconds, 0, 86_400) },
    publicBaseUrl: resolvePublicBaseUrl(opts.publicBaseUrl),
    clock: opts.clock ?? systemClock,
    patientCount: requireInteger('patientCount', opts.patientCount ?? 10, 0, MAX_PATIENTS),
    log: opts.log,
  };
}
