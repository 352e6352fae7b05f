/**
 * Which export file URLs need the access token, learnt from the manifests the run has seen:
 * every `url` in `output`, `error` (v4 `outcome`) and `deleted` of a manifest whose
 * `requiresAccessToken` is a boolean gets that boolean. URLs are compared in their normalised
 * (WHATWG) form. Bounded: the oldest entries go first.
 */
import type { HttpResponse } from '../http/client.js';

const LISTS = ['output', 'error', 'outcome', 'deleted'] as const;
const MAX_URLS = 100_000;
const JSON_TYPES = /^application\/(fhir\+)?json$/i;

function normalise(url: string): string | undefined {
  try {
    return new URL(url).href;
  } catch {
    return undefined;
  }
}

export class FileTokenPolicy {
  private readonly urls = new Map<string, boolean>();

  /** true: send the token; false: never send it (a capability URL); undefined: not a listed file. */
  requiresToken(url: string): boolean | undefined {
    const key = normalise(url);
    return key === undefined ? undefined : this.urls.get(key);
  }

  /** Records the file URLs of a manifest (a 200 JSON body with a boolean requiresAccessToken). */
  observe(res: HttpResponse): void {
    const mediaType = (res.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    if (res.status !== 200 || !JSON_TYPES.test(mediaType) || res.body.length === 0) return;
    let manifest: unknown;
    try {
      manifest = JSON.parse(res.body.toString('utf8')) as unknown;
    } catch {
      return;
    }
    if (manifest === null || typeof manifest !== 'object') return;
    const record = manifest as Record<string, unknown>;
    const requires = record['requiresAccessToken'];
    if (typeof requires !== 'boolean') return;
    for (const list of LISTS) {
      const items = record[list];
      if (!Array.isArray(items)) continue;
      for (const item of items) {
        const url = (item as { url?: unknown } | null)?.url;
        // Relative URLs (a MAN-04 failure) are never followed, so only absolute ones are recorded.
        const key = typeof url === 'string' && /^https?:\/\//i.test(url) ? normalise(url) : undefined;
        if (key !== undefined) this.remember(key, requires);
      }
    }
  }

  private remember(key: string, requires: boolean): void {
    if (this.urls.size >= MAX_URLS) this.urls.delete(this.urls.keys().next().value ?? '');
    this.urls.set(key, requires);
  }
}
