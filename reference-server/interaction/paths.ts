/** URL paths of the REST interactions and of their asynchronous results: built here, matched by the router. */
import { STORE_TYPES } from '../fhir-store.js';

const TYPES = STORE_TYPES.join('|');

/** `POST /` (batch / transaction). */
export const SYSTEM_PATTERN = /^\/$/;
/** `GET /[type]` (search), `POST /[type]` (create). */
export const TYPE_PATTERN = new RegExp(`^/(${TYPES})$`);
/** `GET /[type]/[id]` (read); the id syntax keeps `/Patient/$export` out. */
export const INSTANCE_PATTERN = new RegExp(`^/(${TYPES})/([A-Za-z0-9.-]{1,64})$`);
/** `POST /$reindex`. */
export const REINDEX_PATTERN = /^\/\$reindex$/;
/** Redirect-mode result URL. */
export const RESULT_PATTERN = /^\/_result\/([^/]+)$/;
/** NDJSON output of a search run in the bulk pattern (`_outputFormat`). */
export const OUTPUT_PATTERN = /^\/_output\/([^/]+)\/([^/]+)$/;

export function resultPath(resultKey: string): string {
  return `/_result/${resultKey}`;
}

export function outputPath(resultKey: string, fileName: string): string {
  return `/_output/${resultKey}/${fileName}`;
}
