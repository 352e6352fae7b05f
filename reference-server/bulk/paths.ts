/** URL paths of the bulk export pattern: built here and matched by the router. */

export const EXPORT_PATH = '/$export';
export const EXPORT_PATTERN = /^\/\$export$/;
export const STATUS_PATTERN = /^\/_async\/([^/]+)$/;
export const FILE_PATTERN = /^\/_files\/([^/]+)\/([^/]+)$/;

export function statusPath(jobId: string): string {
  return `/_async/${jobId}`;
}

export function filePath(fileKey: string, fileName: string): string {
  return `/_files/${fileKey}/${fileName}`;
}
