/** `GET <file url>`: one NDJSON output file of a completed export job. */
import type { RequestContext } from '../context.js';
import { FHIR_NDJSON, PLAIN_JSON, sendError, sendText } from '../http-util.js';
import { findExportFile, listExportOutput, renderNdjson } from './export-output.js';

export function handleFile(ctx: RequestContext): void {
  const { config, exportJobs } = ctx.state;
  const [fileKey = '', fileName = ''] = ctx.pathParams;
  const job = exportJobs.getByFileKey(fileKey);
  const file =
    job === undefined || exportJobs.phase(job) !== 'complete'
      ? undefined
      : findExportFile(listExportOutput(job, config.patientCount), fileName);
  if (file === undefined) {
    sendError(ctx.res, {
      status: 404,
      code: 'not-found',
      diagnostics: 'no export file at this URL (unknown, expired or deleted)',
    });
    return;
  }
  // Fault FILE-01: NDJSON served with the wrong media type.
  const contentType = config.faults.has('file-wrong-content-type') ? PLAIN_JSON : FHIR_NDJSON;
  sendText(ctx.res, 200, renderNdjson(file.resources), { contentType });
}
