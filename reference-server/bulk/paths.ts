/** URL paths of the bulk export pattern: built here and matched by the router. */

export const EXPORT_PATH = '/$export';
export const EXPORT_PATTERN = /^\/\$export$/;
/** `[base]/Patient/$export`: all patients. */
export const PATIENT_EXPORT_PATTERN = /^\/Patient\/\$export$/;
/** `[base]/Group/[id]/$export`: the members of one Group (capture: the id). */
export const GROUP_EXPORT_PATTERN = /^\/Group\/([^/]+)\/\$export$/;
export const STATUS_PATTERN = /^\/_async\/([^/]+)$/;
export const FILE_PATTERN = /^\/_files\/([^/]+)\/([^/]+)$/;
/** A manifest page after the first (allowPartialManifests; captures: the file key, the page index). */
export const MANIFEST_PAGE_PATTERN = /^\/_manifest\/([^/]+)\/([1-9][0-9]{0,5})$/;

export function statusPath(jobId: string): string {
  return `/_async/${jobId}`;
}

export function filePath(fileKey: string, fileName: string): string {
  return `/_files/${fileKey}/${fileName}`;
}

export function manifestPagePath(fileKey: string, index: number): string {
  return `/_manifest/${fileKey}/${index}`;
}
