import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/model/results.js';
import { runCli } from '../helpers/cli.js';
import { runBundled } from '../helpers/run-bundled.js';

const GREP = ['callback.*', 'longpoll.*'];

async function finished(over: Parameters<typeof runBundled>[0]): Promise<{ run: RunResult; output: string; reportsDir: string }> {
  const { outcome, output, reportsDir } = await runBundled({ bundled: { jobDurationMs: 200, retryAfter: { form: 'seconds', seconds: 0 } }, ...over });
  if (outcome.kind !== 'finished') throw new Error(`run did not finish: ${JSON.stringify(outcome)}`);
  return { run: outcome.run, output, reportsDir };
}

async function listen(port = 0): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}

const close = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

describe('callback and long-poll scenarios against the bundled server', () => {
  it('pass, and report callback and long-poll figures in results.json and JUnit', async () => {
    const { run, output, reportsDir } = await finished({ grep: GREP });
    expect(run.scenarios.filter((s) => s.outcome !== 'passed').map((s) => `${s.id}: ${s.outcome} ${s.reason ?? ''}`), output).toEqual([]);
    expect(run.scenarios.length).toBeGreaterThanOrEqual(13);
    const completed = run.scenarios.find((s) => s.id === 'callback.bundle-completed');
    expect(completed?.measurements?.map((m) => m.name)).toContain('callback-after-final-answer');
    expect(completed?.checks.find((c) => c.subject === 'JSON /authentication')?.actual).toBe('"hmac-sha256"');
    const longPoll = run.scenarios.find((s) => s.id === 'longpoll.completion');
    expect(longPoll?.measurements?.map((m) => m.name)).toContain('long-poll-longest-hold');
    expect(longPoll?.checks.find((c) => c.subject === 'long polling')).toMatchObject({ passed: true, severity: 'information' });
    const json = JSON.parse(readFileSync(path.join(reportsDir, 'results.json'), 'utf8')) as RunResult;
    expect(json.scenarios.find((s) => s.id === 'callback.bundle-completed')?.measurements?.length).toBeGreaterThan(0);
    const junit = readFileSync(path.join(reportsDir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<property name="measurement" value="callback\.callback-after-final-answer=-?[0-9]+ms"\/>/);
    expect(junit).toContain('callback#1 (received)');
  });

  it('records a server that holds nothing as not supporting long polling (information), not as failing', async () => {
    const { run } = await finished({ grep: ['longpoll.*'], bundled: { jobDurationMs: 200, retryAfter: { form: 'seconds', seconds: 0 }, longPoll: false } });
    expect(run.scenarios.map((s) => s.outcome)).toEqual(['passed', 'passed']);
    for (const scenario of run.scenarios) {
      const info = scenario.checks.find((c) => c.subject === 'long polling');
      expect(info).toMatchObject({ passed: false, severity: 'information', requirement: 'LONGPOLL-01' });
      expect(info?.actual).toMatch(/does not appear to hold status requests/);
    }
  });

  it('verifies signatures with a secret named in the profile, which never shows in output or reports', async () => {
    const secret = `cb-secret-${Math.random().toString(36).slice(2)}-0123456789`;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fac-cb-profile-'));
    const configFile = path.join(dir, 'profile.yaml');
    writeFileSync(configFile, 'callback: { secretEnv: FAC_TEST_CALLBACK_SECRET }\n');
    process.env['FAC_TEST_CALLBACK_SECRET'] = secret;
    try {
      const { run, output, reportsDir } = await finished({ grep: ['callback.bundle-completed', 'callback.bulk-export-completed'], configFile });
      expect(run.scenarios.map((s) => s.outcome)).toEqual(['passed', 'passed']);
      const reports = readFileSync(path.join(reportsDir, 'junit.xml'), 'utf8') + readFileSync(path.join(reportsDir, 'results.json'), 'utf8');
      expect(reports).toContain('hmac-sha256');
      expect(output + reports).not.toContain(secret);
    } finally {
      delete process.env['FAC_TEST_CALLBACK_SECRET'];
    }
  });

  it('refuses to run when the profile names a secret variable that is not set', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fac-cb-profile-'));
    const configFile = path.join(dir, 'profile.yaml');
    writeFileSync(configFile, 'callback: { secretEnv: FAC_TEST_CALLBACK_UNSET }\n');
    const { outcome } = await runBundled({ grep: ['callback.bundle-completed'], configFile });
    expect(outcome).toMatchObject({ kind: 'invalid', diagnostics: [{ message: 'callback.secretEnv names the environment variable FAC_TEST_CALLBACK_UNSET, which is not set' }] });
  });

  it('starts the receiver only when a callback scenario runs', async () => {
    const { server, port } = await listen();
    try {
      const callback = { listen: { host: '127.0.0.1', port } };
      const { run } = await finished({ grep: ['bulk.kickoff-poll-complete'], callback });
      expect(run.scenarios.map((s) => s.outcome)).toEqual(['passed']);
      const { outcome } = await runBundled({ grep: ['callback.bundle-completed'], callback });
      expect(outcome).toEqual({ kind: 'target-error', message: `cannot start the callback receiver: 127.0.0.1:${port} is already in use (pick another --callback-listen port, or 0 for a free one)` });
    } finally {
      await close(server);
    }
  });

  it('hands the target the public URL, which reaches the receiver through another address', async () => {
    const free = await listen();
    await close(free.server);
    const callback = { listen: { host: '127.0.0.1', port: free.port }, publicUrl: `http://localhost:${free.port}` };
    const { run } = await finished({ grep: ['callback.bundle-completed'], callback });
    const [scenario] = run.scenarios;
    expect(scenario?.outcome).toBe('passed');
    const kickoff = scenario?.exchanges.find((e) => e.label === 'kickoff');
    expect(kickoff?.request.headers['Prefer']).toMatch(new RegExp(`^respond-async, callback-url="http://localhost:${free.port}/callbacks/[0-9a-f]{32}"$`));
  });

  it('the CLI refuses a malformed --callback-listen or --callback-public-url as a usage error', async () => {
    const listenBad = await runCli(['run', '--callback-listen', 'nope', '--grep', 'callback.*']);
    expect(listenBad.code).toBe(64);
    expect(listenBad.stderr).toContain("--callback-listen: 'nope' is not host:port");
    const urlBad = await runCli(['run', '--callback-public-url', 'ftp://x', '--grep', 'callback.*']);
    expect(urlBad.code).toBe(64);
    expect(urlBad.stderr).toContain('--callback-public-url: use http or https');
  });
});
