import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SUITES_DIR } from '../../src/app/package-info.js';
import { parseXml, findAll } from '../report/xml-check.js';
import { closedPort, runCli, startServe } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'fac-cli-'));
const noStackTrace = (text: string): void => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('run against the bundled server (npm start)', () => {
  it('exits 0 and writes a valid junit.xml and results.json', async () => {
    const reports = path.join(tmp, 'clean');
    const r = await runCli(['run', '--reports', reports]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\d+ scenarios: \d+ passed, 0 failed, 0 warned, 0 errored, \d+ skipped/);
    // Only these kinds of scenario skip, each run by another bundled configuration: auth (the
    // bundled server runs without SMART unless --bundled-auth), Bulk Data v3/v4 ones (it is
    // judged as v2 unless --bundled-bulk-version v4) and tls ones (plain http unless --bundled-tls).
    const skips = r.stdout.split('\n').filter((l) => l.startsWith('SKIP'));
    const explained = [/^SKIP {2}auth\.\S+ .*requires smart/, /requires bulk-v4/, /applies to bulk-v3, bulk-v4;/, /requires organize-output-by/, /^SKIP {2}tls\.\S+ .*requires tls:/];
    expect(skips.filter((l) => !explained.some((re) => re.test(l)))).toEqual([]);
    const junit = parseXml(readFileSync(path.join(reports, 'junit.xml'), 'utf8'));
    const cases = findAll(junit, 'testcase');
    expect(cases.length).toBeGreaterThan(0);
    expect(cases.map((c) => c.attributes['name'])).toContain('bulk.kickoff-poll-complete');
    expect(findAll(junit, 'failure')).toHaveLength(0);
    const results = JSON.parse(readFileSync(path.join(reports, 'results.json'), 'utf8')) as { schemaVersion: number; target: { bundled: boolean }; scenarios: unknown[] };
    expect(results.schemaVersion).toBe(1);
    expect(results.target.bundled).toBe(true);
    expect(results.scenarios).toHaveLength(cases.length);
  });
});

describe('run --bundled-bulk-version v4', () => {
  it('serves the 4.0 shape, judges it as bulk-v4 and runs the scenarios the v2 run skips', async () => {
    const reports = path.join(tmp, 'v4');
    const grep = ['kickoff.maximum-file-size', 'status.separate-export-status', 'manifest.partial-manifests', 'files.organized-by-patient-post'];
    const r = await runCli(['run', '--bundled-bulk-version', 'v4', '--reports', reports, ...grep.flatMap((g) => ['--grep', g])]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/4 scenarios: 4 passed, 0 failed, 0 warned, 0 errored, 0 skipped/);
    const results = JSON.parse(readFileSync(path.join(reports, 'results.json'), 'utf8')) as { target: { claims: string[] } };
    expect(results.target.claims).toContain('bulk-v4');
  });

  it('refuses a contradicting Bulk Data claim and a --target with exit 64', async () => {
    const a = await runCli(['run', '--bundled-bulk-version', 'v4', '--profile', 'bulk-v2']);
    expect(a.code).toBe(64);
    expect(a.stderr).toMatch(/cannot be judged as bulk-v2/);
    const b = await runCli(['run', '--bundled-bulk-version', 'v4', '--target', 'http://127.0.0.1:9']);
    expect(b.code).toBe(64);
    noStackTrace(a.stderr + b.stderr);
  });
});

describe('run --target against serve --fault', () => {
  it('exits 1 and names the broken requirement, what was expected and what came back', async () => {
    const server = await startServe(['--fault', 'cancel-200', '--job-duration', '300ms']);
    try {
      const r = await runCli(['run', '--target', server.baseUrl, '--reports', path.join(tmp, 'fault')]);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stdout).toContain('FAIL  cancel.cancel-running-export');
      expect(r.stdout).toContain('CANCEL-01 (SHALL)');
      expect(r.stdout).toMatch(/sent:\s+DELETE http:\/\/127\.0\.0\.1:\d+\/\S+/);
      expect(r.stdout).toMatch(/expected: status 202/);
      expect(r.stdout).toMatch(/actual:\s+200/);
      const junit = parseXml(readFileSync(path.join(tmp, 'fault', 'junit.xml'), 'utf8'));
      // Every scenario that DELETEs a running job sees the 200; each failure names CANCEL-01.
      const failures = findAll(junit, 'failure');
      expect(failures.length).toBeGreaterThanOrEqual(1);
      for (const f of failures) expect(f.attributes['message']).toContain('CANCEL-01');
    } finally {
      server.child.kill('SIGTERM');
    }
    const stopped = await server.stopped;
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain('reference server stopped');
  });
});

describe('run --config with a target profile', () => {
  it('uses its baseUrl and headers, and never writes a header secret to any report or output', async () => {
    const canary = 'canary-secret-7f3a9c1e';
    const server = await startServe(['--job-duration', '300ms']);
    try {
      const profile = path.join(tmp, 'profile.yaml');
      writeFileSync(profile, [`baseUrl: ${server.baseUrl}`, 'paths:', '  export: /$export', 'headers:', `  Authorization: Bearer ${canary}`, `  X-Api-Key: ${canary}-key`, ''].join('\n'));
      const reports = path.join(tmp, 'profile-reports');
      const r = await runCli(['run', '--config', profile, '--reports', reports]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain(server.baseUrl);
      const junit = readFileSync(path.join(reports, 'junit.xml'), 'utf8');
      const json = readFileSync(path.join(reports, 'results.json'), 'utf8');
      expect(junit).toContain('Authorization: Bearer <redacted>');
      for (const text of [junit, json, r.stdout, r.stderr]) expect(text).not.toContain(canary);
    } finally {
      server.child.kill('SIGTERM');
      await server.stopped;
    }
  });

  it('an invalid profile exits 2 with its position', async () => {
    const profile = path.join(tmp, 'bad-profile.yaml');
    writeFileSync(profile, 'baseUrl: http://127.0.0.1:1\nheadrs: {}\n');
    const r = await runCli(['run', '--config', profile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-profile\.yaml:2:1: unknown key 'headrs'/);
  });
});

describe('errors are clear, classified and never stack traces', () => {
  it('an unreachable target exits 3 within 10 seconds', async () => {
    const port = await closedPort();
    const r = await runCli(['run', '--target', `http://127.0.0.1:${port}`, '--reports', path.join(tmp, 'unreachable')], { killAfterMs: 15_000 });
    expect(r.code).toBe(3);
    expect(r.ms).toBeLessThan(10_000);
    expect(r.stderr).toMatch(/target unreachable: GET http:\/\/127\.0\.0\.1:\d+\/metadata: connection refused/);
    noStackTrace(r.stderr);
  });

  it('a malformed scenario exits 2 with file:line:column before anything is sent', async () => {
    const suites = path.join(tmp, 'bad-suites');
    mkdirSync(path.join(suites, 'bulk'), { recursive: true });
    cpSync(path.join(DEFAULT_SUITES_DIR, 'requirements.yaml'), path.join(suites, 'requirements.yaml'));
    writeFileSync(
      path.join(suites, 'bulk', 'broken.yaml'),
      ['id: bulk.broken', 'title: Broken', 'requirements: [KICKOFF-02]', 'steps:', '  - id: kickoff', '    request: { method: GET, path: /$export }', '    expcet:', '      - { requirement: KICKOFF-02, status: 202 }', ''].join('\n'),
    );
    // A live listener that counts connections: an invalid suite must not reach it at all.
    let connections = 0;
    const listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const address = listener.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const r = await runCli(['run', '--suites', suites, '--target', `http://127.0.0.1:${port}`, '--reports', path.join(tmp, 'bad')]);
    await new Promise<void>((resolve) => listener.close(() => resolve()));
    expect(connections).toBe(0);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.yaml:7:5: at steps\[0\]: unknown key 'expcet' \(allowed: id, title, /);
    expect(r.stderr).toContain('nothing was sent');
    noStackTrace(r.stderr);
  });

  it('usage errors exit 64', async () => {
    for (const args of [['run', '--concurrency', '0'], ['run', '--var', 'no-equals'], ['frobnicate'], ['run', '--timeout', 'soon'], ['serve', '--fault', 'no-such-fault'], ['run', '--validation-threads', '-1'], ['run', '--bundled-bulk-version', 'v3', '--profile', 'bulk-v4']]) {
      const r = await runCli(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(64);
      noStackTrace(r.stderr);
    }
    const env = await runCli(['run', '--grep', 'none'], { env: { FHIR_ASYNC_VALIDATION_THREADS: 'many' } });
    expect(env.code).toBe(64);
    expect(env.stderr).toContain('FHIR_ASYNC_VALIDATION_THREADS must be an integer from 0 to 64, got "many"');
    noStackTrace(env.stderr);
  });

  it('a busy port for serve exits 3 with a clear message', async () => {
    const server = await startServe([]);
    try {
      const port = new URL(server.baseUrl).port;
      const r = await runCli(['serve', '--port', port]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('already in use');
    } finally {
      server.child.kill('SIGTERM');
      await server.stopped;
    }
  });
});

describe('list and validate', () => {
  it('list --json gives ids, titles and requirement ids', async () => {
    const r = await runCli(['list', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { id: string; title: string; requirements: string[] }[];
    const row = rows.find((x) => x.id === 'cancel.cancel-running-export');
    expect(row?.requirements).toContain('CANCEL-03');
  });

  it('validate accepts the bundled suites and rejects a broken file', async () => {
    expect((await runCli(['validate'])).code).toBe(0);
    const r = await runCli(['validate', '--suites', path.join(tmp, 'bad-suites'), path.join(tmp, 'bad-suites', 'bulk', 'broken.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown key 'expcet'");
  });
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));
