/**
 * The scenario language, as loaded from `suites/<area>/<name>.yaml` after schema validation.
 * The JSON Schema in `src/scenario/schema.ts` is the authority; these types mirror it.
 */
import type { HeaderValue, RequirementLevel } from './results.js';

/**
 * What a target profile can claim; requirements and checks that name tags apply only when the
 * profile claims one of them. `bulk-v1`..`bulk-v4` are exclusive (one Bulk Data version).
 */
export const SPEC_TAGS = ['bulk-v1', 'bulk-v2', 'bulk-v3', 'bulk-v4', 'bundle', 'redirect', 'callback', 'longpoll', 'smart', 'client-isolation'] as const;
export type SpecTag = (typeof SPEC_TAGS)[number];

/**
 * What a scenario can `require` besides spec tags: operations the target offers (discovered from
 * /metadata or declared in the profile) and kick-off methods (GET for Bulk v1-v3, POST for v4);
 * `second-client`, `expired-token` and `scoped-client` are what the profile's `auth` can supply (src/auth/);
 * `unknown-status-url` and `deleted-resources` are what only the tester knows (src/app/claims.ts);
 * `tls`: the target base URL is https (AUTH-01).
 */
export const CAPABILITIES = ['export', 'patient-export', 'group-export', 'get-kickoff', 'post-kickoff', 'second-client', 'expired-token', 'callback-allow-list', 'unknown-status-url', 'deleted-resources', 'failing-job', 'organize-output-by', 'scoped-client', 'tls'] as const;
export type Capability = (typeof CAPABILITIES)[number] | SpecTag;

export interface Requirement {
  id: string;
  level: RequirementLevel;
  summary: string;
  source: string;
  /** Where spec versions word it differently: the level under each claimed tag. */
  levels?: Partial<Record<SpecTag, RequirementLevel>>;
  /** Applies only to targets claiming one of these; absent = every target. */
  appliesTo?: SpecTag[];
  /** How the sources and versions differ, in words. */
  differences?: string;
  /** Why a black-box test cannot check it (then no scenario is expected). */
  notTested?: string;
}

export interface Catalogue {
  file: string;
  requirements: Map<string, Requirement>;
}

/** A status code matcher: one code, a list of codes, or a range. */
/** A status code matcher: one code, a range, or a list mixing codes and ranges (202 or any 4XX). */
export type StatusRange = { between: [number, number] };
export type StatusMatcher = number | StatusRange | (number | StatusRange)[];

/** Value matchers; several in one check must all hold. */
export interface ValueMatchers {
  equals?: string | number | boolean | null;
  oneOf?: (string | number | boolean | null)[];
  /** ECMAScript regular expression source, matched against the string value (explicit, never implicit). */
  matches?: string;
  /** `true`: value must be present; `false`: must be absent. */
  exists?: boolean;
  /** Absolute http(s) URL, parseable with no base. */
  absoluteUrl?: boolean;
  /** Media type (type/subtype) compared case-insensitively, parameters such as charset ignored. */
  mediaType?: string | string[];
  /** JSON type of the value. */
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';
  /** String length strictly below this number. */
  maxLengthBelow?: number;
  /** Valid HTTP-date (IMF-fixdate, or the obsolete forms RFC 9110 says recipients accept). */
  httpDate?: boolean;
  /** Valid Retry-After: delay-seconds or HTTP-date. */
  retryAfter?: boolean;
  /** FHIR instant (with seconds and timezone). */
  fhirInstant?: boolean;
  /** Value is a FHIR OperationOutcome with at least one issue. */
  operationOutcome?: boolean;
  /** Array length at least this. */
  minItems?: number;
  /**
   * Equal to the JSON captured earlier as `variable` (key and array order aside), apart from the
   * `ignoreKeys`, dropped at any depth. When the variable was not captured (an optional capture
   * that found nothing) the check does not apply. `reference` is filled in by the runner.
   */
  sameJsonAs?: { variable: string; ignoreKeys?: string[]; reference?: string };
  /** An array with at least one item equal to this scalar (`${var}` allowed, like `equals`). */
  contains?: string | number | boolean | null;
  /** A number (or a header string that is one) at least / at most this. */
  minimum?: number;
  maximum?: number;
  /**
   * An HTTP-date not in the past: no earlier than the response's own `Date` header (else the time
   * the response arrived) minus this allowance for clock skew, a duration such as `5m`.
   */
  notPast?: string;
  /**
   * Valid against a named payload schema (src/validate/payload-schemas.ts): `bulk-manifest`
   * (version from the claimed bulk tag) or `bulk-manifest-v1`..`-v4`, optionally `/<field>` for one
   * field's value; `operation-outcome`, `batch-response-bundle`, `callback-parameters`.
   */
  schema?: string;
  /** Body is NDJSON: every non-empty line one JSON object with a `resourceType` (final newline optional). */
  ndjson?: boolean;
}

export type CheckSubject =
  | { kind: 'status' }
  | { kind: 'header'; name: string }
  | { kind: 'json'; pointer: string }
  | { kind: 'body' };

/** A `when` condition: a status, and/or a subject with matchers; every part given must hold. */
export interface WhenCondition extends ValueMatchers {
  status?: StatusMatcher;
  header?: string;
  json?: string;
  body?: true;
}

export interface Check extends ValueMatchers {
  requirement: string;
  /** For `status` subjects the matcher is stored here. */
  status?: StatusMatcher;
  header?: string;
  json?: string;
  body?: true;
  /** Only for targets claiming one of these tags (e.g. a Bulk v4 spelling of a field). */
  appliesTo?: SpecTag[];
  /**
   * Only applies when the response matches: its status, and/or one subject (header, JSON pointer
   * or body) satisfying matchers (e.g. "if the error body is an OperationOutcome, its media type is ...").
   */
  when?: WhenCondition;
  /**
   * Judge a miss at this level instead of the requirement's (only weaker ones): for the parts of a
   * requirement the spec words as SHOULD / SHOULD NOT (e.g. no output item for a type without data).
   */
  level?: 'SHOULD' | 'SHOULD NOT' | 'MAY';
  /** The subject may be absent; if absent the check passes ("not present; allowed"). */
  optional?: boolean;
  /** Free-text hint appended to failure messages. */
  because?: string;
  /**
   * A miss is only recorded (information), whatever the requirement's level: for behaviour the
   * sources allow either way (e.g. whether the unquoted callback-url form is accepted).
   */
  informational?: boolean;
  /** Source position of this check in the scenario file, for messages. */
  line?: number;
}

/** Where to capture a variable from; `optional`: leave it undefined instead of erroring when absent. */
export type Capture =
  | { header: string; optional?: boolean }
  | { json: string; optional?: boolean }
  | { body: true; optional?: boolean }
  | { status: true };

export interface RequestSpec {
  method: string;
  /** Path relative to the target base URL (may contain ${vars}). */
  path?: string;
  /** Absolute URL (may contain ${vars}). */
  url?: string;
  /** A list value is sent as separate header lines (HeaderValue). */
  headers?: Record<string, HeaderValue>;
  query?: Record<string, string | string[]>;
  json?: unknown;
  text?: string;
}

export interface PollSpec {
  /** Keep polling while the response status is one of these. */
  while: {
    status: number[];
    /** Also keep polling while this header matches (e.g. X-Export-Status `^202` under separate-export-status). */
    header?: { name: string; matches: string };
  };
  /** Captured from the in-progress responses: the first that yields a value wins (e.g. a partial manifest). */
  capture?: Record<string, Capture>;
  /** Whole polling deadline, e.g. `60s`. */
  timeout?: string;
  /** Wait when the server sends no Retry-After; grows by `backoff` each time. */
  interval?: string;
  backoff?: number;
  /** Longest wait between polls, whatever Retry-After says. */
  maxInterval?: string;
  maxPolls?: number;
  /** Checks made on every in-progress response (those matching `while`). */
  expect?: Check[];
  /** Poll with `Prefer: wait=N` and time the held requests (see src/longpoll/). */
  longPoll?: LongPollSpec;
  /**
   * Cited when the server breaks its own Retry-After: a 429 to a poll sent after waiting at least
   * what the previous answer's Retry-After asked (delay-seconds, or an HTTP-date against that
   * answer's Date header) is a miss; judged only for polls that kept such a wait.
   */
  retryAfterKept?: string;
}

/**
 * Long polling (HS proposal): every poll carries `Prefer: wait=N`; meanwhile the job changes
 * (`completion`: ordinary polls watch for it; `cancel`: the step DELETEs the URL after
 * `cancelAfter`). A request still held `slack` after the change fails `requirement`; a server
 * that holds nothing is reported as not supporting long polling (information).
 */
export interface LongPollSpec {
  /** Whole seconds, e.g. `5s`: sent as `Prefer: wait=5`; keep it below --request-timeout. */
  wait: string;
  change: 'completion' | 'cancel';
  /** Cited by the timing check. */
  requirement: string;
  /** `cancel`: how long after the first held request the DELETE is sent (default 50ms). */
  cancelAfter?: string;
  /** How late after the change a held request may still be answered (default 1s). */
  slack?: string;
}

/** A callback endpoint of a scenario: `respond` is what the receiver answers (default 204). */
export interface CallbackEndpointSpec {
  respond?: number;
}

/**
 * Wait for the callback on a declared endpoint, then check what arrived (see
 * src/callbacks/callback-view.ts for the JSON view that `expect` and `capture` see).
 */
export interface WaitCallbackSpec {
  /** A name under the scenario's `callbacks` (the variable holding its URL). */
  for: string;
  /** Cited by the built-in check "exactly one request arrived". */
  requirement: string;
  /** Deadline for the first request, from the step's start (default 10s). */
  timeout?: string;
  /** How long to keep listening after the first request, for duplicates and retries (default 1s). */
  settle?: string;
  /** An earlier step whose final answer showed the job done (or cancelled): latency figures are measured from it. */
  after?: string;
}

/** What a `validateFiles` step can check in every downloaded file; each kind cites its requirement. */
export const FILE_CHECK_KINDS = ['status', 'contentType', 'encoding', 'ndjson', 'resource', 'type', 'count', 'unique', 'lastUpdated', 'elements', 'organized', 'attachments', 'deletedNotInOutput'] as const;
export type FileCheckKind = (typeof FILE_CHECK_KINDS)[number];
export const MANIFEST_FILE_LISTS = ['output', 'deleted', 'error', 'outcome'] as const;

/** Stream every file a captured manifest lists and validate it line by line (see src/validate/). */
export interface ValidateFilesSpec {
  /** Variable holding the manifest JSON (capture the completion body with `{ body: true }`). */
  manifest: string;
  /** Manifest arrays whose files are fetched (default [output]); `outcome` is Bulk Data v4's `error`. */
  lists?: (typeof MANIFEST_FILE_LISTS)[number][];
  /** Headers of every file request (default `Accept: application/fhir+ndjson`). */
  headers?: Record<string, string>;
  /** The `_elements` the kick-off sent (for the `elements` check). */
  elements?: string[];
  /** Problems listed per file and check (default 5); the rest are counted. */
  maxProblems?: number;
  /** Fetch at most this many files (default: all). */
  maxFiles?: number;
  /** Quick runs only (--quick): files over `over` bytes are sampled (first, last and random lines). */
  sample?: { over?: string; first?: number; last?: number; random?: number };
  /** What to check, each kind citing the requirement it verifies; kinds not listed are not checked. */
  checks: Partial<Record<FileCheckKind, string>>;
}

/**
 * Which credentials a step's request carries (default `primary` when the profile configures auth):
 * none, the profile's client, its second client, a token that has expired, a malformed one, or the
 * narrowly scoped client's (`auth.scopedClient`, AUTH-06).
 */
export const STEP_AUTH_MODES = ['none', 'primary', 'secondary', 'expired', 'malformed', 'scoped'] as const;
export type StepAuth = (typeof STEP_AUTH_MODES)[number];

export interface Step {
  id: string;
  title?: string;
  /** Absent only on a `validateFiles` step. */
  request?: RequestSpec;
  validateFiles?: ValidateFilesSpec;
  /** A step without a request: wait for a callback (src/callbacks/). */
  waitCallback?: WaitCallbackSpec;
  poll?: PollSpec;
  /** Run the request once per item of a captured list, binding each to `as`. */
  forEach?: { in: string; as: string; max?: number };
  /**
   * After the final answer, follow the URL at JSON pointer `next` (e.g. a manifest's `/link/0/url`)
   * page by page, at most `max` pages (default 20), checking each page with `expect`.
   */
  follow?: { next: string; max?: number; expect?: Check[] };
  /** Send the same request `count` times, `interval` apart (default: back to back), checking each. */
  repeat?: { count: number; interval?: string };
  expect?: Check[];
  capture?: Record<string, Capture>;
  /**
   * A 429 answer is normally waited out (Retry-After honoured) and the request sent again, since
   * throttling is pacing, not a verdict; `check` judges the 429 itself (tests of 429 behaviour).
   */
  on429?: 'retry' | 'check';
  /** Run even when an earlier step failed (clean-up, e.g. DELETE). Never blocks later steps. */
  always?: boolean;
  /** Credentials of the request (see STEP_AUTH_MODES). */
  auth?: StepAuth;
  /** Run only when a captured variable has this value (e.g. requiresAccessToken `false`); else skipped with the reason. */
  /**
   * `equals`: the captured value is exactly this; `matches` / `notMatches`: it does / does not match
   * this regular expression (an uncaptured variable counts as the empty string).
   */
  onlyIf?: { variable: string; equals?: string; matches?: string; notMatches?: string };
  line?: number;
}

export interface Scenario {
  id: string;
  title: string;
  description?: string;
  requirements: string[];
  /** Capabilities or claims the target must have; otherwise skipped with the reason. */
  requires?: Capability[];
  /** Runs only for targets claiming one of these (e.g. a Bulk Data v3/v4 feature); otherwise skipped with the reason. */
  appliesTo?: SpecTag[];
  variables?: Record<string, string>;
  /** Callback endpoints: each name becomes a variable holding a fresh, unguessable receiver URL. */
  callbacks?: Record<string, CallbackEndpointSpec>;
  steps: Step[];
  /** Where it came from. */
  file: string;
  area: string;
}
