/**
 * The files a captured manifest lists: for each requested array (output, deleted, error,
 * outcome), every item with a string url, with its type and count. Items without an absolute
 * url are left out and named (the manifest checks judge their shape; URLs are never guessed).
 */
import type { ValidateFilesSpec } from '../model/scenario.js';
import type { FileTarget } from './validate-file.js';

export type ManifestFiles =
  | {
      ok: true;
      files: FileTarget[];
      skipped: string[];
      transactionTime: number | undefined;
      requiresAccessToken: boolean;
      organized: boolean;
      /** outputOrganizedBy, when it is a string. */
      organizedBy: string | undefined;
      /** Every `output` item's url and continuesInFile, by its index in the manifest ('' for an item without a url). */
      outputItems: { url: string; continuesInFile: string | undefined }[];
    }
  | { ok: false; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function readManifestFiles(captured: string | string[] | undefined, spec: ValidateFilesSpec): ManifestFiles {
  if (typeof captured !== 'string') return { ok: false, reason: captured === undefined ? 'was not captured' : 'holds a list, not the manifest JSON' };
  let manifest: unknown;
  try {
    manifest = JSON.parse(captured);
  } catch (e) {
    return { ok: false, reason: `is not JSON (${(e as Error).message})` };
  }
  if (!isObject(manifest)) return { ok: false, reason: 'is not a JSON object (a manifest)' };
  const files: FileTarget[] = [];
  const skipped: string[] = [];
  for (const list of spec.lists ?? ['output']) {
    const items = manifest[list];
    if (!Array.isArray(items)) continue;
    items.forEach((item: unknown, index) => {
      const url = isObject(item) ? item['url'] : undefined;
      if (typeof url !== 'string' || !/^https?:\/\/[^/]/i.test(url)) {
        skipped.push(`${list}[${index}] (no absolute url)`);
        return;
      }
      const type = isObject(item) && typeof item['type'] === 'string' ? item['type'] : undefined;
      files.push({ list, index, url, type, count: isObject(item) ? item['count'] : undefined });
    });
  }
  const limited = spec.maxFiles !== undefined && files.length > spec.maxFiles ? files.slice(0, spec.maxFiles) : files;
  if (limited.length < files.length) skipped.push(`${files.length - limited.length} file(s) over maxFiles ${spec.maxFiles}`);
  const time = typeof manifest['transactionTime'] === 'string' ? Date.parse(manifest['transactionTime']) : NaN;
  const output: unknown[] = Array.isArray(manifest['output']) ? manifest['output'] : [];
  const outputItems = output.map((item) => ({
    url: isObject(item) && typeof item['url'] === 'string' ? item['url'] : '',
    continuesInFile: isObject(item) && typeof item['continuesInFile'] === 'string' ? item['continuesInFile'] : undefined,
  }));
  return {
    ok: true,
    files: limited,
    skipped,
    transactionTime: Number.isNaN(time) ? undefined : time,
    requiresAccessToken: manifest['requiresAccessToken'] === true,
    organized: manifest['outputOrganizedBy'] !== undefined,
    organizedBy: typeof manifest['outputOrganizedBy'] === 'string' ? manifest['outputOrganizedBy'] : undefined,
    outputItems,
  };
}
