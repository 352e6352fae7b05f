/**
 * Closed JSON Schemas (draft-07, checked with ajv) for scenario files, the requirement
 * catalogue and target profiles. Unknown keys are errors everywhere.
 */

import { callbackProfileSchema } from '../callbacks/callback-config.js';
import { CAPABILITIES, FILE_CHECK_KINDS, MANIFEST_FILE_LISTS, SPEC_TAGS, STEP_AUTH_MODES } from '../model/scenario.js';
import { authProfileSchema } from '../auth/auth-profile.js';

const duration = { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?(ms|s|m)$' } as const;
const requirementId = { type: 'string', pattern: '^[A-Z][A-Z0-9]*-[0-9]{2,}$' } as const;
const identifier = { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$' } as const;
const variableName = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } as const;
const scalar = { type: ['string', 'number', 'boolean', 'null'] } as const;
const statusCode = { type: 'integer', minimum: 100, maximum: 599 } as const;
const level = { enum: ['SHALL', 'SHALL NOT', 'SHOULD', 'SHOULD NOT', 'MAY', 'proposal'] } as const;
const specTag = { enum: [...SPEC_TAGS] } as const;

export const SUBJECT_KEYS = ['status', 'header', 'json', 'body'] as const;
export const MATCHER_KEYS = [
  'equals', 'oneOf', 'matches', 'exists', 'absoluteUrl', 'mediaType', 'type', 'maxLengthBelow',
  'httpDate', 'retryAfter', 'fhirInstant', 'operationOutcome', 'minItems', 'ndjson', 'schema',
  'sameJsonAs',
  'contains', 'minimum', 'maximum', 'notPast',
] as const;

const statusRange = {
  type: 'object', additionalProperties: false, required: ['between'],
  properties: { between: { type: 'array', items: statusCode, minItems: 2, maxItems: 2 } },
} as const;

const statusMatcher = {
  oneOf: [
    statusCode,
    { type: 'array', items: { oneOf: [statusCode, statusRange] }, minItems: 1 },
    statusRange,
  ],
} as const;

const subjects = {
  header: { type: 'string', pattern: '^[A-Za-z0-9!#$%&\'*+.^_`|~-]+$' },
  json: { type: 'string', pattern: '^(/.*)?$' },
  body: { const: true },
} as const;

const matchers = {
  equals: scalar,
  oneOf: { type: 'array', items: scalar, minItems: 1 },
  matches: { type: 'string', minLength: 1 },
  exists: { type: 'boolean' },
  absoluteUrl: { const: true },
  mediaType: {
    oneOf: [
      { type: 'string', pattern: '^[^/\\s]+/[^/\\s;]+$' },
      { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[^/\\s]+/[^/\\s;]+$' } },
    ],
  },
  type: { enum: ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'] },
  maxLengthBelow: { type: 'integer', minimum: 1 },
  httpDate: { const: true },
  retryAfter: { const: true },
  fhirInstant: { const: true },
  operationOutcome: { const: true },
  minItems: { type: 'integer', minimum: 0 },
  sameJsonAs: {
    type: 'object', additionalProperties: false, required: ['variable'],
    properties: { variable: variableName, ignoreKeys: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, uniqueItems: true } },
  },
  ndjson: { const: true },
  schema: { type: 'string', pattern: '^(bulk-manifest(-v[1-4])?(/[A-Za-z]+)?|operation-outcome|batch-response-bundle|callback-parameters)$' },
  contains: scalar,
  minimum: { type: 'number' },
  maximum: { type: 'number' },
  notPast: duration,
} as const;

/** `when`: a status, and/or one subject with matchers (checked in semantic-checks.ts). */
const whenCondition = {
  type: 'object', additionalProperties: false, minProperties: 1,
  properties: { status: statusMatcher, ...subjects, ...matchers },
} as const;

const check = {
  type: 'object',
  additionalProperties: false,
  required: ['requirement'],
  properties: {
    requirement: requirementId,
    status: statusMatcher,
    ...subjects,
    ...matchers,
    appliesTo: { type: 'array', items: specTag, minItems: 1, uniqueItems: true },
    when: whenCondition,
    level: { enum: ['SHOULD', 'SHOULD NOT', 'MAY'] },
    optional: { type: 'boolean' },
    because: { type: 'string' },
    informational: { type: 'boolean' },
  },
} as const;

const checks = { type: 'array', items: check, minItems: 1 } as const;

const request = {
  type: 'object',
  additionalProperties: false,
  required: ['method'],
  properties: {
    method: { type: 'string', pattern: '^[A-Z]+$' },
    path: { type: 'string', minLength: 1 },
    url: { type: 'string', minLength: 1 },
    // A list is sent as separate header lines (e.g. two Prefer lines, PREFER-03).
    headers: {
      type: 'object',
      additionalProperties: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] },
    },
    query: {
      type: 'object',
      additionalProperties: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    },
    json: {},
    text: { type: 'string' },
  },
} as const;

const poll = {
  type: 'object',
  additionalProperties: false,
  required: ['while'],
  properties: {
    while: {
      type: 'object', additionalProperties: false, required: ['status'],
      properties: {
        status: { type: 'array', items: statusCode, minItems: 1 },
        header: {
          type: 'object', additionalProperties: false, required: ['name', 'matches'],
          properties: { name: { type: 'string', minLength: 1 }, matches: { type: 'string', minLength: 1 } },
        },
      },
    },
    timeout: duration,
    interval: duration,
    backoff: { type: 'number', minimum: 1, maximum: 10 },
    maxInterval: duration,
    maxPolls: { type: 'integer', minimum: 1 },
    expect: checks,
    retryAfterKept: requirementId,
    longPoll: {
      type: 'object', additionalProperties: false, required: ['wait', 'change', 'requirement'],
      properties: {
        wait: { type: 'string', pattern: '^[1-9][0-9]{0,3}s$' },
        change: { enum: ['completion', 'cancel'] },
        requirement: requirementId,
        cancelAfter: duration,
        slack: duration,
      },
    },
  },
} as const;

const capture = {
  type: 'object',
  propertyNames: variableName,
  additionalProperties: {
    oneOf: [
      {
        type: 'object', additionalProperties: false, required: ['header'],
        properties: { header: { type: 'string' }, optional: { type: 'boolean' } },
      },
      {
        type: 'object', additionalProperties: false, required: ['json'],
        properties: { json: { type: 'string', pattern: '^(/.*)?$' }, optional: { type: 'boolean' } },
      },
      {
        type: 'object', additionalProperties: false, required: ['body'],
        properties: { body: { const: true }, optional: { type: 'boolean' } },
      },
      { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { const: true } } },
    ],
  },
} as const;

const size = { type: 'string', pattern: '^[0-9]+(B|KiB|MiB|GiB)?$' } as const;

const validateFiles = {
  type: 'object',
  additionalProperties: false,
  required: ['manifest', 'checks'],
  properties: {
    manifest: variableName,
    lists: { type: 'array', items: { enum: [...MANIFEST_FILE_LISTS] }, minItems: 1, uniqueItems: true },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    elements: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
    maxProblems: { type: 'integer', minimum: 1, maximum: 1000 },
    maxFiles: { type: 'integer', minimum: 1 },
    sample: {
      type: 'object', additionalProperties: false,
      properties: {
        over: size,
        first: { type: 'integer', minimum: 0 },
        last: { type: 'integer', minimum: 0 },
        random: { type: 'integer', minimum: 0 },
      },
    },
    checks: {
      type: 'object', additionalProperties: false, minProperties: 1,
      properties: Object.fromEntries(FILE_CHECK_KINDS.map((k) => [k, requirementId])),
    },
  },
} as const;

const step = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: {
    id: identifier,
    title: { type: 'string' },
    request,
    validateFiles,
    waitCallback: {
      type: 'object', additionalProperties: false, required: ['for', 'requirement'],
      properties: { for: variableName, requirement: requirementId, timeout: duration, settle: duration, after: identifier },
    },
    // A poll may capture from its in-progress answers (the first that yields a value wins).
    poll: { ...poll, properties: { ...poll.properties, capture } },
    repeat: {
      type: 'object', additionalProperties: false, required: ['count'],
      properties: { count: { type: 'integer', minimum: 1, maximum: 100 }, interval: duration },
    },
    follow: {
      type: 'object', additionalProperties: false, required: ['next'],
      properties: { next: { type: 'string', pattern: '^/' }, max: { type: 'integer', minimum: 1, maximum: 100 }, expect: checks },
    },
    forEach: {
      type: 'object', additionalProperties: false, required: ['in', 'as'],
      properties: { in: variableName, as: variableName, max: { type: 'integer', minimum: 1 } },
    },
    expect: checks,
    capture,
    always: { type: 'boolean' },
    on429: { enum: ['retry', 'check'] },
    auth: { enum: [...STEP_AUTH_MODES] },
    onlyIf: {
      type: 'object', additionalProperties: false, required: ['variable'],
      properties: { variable: variableName, equals: { type: 'string' }, matches: { type: 'string', minLength: 1 }, notMatches: { type: 'string', minLength: 1 } },
    },
  },
} as const;

export const scenarioSchema = {
  $id: 'scenario',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'requirements', 'steps'],
  properties: {
    id: identifier,
    title: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    requirements: { type: 'array', items: requirementId, minItems: 1, uniqueItems: true },
    requires: { type: 'array', items: { enum: [...CAPABILITIES, ...SPEC_TAGS] }, minItems: 1, uniqueItems: true },
    appliesTo: { type: 'array', items: specTag, minItems: 1, uniqueItems: true },
    variables: { type: 'object', propertyNames: variableName, additionalProperties: { type: 'string' } },
    callbacks: {
      type: 'object', propertyNames: variableName, minProperties: 1,
      additionalProperties: { type: 'object', additionalProperties: false, properties: { respond: statusCode } },
    },
    steps: { type: 'array', items: step, minItems: 1 },
  },
} as const;

export const catalogueSchema = {
  $id: 'catalogue',
  type: 'object',
  additionalProperties: false,
  required: ['requirements'],
  properties: {
    requirements: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'level', 'summary', 'source'],
        properties: {
          id: requirementId,
          level,
          summary: { type: 'string', minLength: 1 },
          source: { type: 'string', minLength: 1 },
          notTested: { type: 'string', minLength: 1 },
          levels: {
            type: 'object', additionalProperties: false,
            properties: Object.fromEntries(SPEC_TAGS.map((t) => [t, level])),
          },
          appliesTo: { type: 'array', items: specTag, minItems: 1, uniqueItems: true },
          differences: { type: 'string', minLength: 1 },
        },
      },
    },
  },
} as const;

const relativePath = { type: 'string', pattern: '^/' } as const;

export const profileSchema = {
  $id: 'profile',
  type: 'object',
  additionalProperties: false,
  properties: {
    baseUrl: { type: 'string', pattern: '^https?://' },
    claims: { type: 'array', items: specTag, uniqueItems: true },
    capabilities: { type: 'array', items: { enum: [...CAPABILITIES] }, uniqueItems: true },
    paths: {
      type: 'object', additionalProperties: false,
      properties: {
        export: relativePath, patientExport: relativePath, groupExport: relativePath,
        search: relativePath, create: relativePath,
      },
    },
    groupId: { type: 'string', pattern: '^[A-Za-z0-9\\-.]{1,64}$' },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    vars: { type: 'object', propertyNames: variableName, additionalProperties: { type: 'string' } },
    callback: callbackProfileSchema,
    auth: authProfileSchema,
  },
} as const;
