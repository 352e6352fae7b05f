import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createJsonReporter } from '../../src/report/json-reporter.js';
import { createRunResult } from './fixtures.js';

describe('createJsonReporter', () => {
  it('writes the run result as pretty JSON that round-trips, creating the directory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'json-reporter-'));
    try {
      const file = path.join(dir, 'a', 'b', 'result.json');
      const result = createRunResult();
      await createJsonReporter({ file }).onRunEnd(result);
      const text = fs.readFileSync(file, 'utf8');
      expect(text.startsWith('{\n  "schemaVersion": 1,\n')).toBe(true);
      expect(text.endsWith('}\n')).toBe(true);
      expect(JSON.parse(text)).toEqual(createRunResult());
      expect(result).toEqual(createRunResult());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
