import { afterEach, describe, expect, it } from 'vitest';
import { startReferenceServer } from '../../reference-server/index.js';
import { Redactor } from '../../src/http/redact.js';
import { sharedFhirValidator } from '../../src/validate/fhir-r4-schema.js';
import { ResourceKeySet } from '../../src/validate/resource-key-set.js';
import { validateFile } from '../../src/validate/validate-file.js';
import { runBundled } from '../helpers/run-bundled.js';
import { diagnosticsOf, removeSuites, writeSuite } from '../unit/scenario-fixtures.js';

afterEach(() => removeSuites());

const FILES_STEP = `id: demo.ok
title: Files
requirements: [KICKOFF-02, STATUS-02]
steps:
  - id: kickoff
    request: { method: GET, path: "\${exportPath}" }
    expect:
      - { requirement: KICKOFF-02, status: 202 }
    capture:
      manifest: { body: true }
  - id: files
    validateFiles:
      manifest: MANIFEST
      checks: { status: STATUS-02, count: CITED }
`;

describe('the validateFiles step', () => {
  it('is checked when loaded: the manifest variable must be captured earlier, checks cite listed requirements', () => {
    const ok = writeSuite({ 'demo/ok.yaml': FILES_STEP.replace('MANIFEST', 'manifest').replace('CITED', 'STATUS-02') });
    expect(diagnosticsOf(ok)).toEqual([]);
    const bad = writeSuite({ 'demo/ok.yaml': FILES_STEP.replace('MANIFEST', 'nothing').replace('CITED', 'RETRY-01') });
    expect(diagnosticsOf(bad).map((d) => d.message)).toEqual([
      "undefined variable 'nothing' (capture the manifest in an earlier step: { body: true })",
      "check cites 'RETRY-01', which is missing from the scenario's requirements list",
    ]);
    const mixed = writeSuite({ 'demo/ok.yaml': FILES_STEP.replace('MANIFEST', 'manifest').replace('CITED', 'STATUS-02').replace('  - id: files\n', '  - id: files\n    request: { method: GET, path: /x }\n') });
    expect(diagnosticsOf(mixed).map((d) => d.message)).toEqual([
      "a validateFiles step sends its own requests and states its checks under validateFiles.checks; remove 'request'",
    ]);
  });

  it('passes the payload scenario on the clean bundled server, also with --quick', async () => {
    for (const quick of [false, true]) {
      const { outcome, output } = await runBundled({ grep: ['payload.*'], quick, bundled: { jobDurationMs: 100, retryAfter: { form: 'seconds', seconds: 0 } } });
      expect(outcome.kind === 'finished' && outcome.run.scenarios.map((s) => `${s.id}: ${s.outcome}`), output).toEqual(['payload.validate-output-files: passed']);
      const checks = outcome.kind === 'finished' ? (outcome.run.scenarios[0]?.checks ?? []) : [];
      expect(checks.filter((c) => c.subject === 'every listed file').map((c) => c.requirement).sort()).toEqual(
        ['FILE-01', 'FILE-01', 'FILE-03', 'FILE-03', 'FILE-05', 'FILE-07', 'MAN-01', 'MAN-04', 'MAN-14'],
      );
    }
  });
});

describe('organized output and attachments on the bundled server', () => {
  it('runs the organized scenario against the 4.0 shape (which supports organizeOutputBy) and skips it, with the reason, elsewhere', async () => {
    const bundled = { jobDurationMs: 100, retryAfter: { form: 'seconds' as const, seconds: 0 } };
    const v4 = await runBundled({ grep: ['files.organized-*'], profileTags: ['bulk-v4'], bundled: { ...bundled, bulkVersion: 'v4' } });
    const v4Results = v4.outcome.kind === 'finished' ? v4.outcome.run.scenarios : [];
    expect(v4Results.map((s) => `${s.id}: ${s.outcome}`), v4.output).toEqual(['files.organized-by-patient-get: skipped', 'files.organized-by-patient-post: passed']);
    const judged = v4Results[1]?.checks.filter((c) => c.requirement === 'FILE-09' || c.requirement === 'MAN-10').map((c) => `${c.requirement} ${String(c.passed)}`);
    expect(judged).toContain('FILE-09 true');
    expect(judged).toContain('MAN-10 true');
    const v2 = await runBundled({ grep: ['files.organized-*'], bundled });
    const v2Results = v2.outcome.kind === 'finished' ? v2.outcome.run.scenarios : [];
    expect(v2Results.map((s) => `${s.outcome}: ${s.reason ?? ''}`)).toEqual([
      expect.stringMatching(/^skipped: .*organize-output-by/),
      expect.stringMatching(/^skipped: .*organize-output-by/),
    ]);
  });
});

describe('Content-Encoding on the reference server (FILE-04)', () => {
  it('notices gzip sent without Content-Encoding, and still validates the decoded lines', async () => {
    const server = await startReferenceServer({ host: '127.0.0.1', port: 0, jobDurationMs: 0, faults: ['gzip-without-content-encoding'] });
    try {
      const kickoff = await fetch(`${server.baseUrl}/$export?_type=Patient`, { headers: { Prefer: 'respond-async', Accept: 'application/fhir+json' } });
      const statusUrl = kickoff.headers.get('content-location') ?? '';
      let manifest: { output: { type: string; url: string; count: number }[] } | undefined;
      for (let i = 0; i < 50 && manifest === undefined; i++) {
        const res = await fetch(statusUrl);
        if (res.status === 200) manifest = (await res.json()) as typeof manifest;
        else await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const item = manifest?.output[0];
      expect(item?.type).toBe('Patient');
      const report = await validateFile({ list: 'output', index: 0, url: item?.url ?? '', type: item?.type, count: item?.count }, {
        headers: { accept: 'application/fhir+ndjson', 'accept-encoding': 'gzip' },
        signal: AbortSignal.timeout(10_000),
        stallTimeoutMs: 5_000,
        redactor: new Redactor(),
        label: 'f',
        maxProblems: 5,
        sample: undefined,
        lineContext: { kinds: new Set(['encoding', 'ndjson', 'resource', 'count']), transactionTime: undefined, keys: new ResourceKeySet(), ordinalBase: 0, locate: () => '', fhir: sharedFhirValidator(), elements: undefined },
      });
      expect(report.log.describe('encoding')).toMatch(/^the body is gzip-compressed \(it starts with 1f 8b\) but the response has no Content-Encoding: gzip$/);
      expect(report.log.describe('ndjson')).toBeUndefined();
      expect(report.log.describe('resource')).toBeUndefined();
      expect(report.resources).toBe(item?.count);
    } finally {
      await server.close();
    }
  });
});

describe('the duplicate and deleted checks with the export\'s keys on disk', () => {
  const bundled = { jobDurationMs: 100, retryAfter: { form: 'seconds' as const, seconds: 0 } };
  const run = (faults: string[], exportKeySlots = 1) => runBundled({ grep: ['payload.validate-output-files', 'manifest.since-deleted'], exportKeySlots, bundled: { ...bundled, faults } });
  const failures = (outcome: Awaited<ReturnType<typeof runBundled>>['outcome'], requirement: string): string[] =>
    outcome.kind === 'finished' ? outcome.run.scenarios.flatMap((s) => s.checks.filter((c) => c.requirement === requirement && !c.passed).map((c) => `${s.id}: ${c.actual}`)) : [];

  it('passes the clean server: no duplicate or deleted resource is invented when every key goes to disk', async () => {
    const { outcome, output } = await run([]);
    expect(outcome.kind === 'finished' && outcome.run.scenarios.map((s) => `${s.id}: ${s.outcome}`), output).toEqual(['manifest.since-deleted: passed', 'payload.validate-output-files: passed']);
  });

  it('still catches a duplicate resource (FILE-05) and a deleted resource in the output (MAN-05), found after the last file, at the same lines', async () => {
    const faults = ['duplicate-resource', 'deleted-also-in-output'];
    const onDisk = await run(faults);
    const inMemory = await run(faults, 1 << 20);
    // The same verdicts at the same lines; on disk, the duplicate's name is not known (only its hash was kept).
    const where = (text: string): string => text.replace(/http:\/\/127\.0\.0\.1:\d+\/_files\/[0-9a-f]+\//g, '');
    expect(failures(inMemory.outcome, 'FILE-05').map(where), inMemory.output).toEqual(['payload.validate-output-files: line 11: Patient/p1 already appeared (line 1 of output-1.ndjson)']);
    expect(failures(onDisk.outcome, 'FILE-05').map(where), onDisk.output).toEqual([
      "payload.validate-output-files: line 11: a resource with the same resourceType/id as line 1 of output-1.ndjson (found after the last file: the export's keys were on disk)",
    ]);
    expect(failures(onDisk.outcome, 'MAN-05').map(where), onDisk.output).toEqual(failures(inMemory.outcome, 'MAN-05').map(where));
    expect(failures(onDisk.outcome, 'MAN-05').map(where)).toEqual([expect.stringMatching(/^manifest\.since-deleted: line 1: Observation\/p1-obs0 is listed as deleted, but the output holds it \(line \d+ of output-2\.ndjson\)$/)]);
  });
});
