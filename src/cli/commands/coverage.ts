import type { Argv } from 'yargs';
import { computeCoverage } from '../../app/coverage.js';
import { loadPlan } from '../../app/load-plan.js';
import { DEFAULT_SUITES_DIR } from '../../app/package-info.js';
import { formatDiagnostic } from '../../scenario/diagnostics.js';
import { EXIT } from '../exit-codes.js';
import { writeErr, writeOut } from '../output.js';

export function registerCoverage(y: Argv): Argv {
  return y.command(
    'coverage',
    'Show which scenarios verify each catalogued requirement, and the gaps',
    (c) =>
      c
        .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output' })
        .option('check', { type: 'boolean', default: false, describe: 'Exit 1 when a SHALL/SHOULD requirement has neither a scenario nor a notTested reason' })
        .option('suites', { type: 'string', default: DEFAULT_SUITES_DIR, defaultDescription: 'the bundled suites/' }),
    (argv) => {
      const plan = loadPlan({ suitesDir: argv.suites });
      if (!plan.ok) {
        writeErr(plan.diagnostics.map(formatDiagnostic).join('\n') + '\n');
        process.exitCode = EXIT.invalidInput;
        return;
      }
      const report = computeCoverage(plan.catalogue, plan.scenarios);
      if (argv.json) {
        writeOut(JSON.stringify(report, null, 2) + '\n');
      } else {
        for (const r of report.requirements) {
          const what = r.status === 'covered' ? r.scenarios.join(', ') : r.status === 'not-tested' ? `not tested: ${r.notTested ?? ''}` : 'NOT COVERED';
          writeOut(`${r.id.padEnd(12)} ${r.level.padEnd(10)} ${what}\n`);
        }
        writeOut('\narea        total covered notTested gaps(SHALL/SHOULD)\n');
        for (const a of report.areas) {
          writeOut(`${a.area.padEnd(11)} ${String(a.total).padStart(5)} ${String(a.covered).padStart(7)} ${String(a.notTested).padStart(9)} ${String(a.gaps).padStart(4)}(${a.gapsShallShould})\n`);
        }
        writeOut(report.gaps.length ? `\n${report.gaps.length} SHALL/SHOULD requirement(s) with no scenario and no notTested reason: ${report.gaps.join(', ')}\n` : '\nevery SHALL/SHOULD requirement is covered or justified\n');
      }
      if (argv.check && (report.gaps.length || report.unknownCited.length)) process.exitCode = EXIT.failed;
    },
  );
}
