import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** What a fault must do to the suite: the scenarios that fail, and those that only warn (SHOULD faults). */
export interface FaultExpectation {
  failed: string[];
  warned: string[];
  /** Server settings this fault needs (e.g. pacing faults need a real Retry-After to pace against). */
  /** `auth`: run against the bundled server in SMART auth mode (two clients; auth faults need it). */
  /** `bulkVersion: v3` / `v4`: run against the server's Bulk Data v3 or 4.0 shape, judged as bulk-v3 / bulk-v4 (v3/v4-only features). */
  /** `jobDurationMs`: how long each job runs (default 200), for faults that only show while a job runs. */
  /** `tls`: run against the bundled server in TLS mode (https, its certificate trusted for the run; TLS faults need it). */
  /**
   * `maxJobs` with `only`: a server holding at most that many jobs, and only the listed scenarios
   * run (one at a time), for faults that show only when the job store is full; the same
   * restricted run must pass on the clean server (checked too).
   */
  server?: { retryAfterSeconds?: number; auth?: boolean; bulkVersion?: 'v3' | 'v4'; jobDurationMs?: number; tls?: boolean; maxJobs?: number; only?: string[] };
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** The checked-in table (`fault-matrix.yaml`): `name: [failing ids]` or `name: { failed: [...], warned: [...] }`. */
export function loadFaultMatrix(): Record<string, FaultExpectation> {
  const raw = parse(readFileSync(path.join(here, 'fault-matrix.yaml'), 'utf8')) as Record<string, unknown>;
  const out: Record<string, FaultExpectation> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) out[name] = { failed: value.map(String), warned: [] };
    else if (value !== null && typeof value === 'object') {
      const v = value as { failed?: unknown; warned?: unknown; server?: { retryAfterSeconds?: unknown; auth?: unknown; bulkVersion?: unknown; jobDurationMs?: unknown; tls?: unknown; maxJobs?: unknown; only?: unknown } };
      const list = (x: unknown): string[] => (Array.isArray(x) ? x.map(String) : []);
      const seconds = v.server?.retryAfterSeconds;
      if (v.server?.bulkVersion !== undefined && v.server.bulkVersion !== 'v3' && v.server.bulkVersion !== 'v4') throw new Error(`fault-matrix.yaml: ${name}: server.bulkVersion must be v3 or v4`);
      const server = {
        ...(typeof seconds === 'number' ? { retryAfterSeconds: seconds } : {}),
        ...(v.server?.auth === true ? { auth: true } : {}),
        ...(v.server?.bulkVersion === 'v3' || v.server?.bulkVersion === 'v4' ? { bulkVersion: v.server.bulkVersion as 'v3' | 'v4' } : {}),
        ...(typeof v.server?.jobDurationMs === 'number' ? { jobDurationMs: v.server.jobDurationMs } : {}),
        ...(v.server?.tls === true ? { tls: true } : {}),
        ...(typeof v.server?.maxJobs === 'number' ? { maxJobs: v.server.maxJobs } : {}),
        ...(Array.isArray(v.server?.only) ? { only: v.server.only.map(String) } : {}),
      };
      if ((server.maxJobs === undefined) !== (server.only === undefined)) throw new Error(`fault-matrix.yaml: ${name}: server.maxJobs and server.only go together`);
      out[name] = { failed: list(v.failed), warned: list(v.warned), ...(Object.keys(server).length ? { server } : {}) };
    } else throw new Error(`fault-matrix.yaml: ${name}: expected a list or { failed, warned }`);
  }
  return out;
}

/**
 * Rewrite the table from observed results (only with UPDATE_FAULT_MATRIX=1, like a golden file).
 * The self-test still requires every listed scenario to fail on the fault's own requirement, so an
 * update can only record behaviour that passed those checks; review the diff before committing.
 */
export function writeFaultMatrix(matrix: Record<string, FaultExpectation>): void {
  const file = path.join(here, 'fault-matrix.yaml');
  const header = readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('#'));
  const rows = Object.keys(matrix).sort().map((name) => {
    const e = matrix[name] ?? { failed: [], warned: [] };
    const settings = [
      e.server?.retryAfterSeconds === undefined ? '' : `retryAfterSeconds: ${e.server.retryAfterSeconds}`,
      e.server?.auth ? 'auth: true' : '',
      e.server?.bulkVersion ? `bulkVersion: ${e.server.bulkVersion}` : '',
      e.server?.jobDurationMs === undefined ? '' : `jobDurationMs: ${e.server.jobDurationMs}`,
      e.server?.tls ? 'tls: true' : '',
      e.server?.maxJobs === undefined ? '' : `maxJobs: ${e.server.maxJobs}`,
      e.server?.only === undefined ? '' : `only: [${e.server.only.join(', ')}]`,
    ].filter(Boolean);
    const server = settings.length ? `, server: { ${settings.join(', ')} }` : '';
    if (!e.warned.length && !server) return `${name}: [${e.failed.join(', ')}]`;
    return `${name}: { failed: [${e.failed.join(', ')}], warned: [${e.warned.join(', ')}]${server} }`;
  });
  writeFileSync(file, [...header, ...rows, ''].join('\n'));
}
