import type { Argv } from 'yargs';
import { loadPlan } from '../../app/load-plan.js';
import { DEFAULT_SUITES_DIR } from '../../app/package-info.js';
import { formatDiagnostic } from '../../scenario/diagnostics.js';
import { EXIT } from '../exit-codes.js';
import { writeErr, writeOut } from '../output.js';

export function registerList(y: Argv): Argv {
  return y.command(
    'list',
    'List scenario ids, titles and the requirement ids they verify',
    (c) =>
      c
        .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output' })
        .option('grep', { type: 'string', array: true, describe: 'Only ids matching this glob' })
        .option('suites', { type: 'string', default: DEFAULT_SUITES_DIR, defaultDescription: 'the bundled suites/' }),
    (argv) => {
      const plan = loadPlan({ suitesDir: argv.suites, ...(argv.grep ? { grep: argv.grep } : {}) });
      if (!plan.ok) {
        writeErr(plan.diagnostics.map(formatDiagnostic).join('\n') + '\n');
        process.exitCode = EXIT.invalidInput;
        return;
      }
      const rows = plan.scenarios.map((s) => ({ id: s.id, title: s.title, area: s.area, file: s.file, requirements: s.requirements }));
      if (argv.json) {
        writeOut(JSON.stringify(rows, null, 2) + '\n');
        return;
      }
      for (const r of rows) writeOut(`${r.id}\n  ${r.title}\n  requirements: ${r.requirements.join(', ')}\n`);
      writeOut(`${rows.length} scenario(s)\n`);
    },
  );
}
