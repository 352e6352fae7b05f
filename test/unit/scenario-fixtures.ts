/** Temporary suites directories for the scenario loader tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPlan } from '../../src/app/load-plan.js';
import { displayPath, type Diagnostic } from '../../src/scenario/diagnostics.js';

export const CATALOGUE = `requirements:
  - id: KICKOFF-02
    level: SHALL
    summary: A kick-off is 202 with Content-Location.
    source: test
  - id: STATUS-02
    level: SHALL
    summary: 202 while the job runs.
    source: test
  - id: RETRY-01
    level: SHOULD
    summary: In-progress responses carry Retry-After.
    source: test
`;

/** A valid scenario for `demo/ok.yaml`; tests derive broken ones from it. */
export const VALID = `id: demo.ok
title: A valid scenario
requirements: [KICKOFF-02, STATUS-02]
steps:
  - id: kickoff
    request:
      method: GET
      path: \${exportPath}
    expect:
      - { requirement: KICKOFF-02, status: 202 }
    capture:
      statusUrl: { header: content-location }
  - id: poll
    request: { method: GET, url: "\${statusUrl}" }
    expect:
      - { requirement: STATUS-02, status: 200 }
`;

export interface TempSuite {
  dir: string;
  /** Absolute path of a file in the suite. */
  abs(rel: string): string;
  /** The file name as diagnostics show it (absolute, as the temp dir is outside the working directory). */
  shown(rel: string): string;
}

const created: string[] = [];

/** Remove every suites directory written so far (call from afterEach). */
export function removeSuites(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Write a suites directory; `catalogue: null` leaves requirements.yaml out. */
export function writeSuite(files: Record<string, string>, catalogue: string | null = CATALOGUE): TempSuite {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fac-suite-'));
  created.push(dir);
  const all = catalogue === null ? files : { 'requirements.yaml': catalogue, ...files };
  for (const [rel, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  const abs = (rel: string): string => path.join(dir, rel);
  return { dir, abs, shown: (rel) => displayPath(abs(rel)) };
}

/** Load a suite and return its diagnostics (empty when the plan loaded). */
export function diagnosticsOf(suite: TempSuite): Diagnostic[] {
  const plan = loadPlan({ suitesDir: suite.dir });
  return plan.ok ? [] : plan.diagnostics;
}

/** 1-based line and column of the `nth` occurrence of `needle` in `text` (an oracle independent of the YAML parser). */
export function positionOf(text: string, needle: string, nth = 1): { line: number; column: number } {
  let index = -1;
  for (let i = 0; i < nth; i++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`'${needle}' (#${nth}) not in the text`);
  }
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: (before[before.length - 1] ?? '').length + 1 };
}

/** Replace `from` in VALID (which must occur) by `to`, literally (no `$$` replacement patterns). */
export function variant(from: string, to: string, base = VALID): string {
  if (!base.includes(from)) throw new Error(`'${from}' not in the base scenario`);
  return base.replace(from, () => to);
}
