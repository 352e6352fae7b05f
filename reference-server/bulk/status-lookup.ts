/** Resolves a status URL to what it should answer for: a live job, a ghost, or nothing. */
import type { ExportJob, RequestContext } from '../context.js';
import type { ErrorSpec } from '../operation-outcome.js';

export type StatusTarget =
  | { kind: 'job'; job: ExportJob; phase: 'running' | 'complete' }
  /** A cancelled job that, under the status-202-after-cancel fault, still pretends to run. */
  | { kind: 'ghost'; job: ExportJob }
  | { kind: 'missing'; error: ErrorSpec };

export function lookupStatusTarget(ctx: RequestContext): StatusTarget {
  const store = ctx.state.exportJobs;
  const job = store.get(ctx.pathParams[0] ?? '');
  if (job === undefined) {
    return {
      kind: 'missing',
      error: { status: 404, code: 'not-found', diagnostics: 'no export job at this URL (unknown, expired or deleted)' },
    };
  }
  const phase = store.phase(job);
  if (phase !== 'cancelled') return { kind: 'job', job, phase };
  // Fault CANCEL-03: a cancelled job keeps answering as if it were running.
  if (ctx.state.config.faults.has('status-202-after-cancel')) return { kind: 'ghost', job };
  return {
    kind: 'missing',
    error: { status: 404, code: 'not-found', diagnostics: 'this export job was cancelled by a DELETE request' },
  };
}
