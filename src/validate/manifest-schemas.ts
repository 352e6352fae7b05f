/**
 * JSON Schemas of the Bulk Data completion manifest, one per version (v1 = 1.0, v2 = 2.0,
 * v3 = 3.0 (STU3 ballot), v4 = 4.0 / BulkDataManifest.fsh). Open where the spec is open (a
 * server may add fields), closed where it defines a shape (a link's relation is `next`).
 * Every property carries the catalogue requirement it belongs to, which problem messages quote.
 */
import type { AnySchemaObject } from 'ajv';

export const MANIFEST_VERSIONS = ['v1', 'v2', 'v3', 'v4'] as const;
export type ManifestVersion = (typeof MANIFEST_VERSIONS)[number];

/** The fields a `bulk-manifest[-vN]/<field>` schema name can address. */
export const MANIFEST_FIELDS = [
  'transactionTime', 'request', 'requiresAccessToken', 'output', 'deleted', 'error', 'outcome',
  'extension', 'link', 'outputOrganizedBy', 'outputOrganizedByDetail',
] as const;
export type ManifestField = (typeof MANIFEST_FIELDS)[number];

/** Which requirement each top-level field belongs to (for messages). */
export const FIELD_REQUIREMENT: Record<ManifestField, string> = {
  transactionTime: 'MAN-01', request: 'MAN-02', requiresAccessToken: 'MAN-03', output: 'MAN-04',
  deleted: 'MAN-05', error: 'MAN-06', outcome: 'MAN-06', extension: 'MAN-08', link: 'MAN-09',
  outputOrganizedBy: 'MAN-10', outputOrganizedByDetail: 'MAN-10',
};

const INSTANT = '^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$';

const instant = { type: 'string', pattern: INSTANT } as const;
const absoluteUrl = { type: 'string', pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s]+' } as const;
const resourceType = { type: 'string', pattern: '^[A-Z][A-Za-z]+$' } as const;
const count = { type: 'integer', minimum: 0 } as const;
/** v1-v3: a pre-coordinated JSON object; v4: FHIR Extension elements. */
const objectExtension = { type: 'object' } as const;
const fhirExtensions = { type: 'array', items: { type: 'object', required: ['url'], properties: { url: { type: 'string', minLength: 1 } } } } as const;

function fileItem(version: ManifestVersion, typeRequired: boolean): AnySchemaObject {
  const v4 = version === 'v4';
  return {
    type: 'object',
    required: typeRequired ? ['type', 'url'] : ['url'],
    properties: {
      type: resourceType,
      url: absoluteUrl,
      count,
      ...(version === 'v1' ? {} : { extension: v4 ? fhirExtensions : objectExtension }),
      ...(version === 'v3' || v4 ? { continuesInFile: absoluteUrl } : {}),
      ...(v4 ? { fileSize: count } : {}),
    },
  };
}

const fileList = (version: ManifestVersion, typeRequired: boolean): AnySchemaObject => ({ type: 'array', items: fileItem(version, typeRequired) });

const link = {
  type: 'array',
  items: {
    type: 'object', required: ['relation', 'url'],
    properties: { relation: { const: 'next' }, url: absoluteUrl },
  },
} as const;

/** The manifest schema of one Bulk Data version. */
export function buildManifestSchema(version: ManifestVersion): AnySchemaObject {
  const organized = version === 'v3' || version === 'v4';
  const properties: Record<string, unknown> = {
    transactionTime: instant,
    request: { type: 'string', minLength: 1 },
    requiresAccessToken: { type: 'boolean' },
    output: fileList(version, !organized),
    error: fileList(version, false),
    extension: version === 'v4' ? fhirExtensions : objectExtension,
  };
  if (version !== 'v1') properties['deleted'] = fileList(version, false);
  if (organized) {
    properties['link'] = link;
    properties['outputOrganizedBy'] = resourceType;
  }
  if (version === 'v4') {
    properties['outcome'] = fileList(version, false);
    properties['outputOrganizedByDetail'] = {};
  }
  const dependencies = version === 'v4' ? { dependencies: { outputOrganizedByDetail: ['outputOrganizedBy'] } } : {};
  const required = version === 'v4' ? ['transactionTime', 'requiresAccessToken'] : ['transactionTime', 'request', 'requiresAccessToken', 'output', 'error'];
  const schema: AnySchemaObject = { $id: `bulk-manifest-${version}`, type: 'object', required, properties, ...dependencies };
  if (organized) {
    // Without outputOrganizedBy every output item names its one resource type (MAN-04).
    schema['if'] = { not: { required: ['outputOrganizedBy'] } };
    schema['then'] = { properties: { output: { items: { required: ['type'] } } } };
  }
  return schema;
}
