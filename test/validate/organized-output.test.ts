import { describe, expect, it } from 'vitest';
import { OrganizedOutput } from '../../src/validate/organized-output.js';
import { ProblemLog } from '../../src/validate/problem-log.js';

const header = (reference: string): Record<string, unknown> => ({ resourceType: 'Parameters', parameter: [{ name: 'header', valueReference: { reference } }] });
const patient = (id: string): Record<string, unknown> => ({ resourceType: 'Patient', id });
const obs = (id: string, p: string): Record<string, unknown> => ({ resourceType: 'Observation', id, subject: { reference: `Patient/${p}` } });

type Line = Record<string, unknown>;

/** Runs the organized check over files of parsed lines; returns each file's problems. */
function judge(files: Line[][], continues: (string | undefined)[] = [], readWhole = true): (string | undefined)[] {
  const urls = files.map((_, i) => `https://files.example/f${i}`);
  const organized = new OrganizedOutput('Patient', urls.map((url, i) => ({ url, continuesInFile: continues[i] === undefined ? undefined : continues[i] })));
  const logs = files.map(() => new ProblemLog(5));
  files.forEach((lines, i) => {
    const state = organized.fileAt(i);
    if (state === undefined) throw new Error('no state');
    lines.forEach((line, n) => organized.visit(state, line, String(line['resourceType']), `${String(line['resourceType'])}/${String(line['id'] ?? '')}`, n + 1, logs[i] ?? new ProblemLog(5)));
  });
  organized.finish(() => readWhole);
  return logs.map((log) => log.describe('organized'));
}

describe('organized output (FILE-09)', () => {
  it('accepts blocks headed by Parameters, a continued block repeated at the start of the file continuesInFile names, absolute and versioned references', () => {
    const files = [
      [header('Patient/p1'), patient('p1'), obs('o1', 'p1'), header('Patient/p2'), patient('p2')],
      [header('Patient/p2'), obs('o2', 'p2'), header('https://fhir.example/r4/Patient/p3/_history/2'), patient('p3')],
      [{ resourceType: 'Parameters', parameter: [{ name: 'header', valueReference: { reference: 'urn:uuid:7d1b', type: 'Patient' } }] }, patient('p4')],
    ];
    expect(judge(files, ['https://files.example/f1', undefined])).toEqual([undefined, undefined, undefined]);
  });

  it('flags a file that does not start with a header, and a header that is not a Reference to the organizing type', () => {
    const files = [
      [patient('p1'), header('Group/g1'), { resourceType: 'Parameters', parameter: [{ name: 'header', valueString: 'p2' }] }],
    ];
    const [problems] = judge(files);
    expect(problems).toMatch(/^line 1: the file starts with Patient\/p1, not a Parameters header/);
    expect(problems).toMatch(/line 2: the header references "Group\/g1", not a Patient/);
    expect(problems).toMatch(/line 3: the header parameter has no valueReference.reference/);
  });

  it('flags a block continued in another file without continuesInFile, and a continuesInFile whose file starts with another block', () => {
    const split = [[header('Patient/p1'), patient('p1')], [header('Patient/p1'), obs('o1', 'p1')]];
    expect(judge(split)[1]).toMatch(/line 1: the block of Patient\/p1 already appeared in output\[0\]/);
    const wrong = [[header('Patient/p1'), patient('p1')], [header('Patient/p2'), patient('p2')]];
    expect(judge(wrong, ['https://files.example/f1'])[0]).toMatch(/continuesInFile names output\[1\], whose first header is Patient\/p2, not this file's last block header Patient\/p1/);
    // A file not read whole (sampled by --quick) may hide its last header: its link is not judged.
    expect(judge(wrong, ['https://files.example/f1'], false)).toEqual([undefined, undefined]);
    const elsewhere = [[header('Patient/p1'), patient('p1')]];
    expect(judge(elsewhere, ['https://files.example/nowhere'])[0]).toBe('continuesInFile is not the url of an output item of this manifest');
  });
});
