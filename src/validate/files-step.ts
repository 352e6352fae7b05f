/**
 * The `validateFiles` step: read the captured manifest, stream every file it lists (in
 * order, one at a time) and check each line, then turn each file's problems into CheckResults,
 * one per failing file and check kind, or one passing result per kind.
 */
import { levelFor, appliesTo } from '../app/claims.js';
import { severityOf } from '../assert/severity.js';
import type { CheckResult, StepResult } from '../model/results.js';
import type { FileCheckKind, ValidateFilesSpec } from '../model/scenario.js';
import type { RunContext, ScenarioState } from '../runner/context.js';
import { rollUpChecks } from '../runner/outcome.js';
import { interpolate } from '../runner/variables.js';
import { sharedFhirValidator } from './fhir-r4-schema.js';
import { describeKind, KIND_LEVEL } from './file-check-kinds.js';
import { ElementRule, type LineCheckContext } from './line-checks.js';
import { readManifestFiles } from './manifest-files.js';
import { EXPORT_KEY_SLOTS, ResourceKeySet, type LateDuplicate } from './resource-key-set.js';
import { validateFile, type FileReport } from './validate-file.js';
import { parseSize } from './size.js';
import { authorizeFileRequest } from '../auth/send-with-auth.js';
import { AttachmentCollector, dereferenceAttachment } from './attachment-check.js';
import { OrganizedOutput } from './organized-output.js';

const DEFAULT_MAX_PROBLEMS = 5;
const DEFAULT_STALL_MS = 30_000;
const DEFAULT_SAMPLE = { over: '64MiB', first: 1000, last: 1000, random: 1000 };
type IndexedReport = FileReport & { exchangeIndex: number };

/** Checks about the content, judged only on files that answered 200 and were read to the end. */
const CONTENT_KINDS: readonly FileCheckKind[] = ['ndjson', 'resource', 'type', 'count', 'unique', 'lastUpdated', 'elements', 'organized', 'attachments', 'deletedNotInOutput'];

export async function runFilesStep(stepId: string, spec: ValidateFilesSpec, ctx: RunContext, state: ScenarioState): Promise<StepResult> {
  const started = ctx.clock.now();
  const checks: CheckResult[] = [];
  const finish = (outcome: StepResult['outcome'], reason?: string): StepResult => ({
    id: stepId, outcome, ...(reason ? { reason } : {}), durationMs: ctx.clock.now() - started, checks,
  });
  const manifest = readManifestFiles(state.vars.get(spec.manifest), spec);
  if (!manifest.ok) return finish('errored', `validateFiles: variable '${spec.manifest}' ${manifest.reason}`);
  const kinds = new Map<FileCheckKind, string>();
  for (const [kind, requirement] of Object.entries(spec.checks) as [FileCheckKind, string][]) {
    if (appliesTo(ctx.catalogue.requirements.get(requirement)?.appliesTo, ctx.claims)) kinds.set(kind, requirement);
  }
  const enabled = new Set(kinds.keys());
  let headers: Record<string, string>;
  try {
    const own = Object.fromEntries(Object.entries(spec.headers ?? {}).map(([k, v]) => [k, interpolate(v, state.vars)]));
    // The access token goes only to file servers that the manifest says require it.
    headers = { ...(manifest.requiresAccessToken ? ctx.headers : {}), Accept: 'application/fhir+ndjson', ...own };
  } catch (e) {
    return finish('errored', `validateFiles: ${(e as Error).message}`);
  }
  // Organized output repeats its Parameters headers, so resource keys are collected only without it.
  // Past EXPORT_KEY_SLOTS the keys go to disk (memory stays flat); `settle` then finds the rest.
  const keys = (enabled.has('unique') || enabled.has('deletedNotInOutput')) && !manifest.organized ? new ResourceKeySet({ maxSlots: ctx.exportKeySlots ?? EXPORT_KEY_SLOTS }) : undefined;
  const checkFiles = async (): Promise<StepResult> => {
    // deletedNotInOutput compares deleted files with the output's keys: read the output files first.
    const files = enabled.has('deletedNotInOutput') ? [...manifest.files.filter((f) => f.list === 'output'), ...manifest.files.filter((f) => f.list !== 'output')] : manifest.files;
    const fhir = enabled.has('resource') || enabled.has('elements') ? sharedFhirValidator() : undefined;
    const bases: { base: number; url: string }[] = [];
    let ordinalBase = 0;
    const sample = ctx.quick ? { ...DEFAULT_SAMPLE, ...spec.sample } : undefined;
    const organized = enabled.has('organized') && manifest.organizedBy !== undefined ? new OrganizedOutput(manifest.organizedBy, manifest.outputItems) : undefined;
    const attachments = enabled.has('attachments') ? new AttachmentCollector(ctx.redactor.text.bind(ctx.redactor)) : undefined;
    const reports: IndexedReport[] = [];
    for (const [i, target] of files.entries()) {
      if (state.signal.aborted) break;
      bases.push({ base: ordinalBase, url: target.url });
      // SMART auth: the token is added (and renewed) per file, only when the manifest requires it.
      const authorized = await authorizeFileRequest(ctx, { url: target.url, headers, requiresAccessToken: manifest.requiresAccessToken, signal: state.signal });
      if (!authorized.ok) return finish('errored', authorized.reason);
      const report = await validateFile(target, {
        headers: authorized.headers,
        dispatcher: ctx.client.dispatcher,
        tlsVersionFor: (url) => ctx.client.tlsVersionFor(url),
        signal: state.signal,
        stallTimeoutMs: ctx.requestTimeoutMs ?? DEFAULT_STALL_MS,
        redactor: ctx.redactor,
        label: `${stepId}[${i}]`,
        maxProblems: spec.maxProblems ?? DEFAULT_MAX_PROBLEMS,
        ...(ctx.validationThreads !== undefined ? { threads: ctx.validationThreads } : {}),
        sample: sample ? { first: sample.first, last: sample.last, random: sample.random, overBytes: parseSize(sample.over) } : undefined,
        lineContext: {
          kinds: enabled,
          transactionTime: manifest.transactionTime,
          keys: target.list === 'output' ? keys : undefined,
          ordinalBase,
          locate: (ordinal) => locate(bases, ordinal, ctx.redactor.text.bind(ctx.redactor)),
          fhir,
          elements: spec.elements && enabled.has('elements') ? new ElementRule(spec.elements) : undefined,
          organized: organizedPart(organized, target),
          attachments: target.list === 'output' ? attachments : undefined,
          deletedAgainst: target.list === 'deleted' && enabled.has('deletedNotInOutput') ? keys : undefined,
          fileLabel: `${target.list}[${target.index}]`,
        },
      });
      ordinalBase += report.lines;
      state.exchanges.push(report.exchange);
      reports.push({ ...report, exchangeIndex: state.exchanges.length - 1 });
    }
    try {
      reportLateDuplicates(keys?.settle() ?? [], reports, bases, ctx.redactor.text.bind(ctx.redactor));
    } catch (e) {
      return finish('errored', `validateFiles: the duplicate check could not read back its keys from disk: ${(e as Error).message}`);
    }
    // A sampled file (--quick) may hide its last header: continuation links are judged on whole files only.
    const readToEnd = (index: number): boolean => reports.some((r) => r.target.list === 'output' && r.target.index === index && r.status === 200 && r.error === undefined && !r.sampled);
    organized?.finish(readToEnd);
    const notes: string[] = [];
    if (kinds.has('deletedNotInOutput') && keys === undefined) {
      kinds.delete('deletedNotInOutput');
      notes.push('organized output (outputOrganizedBy): deleted resources are not compared with the output');
    }
    if (attachments !== undefined && !state.signal.aborted) {
      await dereferenceSample(attachments, { requiresAccessToken: manifest.requiresAccessToken, headers: manifest.requiresAccessToken ? ctx.headers : {} }, ctx, state);
      // FILE-07 is judged only when the output holds Attachment URLs.
      if (attachments.found === 0) {
        kinds.delete('attachments');
        notes.push('no Attachment.url (without data) in the output files: attachments not judged');
      }
    }
    checks.push(...buildChecks(reports, kinds, ctx));
    const broken = reports.find((r) => r.error !== undefined);
    const verdict = rollUpChecks(checks);
    if (broken?.error) return finish(verdict === 'failed' ? 'failed' : 'errored', broken.error);
    if (state.signal.aborted) return finish('errored', 'aborted before every file was read');
    if (manifest.skipped.length) notes.push(`not fetched: ${manifest.skipped.join('; ')}`);
    return finish(verdict, notes.length ? notes.join('; ') : undefined);
  };
  try {
    return await checkFiles();
  } finally {
    keys?.dispose();
  }
}

function organizedPart(organized: OrganizedOutput | undefined, target: { list: string; index: number }): LineCheckContext['organized'] {
  const file = organized !== undefined && target.list === 'output' ? organized.fileAt(target.index) : undefined;
  return organized !== undefined && file !== undefined ? { output: organized, file } : undefined;
}

/** Fetch the sampled attachment URLs (credentials as for the files); failures go to the log of the file they came from. */
async function dereferenceSample(
  attachments: AttachmentCollector,
  file: { requiresAccessToken: boolean; headers: RunContext['headers'] },
  ctx: RunContext,
  state: ScenarioState,
): Promise<void> {
  for (const item of attachments.sample) {
    if (state.signal.aborted) return;
    const headers = { ...file.headers, Accept: '*/*' };
    const authorized = await authorizeFileRequest(ctx, { url: item.url, headers, requiresAccessToken: file.requiresAccessToken, signal: state.signal });
    const problem = authorized.ok
      ? await dereferenceAttachment(item.url, { headers: authorized.headers, dispatcher: ctx.client.dispatcher, signal: state.signal, stallTimeoutMs: ctx.requestTimeoutMs ?? DEFAULT_STALL_MS, redact: ctx.redactor.text.bind(ctx.redactor) })
      : authorized.reason;
    if (problem !== undefined) item.log.add('attachments', `${item.where}: ${problem}`);
  }
}

/**
 * Duplicates found after the last file (the export's keys were on disk): each goes to the log of
 * the file holding the later resource, in line order after those found at once.
 */
function reportLateDuplicates(late: readonly LateDuplicate[], reports: readonly IndexedReport[], bases: readonly { base: number; url: string }[], redact: (s: string) => string): void {
  for (const { ordinal, earlier } of late) {
    const i = reports.findIndex((r, k) => ordinal > (bases[k]?.base ?? 0) && ordinal <= (bases[k]?.base ?? 0) + r.lines);
    const report = reports[i];
    if (report === undefined) continue;
    const line = ordinal - (bases[i]?.base ?? 0);
    report.log.add('unique', `line ${line}: a resource with the same resourceType/id as ${locate(bases, earlier, redact)} (found after the last file: the export's keys were on disk)`);
  }
}

function locate(bases: readonly { base: number; url: string }[], ordinal: number, redact: (s: string) => string): string {
  for (let i = bases.length - 1; i >= 0; i--) {
    const entry = bases[i];
    if (entry !== undefined && ordinal > entry.base) return `line ${ordinal - entry.base} of ${redact(entry.url)}`;
  }
  return 'earlier';
}

function buildChecks(reports: readonly IndexedReport[], kinds: ReadonlyMap<FileCheckKind, string>, ctx: RunContext): CheckResult[] {
  const out: CheckResult[] = [];
  for (const [kind, requirementId] of kinds) {
    const requirement = ctx.catalogue.requirements.get(requirementId);
    const level = KIND_LEVEL[kind] ?? (requirement ? levelFor(requirement, ctx.claims) : 'SHALL');
    const severity = severityOf(level, ctx.strict);
    const expected = describeKind(kind);
    const judged = reports.filter((r) => kind === 'status' || (r.status === 200 && (r.error === undefined || !CONTENT_KINDS.includes(kind))));
    let failing = 0;
    for (const r of judged) {
      const actual = r.log.describe(kind);
      if (actual === undefined) continue;
      failing += 1;
      const subject = `file ${r.target.list}[${r.target.index}]${r.target.type ? ` (${r.target.type})` : ''}`;
      const sent = `GET ${ctx.redactor.text(r.target.url)}`;
      const message = [
        `${requirementId} (${level}): ${requirement?.summary ?? ''}`.trimEnd(),
        `  sent:     ${sent}`,
        `  expected: ${subject} ${expected}`,
        `  actual:   ${actual}`,
      ].join('\n');
      out.push({ requirement: requirementId, level, severity, passed: false, subject, expected, actual, message, exchange: r.exchangeIndex });
    }
    if (failing === 0) {
      const resources = judged.reduce((n, r) => n + r.resources, 0);
      const sampled = judged.filter((r) => r.sampled).length;
      const actual = `${judged.length} file(s), ${resources} resource line(s)${sampled ? ` (${sampled} file(s) sampled: --quick)` : ''}`;
      const subject = 'every listed file';
      out.push({ requirement: requirementId, level, severity, passed: true, subject, expected, actual, message: `${requirementId}: ${subject} is ${expected}`, ...(reports[0] ? { exchange: reports[0].exchangeIndex } : {}) });
    }
  }
  return out;
}
