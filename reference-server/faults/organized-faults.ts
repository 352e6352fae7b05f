/**
 * Faults of organized output (`organizeOutputBy`, the 4.0 shape only) and of the attachments in
 * exported resources. The organized faults show only when a kick-off sends organizeOutputBy
 * (the self-test runs them with `server: { bulkVersion: v4 }`).
 */
export const ORGANIZED_FAULTS = [
  {
    name: 'output-organized-by-missing',
    requirement: 'MAN-10',
    description: 'An export with organizeOutputBy=Patient is organized in Patient blocks, but the manifest has no outputOrganizedBy.',
  },
  {
    name: 'continued-block-header-not-repeated',
    requirement: 'FILE-09',
    description: 'A block that continues in the next file does not repeat its Parameters header at the start of that file.',
  },
  {
    name: 'continues-in-file-missing',
    requirement: 'FILE-09',
    description: 'A block continues in the next file (header repeated there), but the manifest item has no continuesInFile.',
  },
  {
    name: 'organized-header-not-reference',
    requirement: 'FILE-09',
    description: 'The header parameter of each block carries the Patient id as valueString instead of a valueReference to the Patient.',
  },
  {
    name: 'attachment-relative-url',
    requirement: 'FILE-07',
    description: 'DocumentReference.content.attachment.url in the export is a relative path (/_files/<key>/attachment-...) with no data.',
  },
  {
    name: 'attachment-url-404',
    requirement: 'FILE-07',
    description: 'The attachment URLs of exported DocumentReferences answer 404.',
  },
] as const;
