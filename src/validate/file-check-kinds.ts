/** What each `validateFiles` check kind verifies, in words, and the levels fixed by the spec text itself. */
import type { RequirementLevel } from '../model/results.js';
import type { FileCheckKind } from '../model/scenario.js';
import { NDJSON_MEDIA_TYPE } from './validate-file.js';

const EXPECTED: Record<FileCheckKind, string> = {
  status: 'answering 200',
  contentType: `served as ${NDJSON_MEDIA_TYPE} (parameters such as charset allowed)`,
  encoding: 'with a Content-Encoding that matches the body (a compressed body says so; gzip, deflate or br)',
  ndjson: 'holding one JSON object with a resourceType on each non-empty line',
  resource: 'holding resources each valid against the FHIR R4 JSON Schema of its resourceType',
  type: "holding only resources of the manifest item's type",
  count: "holding as many resource lines as the manifest item's count (when given)",
  unique: 'holding no resourceType/id that appeared before in the output files',
  lastUpdated: 'holding no resource whose meta.lastUpdated is after the manifest transactionTime',
  elements: 'holding only the requested _elements (plus resourceType, id, meta and mandatory elements; complex elements judged)',
  organized:
    "organized in blocks (outputOrganizedBy): starting with a Parameters header whose header parameter references the organizing resource, a block continued in another file repeated there and named by continuesInFile",
  deletedNotInOutput: 'listing as deleted no resource that also appears in the output files',
  attachments:
    "holding Attachments whose url (when used without data) is absolute and answers 2XX (a sample of distinct URLs fetched, with the access token only when requiresAccessToken)",
};

/** Kinds whose level the spec states apart from the requirement's main level. */
export const KIND_LEVEL: Partial<Record<FileCheckKind, RequirementLevel>> = {
  // Bulk Data: resources modified after transactionTime "SHOULD NOT" be included (MAN-01 differences).
  lastUpdated: 'SHOULD NOT',
  // Bulk Data _elements: the server "SHOULD omit unlisted, non-mandatory elements".
  elements: 'SHOULD',
};

export function describeKind(kind: FileCheckKind): string {
  return EXPECTED[kind];
}
