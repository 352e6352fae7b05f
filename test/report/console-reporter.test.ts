import { describe, it, expect } from 'vitest';
import { createConsoleReporter } from '../../src/report/console-reporter.js';
import { createRunResult } from './fixtures.js';

async function runConsole(opts: { color?: boolean; verbose?: boolean } = {}): Promise<string> {
  const chunks: string[] = [];
  const reporter = createConsoleReporter({ write: (text) => chunks.push(text), ...opts });
  const result = createRunResult();
  reporter.onRunStart?.({ baseUrl: result.target.baseUrl, scenarioCount: result.scenarios.length });
  for (const scenario of result.scenarios) reporter.onScenarioEnd?.(scenario);
  await reporter.onRunEnd(result);
  return chunks.join('');
}

describe('createConsoleReporter', () => {
  it('prints one line per scenario with tag, id and duration', async () => {
    const out = await runConsole();
    expect(out).toMatch(/^PASS  bulk\.kickoff-accepted \(1\.2s\)$/m);
    expect(out).toMatch(/^FAIL  bulk\.poll-complete \(0\.8s\)$/m);
    expect(out).toMatch(/^WARN  bulk\.retry-after \(2\.1s\)$/m);
    expect(out).toMatch(/^ERROR bundle\.async-submit \(15ms\)$/m);
    expect(out).toMatch(/^SKIP  bundle\.cancel \(0ms\): target does not support async-bundle$/m);
  });

  it('details every missed check of a failed scenario and the blocked steps', async () => {
    const lines = (await runConsole()).split('\n');
    const start = lines.indexOf('FAIL  bulk.poll-complete (0.8s)');
    expect(lines.slice(start + 1, start + 5)).toEqual([
      '      KICKOFF-02 (SHALL): sent GET http://127.0.0.1:8080/fhir/$export; expected status 202, actual 500 <&>',
      '      STATUS-04 (SHALL NOT): expected header content-location absolute URL, actual (missing) ]]>',
      '      STATUS-09 (SHOULD): expected header retry-after present, actual (missing)',
      '      step poll skipped: blocked by step kickoff',
    ]);
  });

  it('shows the SHOULD misses under WARN and the reason under ERROR, controls escaped', async () => {
    const lines = (await runConsole()).split('\n');
    const warn = lines.indexOf('WARN  bulk.retry-after (2.1s)');
    expect(lines[warn + 1]).toBe('      STATUS-09 (SHOULD): sent GET /status/1; expected header retry-after present, actual (missing)');
    expect(lines[warn + 2]).toMatch(/^\S/);
    const error = lines.indexOf('ERROR bundle.async-submit (15ms)');
    expect(lines[error + 1]).toBe('      error: connection refused \\x00<&>');
    expect(lines[error + 2]).toBe('      step submit errored: connection refused');
  });

  it('prints no details under PASS and SKIP', async () => {
    const lines = (await runConsole()).split('\n');
    for (const head of ['PASS  bulk.kickoff-accepted (1.2s)', 'SKIP  bundle.cancel (0ms): target does not support async-bundle']) {
      const at = lines.indexOf(head);
      expect(at).toBeGreaterThanOrEqual(0);
      expect(lines[at + 1]).toMatch(/^\S|^$/);
    }
  });

  it('ends with the totals line and the failed scenarios with their broken requirements', async () => {
    const out = await runConsole();
    expect(out).toContain('\n5 scenarios: 1 passed, 1 failed, 1 warned, 1 errored, 1 skipped (8.4s)\n');
    expect(out).toContain('Failed:\n  bulk.poll-complete: KICKOFF-02, STATUS-04\n');
    expect(out).toContain('Errored:\n  bundle.async-submit: connection refused \\x00<&>\n');
    expect(out.startsWith('Running 5 scenarios against http://127.0.0.1:8080/fhir\n')).toBe(true);
  });

  it('uses no ANSI colour by default and colours the tags when asked', async () => {
    expect(await runConsole()).not.toContain('\u001b');
    const coloured = await runConsole({ color: true });
    expect(coloured).toContain('\u001b[32mPASS \u001b[0m bulk.kickoff-accepted');
    expect(coloured).toContain('\u001b[31mFAIL \u001b[0m bulk.poll-complete');
  });

  it('prints the transcript in verbose mode without passing target control characters through', async () => {
    const out = await runConsole({ verbose: true });
    expect(out).toContain('      > GET http://127.0.0.1:8080/fhir/$export\n');
    expect(out).toContain('      < 500\n');
    expect(out).toContain('esc\\x1b[31mred');
    expect(out).toContain('      > POST http://127.0.0.1:8080/fhir\n');
    expect(out).toContain('      ! connect ECONNREFUSED 127.0.0.1:8080\n');
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(await runConsole()).not.toContain('> GET');
  });
});

describe('repeated misses', () => {
  it('shows the same miss on several responses once, with the count', async () => {
    const { formatScenarioLines } = await import('../../src/report/console-reporter.js');
    const { warnedScenario } = await import('./fixtures.js');
    const miss = warnedScenario.checks.find((c) => !c.passed);
    if (!miss) throw new Error('fixture has no missed check');
    const scenario = { ...warnedScenario, checks: [miss, { ...miss, exchange: 7 }, { ...miss, exchange: 8 }], steps: [] };
    const lines = formatScenarioLines(scenario);
    expect(lines.filter((l) => l.includes(miss.requirement) && l.includes('(SHOULD)')).length).toBe(1);
    expect(lines.join('\n')).toContain('(the same on 3 responses)');
  });
});
