import { requireDuration } from '../util/duration.js';
import { CliError, EXIT } from './exit-codes.js';
import { defaultThreadCount } from '../validate/line-pool.js';

/** `--var name=value` (repeatable) into a record; malformed entries are usage errors. */
export function parseVars(entries: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(entry);
    if (!m || m[1] === undefined) throw new CliError(`--var '${entry}': expected name=value (name: letters, digits, _)`, EXIT.usage);
    out[m[1]] = m[2] ?? '';
  }
  return out;
}

export function durationOption(text: string, flag: string): number {
  try {
    return requireDuration(text, flag);
  } catch (e) {
    throw new CliError((e as Error).message, EXIT.usage);
  }
}

/** `64MiB`, `512KiB`, `1000000` into bytes. */
export function sizeOption(text: string, flag: string): number {
  const m = /^([0-9]+)\s*(B|KiB|MiB|GiB)?$/i.exec(text.trim());
  if (!m || m[1] === undefined) throw new CliError(`${flag}: '${text}' is not a size (use e.g. 64MiB, 512KiB)`, EXIT.usage);
  const unit = (m[2] ?? 'B').toLowerCase();
  const factor = unit === 'kib' ? 1024 : unit === 'mib' ? 1024 ** 2 : unit === 'gib' ? 1024 ** 3 : 1;
  return Number(m[1]) * factor;
}

export function positiveInt(value: number, flag: string): number {
  if (!Number.isInteger(value) || value < 1) throw new CliError(`${flag} must be a positive integer, got ${String(value)}`, EXIT.usage);
  return value;
}

/**
 * `--validation-threads`: 0 to 64; without the flag, FHIR_ASYNC_VALIDATION_THREADS, else cores
 * minus one (at most 3). A bad value is a usage error before any request is sent.
 */
export function validationThreads(value: number | undefined): number {
  if (value === undefined) {
    try {
      return defaultThreadCount();
    } catch (e) {
      throw new CliError((e as Error).message, EXIT.usage);
    }
  }
  if (!Number.isInteger(value) || value < 0 || value > 64) throw new CliError(`--validation-threads must be an integer from 0 to 64, got ${String(value)}`, EXIT.usage);
  return value;
}
