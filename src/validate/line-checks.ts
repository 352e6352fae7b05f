/**
 * The checks made on each NDJSON line of one file: one JSON object with a resourceType
 * (`ndjson`), valid against the FHIR R4 schema (`resource`), of the manifest item's type
 * (`type`), no resourceType/id seen before in the export (`unique`), meta.lastUpdated not after
 * transactionTime (`lastUpdated`), only the requested `_elements` (`elements`), Parameters-headed
 * blocks of organized output (`organized`), Attachment URLs (`attachments`). Problems go to
 * the file's ProblemLog with line numbers; nothing here throws for bad content.
 */
import type { FileCheckKind } from '../model/scenario.js';
import type { AttachmentCollector } from './attachment-check.js';
import type { OrganizedFileState, OrganizedOutput } from './organized-output.js';
import { parseInstant } from './fast-instant.js';
import type { FhirResourceValidator } from './fhir-r4-schema.js';
import type { ProblemLog } from './problem-log.js';
import type { ResourceKeySet } from './resource-key-set.js';

/** Where `unique` puts each resource's key: the export's ResourceKeySet, or a batch's recorder. */
export interface ResourceKeySink {
  /** Returns the ordinal of an earlier resource with the same key, when one is known. */
  addResource(type: string, id: string, ordinal: number): number | undefined;
}

export interface LineCheckContext {
  kinds: ReadonlySet<FileCheckKind>;
  /** The manifest item's type, when it has one. */
  itemType: string | undefined;
  /** Epoch ms of the manifest's transactionTime, when it parses. */
  transactionTime: number | undefined;
  /** Shared across the export's output files (the `unique` check); a worker records hashes instead. */
  keys: ResourceKeySink | undefined;
  /** This file's first line as an export-wide ordinal minus one. */
  ordinalBase: number;
  /** Where an export-wide ordinal is: `line 7 of <url>`. */
  locate(ordinal: number): string;
  fhir: FhirResourceValidator | undefined;
  elements: ElementRule | undefined;
  /** Organized output (outputOrganizedBy) and this file's part in it: the `organized` check. */
  organized?: { output: OrganizedOutput; file: OrganizedFileState } | undefined;
  /** The `attachments` check; `fileLabel` names the file in its messages. */
  attachments?: AttachmentCollector | undefined;
  fileLabel?: string;
  /**
   * The output files' resourceType/id keys, on a file of the manifest's `deleted` list: every
   * DELETE entry's resource must be absent from them (`deletedNotInOutput`).
   */
  deletedAgainst?: ResourceKeySet | undefined;
  log: ProblemLog;
}

/** `_elements` as sent: `element` (every type) or `Type.element`. */
export class ElementRule {
  private readonly byType = new Map<string, Set<string>>();
  private readonly everyType = new Set<string>();

  constructor(readonly selectors: readonly string[]) {
    for (const s of selectors) {
      const dot = s.indexOf('.');
      if (dot === -1) this.everyType.add(s);
      else {
        const type = s.slice(0, dot);
        const set = this.byType.get(type) ?? new Set<string>();
        set.add(s.slice(dot + 1));
        this.byType.set(type, set);
      }
    }
  }

  /** The elements listed for this type, or undefined when none applies (the resource is then whole). */
  listedFor(type: string): ReadonlySet<string> | undefined {
    const own = this.byType.get(type);
    if (own === undefined && this.everyType.size === 0) return undefined;
    return new Set([...this.everyType, ...(own ?? [])]);
  }
}

const ALWAYS_KEPT = new Set(['resourceType', 'id', 'meta']);

export function isBlank(line: string): boolean {
  return line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '');
}

function excerpt(line: string): string {
  return line.length > 60 ? `${JSON.stringify(line.slice(0, 60))}…` : JSON.stringify(line);
}

/** Check one non-blank line (number `n` in its file). */
export function checkLine(ctx: LineCheckContext, line: string, n: number): void {
  const { kinds, log } = ctx;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    if (kinds.has('ndjson')) log.add('ndjson', `line ${n}: not JSON (${(e as Error).message}): ${excerpt(line)}`);
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    if (kinds.has('ndjson')) log.add('ndjson', `line ${n}: a JSON ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}, not one resource object`);
    return;
  }
  const resource = value as { resourceType?: unknown; id?: unknown; meta?: { lastUpdated?: unknown } };
  const type = resource.resourceType;
  if (typeof type !== 'string') {
    if (kinds.has('ndjson')) log.add('ndjson', `line ${n}: an object without a string resourceType`);
    return;
  }
  const id = resource.id;
  // Built only for a message or a check that needs it: on a clean file most lines never do.
  const nameOf = (): string => (typeof id === 'string' ? `${type}/${id}` : `${type} (no id)`);
  if (kinds.has('type') && ctx.itemType !== undefined && type !== ctx.itemType) {
    log.add('type', `line ${n}: ${nameOf()} in a file whose manifest type is ${ctx.itemType}`);
  }
  if (ctx.fhir !== undefined && kinds.has('resource')) {
    const verdict = ctx.fhir.validate(value);
    if (!verdict.ok) log.add('resource', `line ${n}: ${nameOf()} is not a valid FHIR R4 ${type}: ${verdict.problems.slice(0, 2).join('; ')}`);
  }
  if (ctx.keys !== undefined && typeof id === 'string') {
    const earlier = ctx.keys.addResource(type, id, ctx.ordinalBase + n);
    if (earlier !== undefined) log.add('unique', `line ${n}: ${nameOf()} already appeared (${ctx.locate(earlier)})`);
  }
  if (ctx.transactionTime !== undefined && kinds.has('lastUpdated')) {
    const updated = resource.meta?.lastUpdated;
    const at = typeof updated === 'string' ? parseInstant(updated) : NaN;
    if (at > ctx.transactionTime) log.add('lastUpdated', `line ${n}: ${nameOf()} has meta.lastUpdated ${String(updated)}, after transactionTime`);
  }
  if (ctx.deletedAgainst !== undefined && type === 'Bundle') checkDeletions(ctx, ctx.deletedAgainst, resource as { entry?: unknown }, n);
  if (ctx.elements !== undefined) checkElements(ctx, resource as Record<string, unknown>, type, `line ${n}: ${nameOf()}`);
  if (ctx.organized !== undefined) ctx.organized.output.visit(ctx.organized.file, resource as Record<string, unknown>, type, nameOf(), n, log);
  if (ctx.attachments !== undefined) ctx.attachments.visit(resource as Record<string, unknown>, type, nameOf(), n, log, ctx.fileLabel ?? 'the file');
}

/**
 * Only listed elements, resourceType/id/meta and mandatory ones may remain. Mandatory primitive
 * elements cannot be told from the JSON Schema (it leaves them out of `required` because `_x`
 * may stand in), so only complex elements are judged: a verdict never rests on a guess.
 */
function checkElements(ctx: LineCheckContext, resource: Record<string, unknown>, type: string, where: string): void {
  const listed = ctx.elements?.listedFor(type);
  const shape = ctx.fhir?.describeElements(type);
  if (listed === undefined || shape === undefined) return;
  const extra = Object.keys(resource).filter((k) => shape.complex.has(k) && !listed.has(k) && !ALWAYS_KEPT.has(k) && !shape.required.has(k));
  if (extra.length) ctx.log.add('elements', `${where} has ${extra.join(', ')}, not among the requested _elements`);
}

/** `Type/id` at the end of a request.url (relative or absolute; a query or `_history/x` dropped). */
export function deletedResourceKey(url: string): { type: string; id: string } | undefined {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const parts = path.split('/').filter((p) => p !== '');
  const history = parts.lastIndexOf('_history');
  const usable = history >= 2 && history === parts.length - 2 ? parts.slice(0, history) : parts;
  const id = usable.at(-1);
  const type = usable.at(-2);
  if (id === undefined || type === undefined || !/^[A-Z][A-Za-z]*$/.test(type)) return undefined;
  return { type, id };
}

/** MAN-05: a resource the deleted file lists as deleted must not be in the output files too. */
function checkDeletions(ctx: LineCheckContext, output: ResourceKeySet, bundle: { entry?: unknown }, n: number): void {
  if (!Array.isArray(bundle.entry)) return;
  for (const entry of bundle.entry as unknown[]) {
    const request = entry !== null && typeof entry === 'object' ? (entry as { request?: { method?: unknown; url?: unknown } }).request : undefined;
    if (request?.method !== 'DELETE' || typeof request.url !== 'string') continue;
    const key = deletedResourceKey(request.url);
    if (key === undefined) continue;
    // At once, or after the last file when the output's keys are on disk (resource-key-set.ts).
    output.lookupResource(key.type, key.id, (ordinal) => {
      ctx.log.add('deletedNotInOutput', `line ${n}: ${key.type}/${key.id} is listed as deleted, but the output holds it (${ctx.locate(ordinal)})`);
    });
  }
}
