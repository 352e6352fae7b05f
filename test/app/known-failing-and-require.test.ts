import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SUITES_DIR } from '../../src/app/package-info.js';
import { runBundled } from '../helpers/run-bundled.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'fac-known-'));
const listFile = (name: string, lines: string[]): string => {
  const file = path.join(tmp, name);
  writeFileSync(file, lines.join('\n'));
  return file;
};

describe('--known-failing', () => {
  it('a listed failure does not fail the run', async () => {
    const { outcome, output } = await runBundled({
      grep: ['cancel.*-export'],
      bundled: { faults: ['cancel-200'], jobDurationMs: 300 },
      knownFailingFile: listFile('known.txt', ['# vendor ticket 123', 'cancel.*']),
    });
    if (outcome.kind !== 'finished') throw new Error(JSON.stringify(outcome));
    const cancel = outcome.run.scenarios.find((s) => s.id === 'cancel.cancel-running-export');
    expect(cancel?.outcome).toBe('failed');
    expect(cancel?.knownFailing).toBe('expected-failure');
    expect(outcome.run.totals.expectedFailures).toBe(outcome.run.totals.failed);
    expect(outcome.run.totals.failed).toBeGreaterThanOrEqual(1);
    expect(outcome.exitCode, output).toBe(0);
  });

  it('a listed scenario that passes fails the run: remove it from the list', async () => {
    const { outcome, output } = await runBundled({ knownFailingFile: listFile('stale.txt', ['cancel.cancel-running-export']) });
    if (outcome.kind !== 'finished') throw new Error(JSON.stringify(outcome));
    expect(outcome.run.totals.unexpectedPasses).toBe(1);
    expect(outcome.exitCode).toBe(1);
    expect(output).toContain('remove it from the known-failing list');
  });

  it('a malformed list is invalid input', async () => {
    const { outcome } = await runBundled({ knownFailingFile: listFile('bad.txt', ['two patterns here']) });
    expect(outcome.kind).toBe('invalid');
  });
});

describe('requires and --require', () => {
  const suites = path.join(tmp, 'suites');
  mkdirSync(path.join(suites, 'auth'), { recursive: true });
  cpSync(path.join(DEFAULT_SUITES_DIR, 'requirements.yaml'), path.join(suites, 'requirements.yaml'));
  writeFileSync(path.join(suites, 'auth', 'needs-smart.yaml'), [
    'id: auth.needs-smart',
    'title: Needs SMART',
    'requirements: [KICKOFF-02]',
    'requires: [smart]',
    'steps:',
    '  - id: kickoff',
    '    request: { method: GET, path: "${exportPath}", headers: { Prefer: respond-async } }',
    '    expect: [{ requirement: KICKOFF-02, status: 202 }]',
    '',
  ].join('\n'));

  it('skips a scenario whose requirement the target lacks, naming what is missing', async () => {
    const { outcome } = await runBundled({ suitesDir: suites });
    if (outcome.kind !== 'finished') throw new Error(JSON.stringify(outcome));
    const s = outcome.run.scenarios[0];
    expect(s?.outcome).toBe('skipped');
    expect(s?.reason).toMatch(/requires smart: the target profile does not claim smart/);
    expect(s?.exchanges).toEqual([]);
    expect(outcome.exitCode).toBe(0);
  });

  it('--require turns that skip into a failure', async () => {
    const { outcome } = await runBundled({ suitesDir: suites, require: ['smart'] });
    if (outcome.kind !== 'finished') throw new Error(JSON.stringify(outcome));
    expect(outcome.run.scenarios[0]?.outcome).toBe('failed');
    expect(outcome.run.scenarios[0]?.reason).toContain('--require');
    expect(outcome.exitCode).toBe(1);
  });

  it('runs it when the profile claims the capability', async () => {
    const { outcome } = await runBundled({ suitesDir: suites, profileTags: ['smart'] });
    if (outcome.kind !== 'finished') throw new Error(JSON.stringify(outcome));
    expect(outcome.run.scenarios[0]?.outcome).toBe('passed');
  });
});
