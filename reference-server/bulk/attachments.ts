/**
 * `GET <attachment url>`: the bytes an exported DocumentReference's `content.attachment.url`
 * points to. Attachments live next to the job's files (`/_files/<file key>/attachment-*.txt`),
 * so they follow the same access rules (auth/guard.ts: the access token when the manifest says
 * `requiresAccessToken: true`, and only for the client that started the job), and are served
 * while the job's files are (once it is complete, or from the start with partial manifests).
 */
import type { RequestContext } from '../context.js';
import { sendError } from '../http-util.js';
import { listExportOutput } from './export-output.js';
import { usesManifestPages } from './manifest-pages.js';

const ATTACHMENT_NAME = /^attachment-[A-Za-z0-9-]+\.txt$/;
const NOT_FOUND = { status: 404, code: 'not-found', diagnostics: 'no attachment at this URL (unknown, expired or deleted)' } as const;

export function isAttachmentName(name: string): boolean {
  return ATTACHMENT_NAME.test(name);
}

export function handleAttachment(ctx: RequestContext): void {
  const { config, exportJobs } = ctx.state;
  const [fileKey = '', name = ''] = ctx.pathParams;
  const job = exportJobs.getByFileKey(fileKey);
  const ready = job !== undefined && (exportJobs.phase(job) === 'complete' || usesManifestPages(ctx, job));
  const attachment = ready ? listExportOutput(job, config).attachments?.get(name) : undefined;
  // Fault FILE-07: attachment URLs answer 404 (the bytes they point to are not served).
  if (attachment === undefined || config.faults.has('attachment-url-404')) {
    sendError(ctx.res, NOT_FOUND);
    return;
  }
  const body = Buffer.from(attachment.text, 'utf8');
  ctx.res.statusCode = 200;
  ctx.res.setHeader('Content-Type', `${attachment.contentType}; charset=utf-8`);
  ctx.res.setHeader('Content-Length', body.length);
  ctx.res.end(body);
}
