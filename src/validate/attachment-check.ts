/**
 * The `attachments` check of `validateFiles` (FILE-07): every Attachment in the exported
 * resources that has a `url` and no `data` must carry an absolute URL that can be dereferenced.
 * Lines are scanned as they stream (only resource types whose schema holds an Attachment are
 * looked into); a bounded sample of distinct http(s) URLs is fetched after the files, with the
 * same credential rule as the files: the access token only when the manifest says
 * `requiresAccessToken: true`. A 3XX with a Location is followed (at most MAX_REDIRECTS hops;
 * the Authorization header is dropped when the origin changes); a 2XX answer passes.
 */
import { describeError, openFile, type OpenFileOptions } from './file-download.js';
import { AttachmentPaths, readAttachments } from './attachment-paths.js';
import type { ProblemLog } from './problem-log.js';

export const DEFAULT_ATTACHMENT_SAMPLE = 10;
const MAX_REDIRECTS = 3;
const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const HTTP = /^https?:\/\/[^/]/i;

/** One sampled URL and where it was found (for the failure message and the file's problem log). */
export interface SampledAttachment {
  url: string;
  where: string;
  log: ProblemLog;
}

export class AttachmentCollector {
  private readonly paths: AttachmentPaths;
  private readonly seen = new Set<string>();
  readonly sample: SampledAttachment[] = [];
  /** Attachments with a url (and no data) found in the output. */
  found = 0;

  constructor(
    private readonly redact: (text: string) => string,
    private readonly maxSample = DEFAULT_ATTACHMENT_SAMPLE,
  ) {
    this.paths = new AttachmentPaths();
  }

  /** Look into one parsed resource (line `n` of a file whose problems go to `log`). */
  visit(resource: Record<string, unknown>, type: string, name: string, n: number, log: ProblemLog, fileLabel: string): void {
    const paths = this.paths.pathsFor(type);
    if (paths.length === 0) return;
    for (const path of paths) {
      for (const attachment of readAttachments(resource, path)) {
        if (attachment === null || typeof attachment !== 'object') continue;
        const { url, data } = attachment as { url?: unknown; data?: unknown };
        // The IG's SHALL covers a url used without data.
        if (typeof url !== 'string' || data !== undefined) continue;
        this.found += 1;
        const at = `line ${n}: ${name} ${path.join('.')}.url`;
        if (!ABSOLUTE.test(url)) {
          log.add('attachments', `${at} ${JSON.stringify(this.redact(url))} is not an absolute URL`);
        } else if (HTTP.test(url) && !this.seen.has(url) && this.sample.length < this.maxSample) {
          this.seen.add(url);
          this.sample.push({ url, where: `${at} of ${fileLabel}`, log });
        }
      }
    }
  }
}

export interface DereferenceOptions {
  /** Headers for the first request: Accept and, when requiresAccessToken, the Authorization the files got. */
  headers: OpenFileOptions['headers'];
  signal: AbortSignal;
  stallTimeoutMs: number;
  redact(text: string): string;
  /** The run's dispatcher (its trust anchors for https); default undici's global one. */
  dispatcher?: OpenFileOptions['dispatcher'];
}

/** Fetch one attachment URL; undefined when it answered 2XX, else what went wrong. */
export async function dereferenceAttachment(url: string, opts: DereferenceOptions): Promise<string | undefined> {
  let target = url;
  let headers = opts.headers;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const opened = await openFile({ url: target, headers, signal: opts.signal, stallTimeoutMs: opts.stallTimeoutMs, ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}) });
    if (!opened.ok) return `GET ${opts.redact(target)}: ${opened.error}`;
    const { status, headers: got, body } = opened.file;
    // Only the answer matters, not the bytes: stop reading (the abort this causes is expected).
    body.on('error', () => undefined);
    body.destroy();
    if (status >= 200 && status < 300) return undefined;
    const location = got['location'];
    if (status < 300 || status >= 400 || location === undefined) return `GET ${opts.redact(target)} answered ${status}, not 200 with the attachment's content`;
    let next: URL;
    try {
      next = new URL(location, target);
    } catch (e) {
      return `GET ${opts.redact(target)} answered ${status} with an invalid Location (${describeError(e, { url: target, signal: opts.signal, stallTimeoutMs: opts.stallTimeoutMs })})`;
    }
    if (next.origin !== new URL(target).origin) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
    target = next.href;
  }
  return `GET ${opts.redact(url)}: more than ${MAX_REDIRECTS} redirects`;
}
