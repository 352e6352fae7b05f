/**
 * Partial and paged manifests: `allowPartialManifests=true` (Bulk Data v3/v4; the 4.0 shape only).
 * The job's output files are cut into pages of PAGE_OUTPUT_FILES files in manifest order; `deleted`
 * files go on the last page, and the `error` (4.0: `outcome`) files and every other field are the
 * same on every page (MAN-09 in both v3's and v4's wording). Page k of N becomes available at
 * `k/N` of the job's run (page 0 at once), and with it its files (STATUS-06: a manifest lists only
 * files that can be fetched). A page never changes once available, except that it gains
 * `link: [{ relation: 'next', url }]` once the next page is available. The status URL answers page
 * 0: as a partial manifest on 202 while the job runs, as the manifest on 200 once it is done; the
 * other pages are served at `/_manifest/<file key>/<k>`.
 */
import type { ExportJob, RequestContext } from '../context.js';
import { PLAIN_JSON, sendError, sendJson } from '../http-util.js';
import type { ExportFile, ExportOutput } from './export-output.js';
import { listExportOutput } from './export-output.js';
import { buildManifest, type BulkManifest } from './manifest.js';
import { manifestPagePath } from './paths.js';

/** Output files per manifest page. */
export const PAGE_OUTPUT_FILES = 2;

interface ManifestPage {
  output: readonly ExportFile[];
  deleted: readonly ExportFile[];
}

/** True when the job asked for partial manifests and its pages can be served (it did not fail). */
export function usesManifestPages(ctx: RequestContext, job: ExportJob): boolean {
  return job.payload.allowPartialManifests === true && listExportOutput(job, ctx.state.config).failure === undefined;
}

function splitPages(files: ExportOutput): ManifestPage[] {
  const pages: ManifestPage[] = [];
  for (let i = 0; i < files.output.length; i += PAGE_OUTPUT_FILES) {
    pages.push({ output: files.output.slice(i, i + PAGE_OUTPUT_FILES), deleted: [] });
  }
  if (pages.length === 0) pages.push({ output: [], deleted: [] });
  const last = pages.length - 1;
  pages[last] = { output: pages[last]?.output ?? [], deleted: files.deleted };
  return pages;
}

/** When page `index` of `count` becomes available (ms since the epoch, on the server's clock). */
function pageReadyAt(job: ExportJob, index: number, count: number): number {
  return job.createdAt + Math.floor((job.durationMs * index) / count);
}

function pagesOf(ctx: RequestContext, job: ExportJob): ManifestPage[] {
  return splitPages(listExportOutput(job, ctx.state.config));
}

/** How many pages are available now (0 only for a job with no pages). */
export function countAvailablePages(ctx: RequestContext, job: ExportJob): number {
  const pages = pagesOf(ctx, job);
  const now = ctx.state.config.clock.now();
  return pages.filter((_, k) => now >= pageReadyAt(job, k, pages.length)).length;
}

/**
 * Can this file be fetched yet? Files of an export without partial manifests only once the job is
 * complete; with them, as soon as the page listing them is available (error/outcome files at once).
 */
export function isFileReady(ctx: RequestContext, job: ExportJob, fileName: string): boolean {
  const { exportJobs, config } = ctx.state;
  if (exportJobs.phase(job) === 'complete') return true;
  // Fault STATUS-06: a partial manifest lists files that cannot be fetched until the job completes.
  if (!usesManifestPages(ctx, job) || config.faults.has('partial-manifest-file-not-ready')) return false;
  const files = listExportOutput(job, ctx.state.config);
  if (files.error.some((f) => f.name === fileName)) return true;
  const pages = pagesOf(ctx, job);
  const index = pages.findIndex((p) => [...p.output, ...p.deleted].some((f) => f.name === fileName));
  return index >= 0 && ctx.state.config.clock.now() >= pageReadyAt(job, index, pages.length);
}

/** Page `index` as it stands now, or undefined when it does not exist or is not available yet. */
export function buildManifestPage(ctx: RequestContext, job: ExportJob, index: number): BulkManifest | undefined {
  const { config } = ctx.state;
  const files = listExportOutput(job, config);
  const pages = splitPages(files);
  const page = pages[index];
  const available = countAvailablePages(ctx, job);
  if (page === undefined || index >= available) return undefined;
  const requiresAccessToken = config.auth?.requiresAccessToken ?? false;
  const manifest = buildManifest({
    job,
    files: { output: page.output, deleted: page.deleted, error: files.error, failure: undefined },
    baseUrl: ctx.baseUrl,
    faults: config.faults,
    version: config.bulkVersion,
    requiresAccessToken,
  });
  // Fault MAN-09: the link to the next page has a relation other than `next`.
  const relation = config.faults.has('manifest-link-relation-not-next') ? 'next-page' : 'next';
  if (index + 1 < available) manifest.link = [{ relation, url: `${ctx.baseUrl}${manifestPagePath(job.fileKey, index + 1)}` }];
  // Fault MAN-09: a linked page leaves out transactionTime, which every page must repeat.
  if (index > 0 && config.faults.has('manifest-page-without-transaction-time')) return withoutTransactionTime(manifest);
  return manifest;
}

function withoutTransactionTime(manifest: BulkManifest): BulkManifest {
  const { transactionTime: _dropped, ...rest } = manifest;
  return rest as BulkManifest;
}

/** `GET /_manifest/<file key>/<k>`: page k (k >= 1) of a paged manifest, once it is available; else 404. */
export function handleManifestPage(ctx: RequestContext): void {
  const { exportJobs } = ctx.state;
  const [fileKey = '', index = ''] = ctx.pathParams;
  const job = exportJobs.getByFileKey(fileKey);
  const page = job !== undefined && usesManifestPages(ctx, job) ? buildManifestPage(ctx, job, Number(index)) : undefined;
  if (page === undefined) {
    sendError(ctx.res, { status: 404, code: 'not-found', diagnostics: 'no manifest page at this URL (unknown, not available yet, expired or deleted)' });
    return;
  }
  sendJson(ctx.res, 200, page, { contentType: PLAIN_JSON, headers: { 'Cache-Control': 'no-store' } });
}
