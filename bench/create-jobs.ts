/** Phase one of the benchmark: kick off N export jobs (bounded concurrency) and collect their status URLs. */
import type { Pool } from 'undici';

export interface CreatedJobs {
  statusUrls: string[];
  errors: number;
  /** First few distinct error descriptions. */
  samples: string[];
  ms: number;
}

const KICKOFF_HEADERS = { prefer: 'respond-async', accept: 'application/fhir+json' };

async function kickOff(pool: Pool): Promise<string> {
  const res = await pool.request({ method: 'GET', path: '/$export', headers: KICKOFF_HEADERS });
  await res.body.dump();
  const location = res.headers['content-location'];
  if (res.statusCode !== 202 || typeof location !== 'string') {
    throw new Error(`kick-off answered ${res.statusCode}${typeof location === 'string' ? '' : ' without Content-Location'}`);
  }
  return location;
}

export async function createJobs(pool: Pool, count: number, concurrency: number): Promise<CreatedJobs> {
  const started = performance.now();
  const statusUrls: string[] = [];
  const samples = new Set<string>();
  let errors = 0;
  let issued = 0;
  const worker = async (): Promise<void> => {
    while (issued < count) {
      issued++;
      try {
        statusUrls.push(await kickOff(pool));
      } catch (err) {
        errors++;
        if (samples.size < 5) samples.add(err instanceof Error ? err.message : String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { statusUrls, errors, samples: [...samples], ms: performance.now() - started };
}
