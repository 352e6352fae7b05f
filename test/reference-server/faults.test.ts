import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { FAULTS, UnknownFaultError, assertKnownFaults, startReferenceServer, type ReferenceServerOptions, type RunningReferenceServer } from '../../reference-server/index.js';
import { BULK_KICKOFF_FAULT_CASES } from './bulk-fault-cases-kickoff.js';
import { BULK_OUTPUT_FAULT_CASES } from './bulk-fault-cases-output.js';
import { INTERACTION_FAULT_CASES } from './interaction-fault-cases.js';
import { PACING_FAULT_CASES } from './pacing-fault-cases.js';
import { PREFER_FAULT_CASES } from './prefer-fault-cases.js';
import { CALLBACK_FAULT_CASES } from './callback-fault-cases.js';
import { LONGPOLL_FAULT_CASES } from './longpoll-fault-cases.js';
import { EXPORT_STATUS_FAULT_CASES } from './export-status-fault-cases.js';
import { AUTH_FAULT_CASES } from '../auth/auth-fault-cases.js';
import { ORGANIZED_FAULT_CASES } from './organized-fault-cases.js';
import { TLS_FAULT_CASES } from './tls-fault-cases.js';
import { CAPABILITY_FAULT_CASES } from './capability-fault-cases.js';
import {
  closeAllServers,
  createFakeClock,
  del,
  get,
  kickoff,
  mediaType,
  startExport,
  startServer,
  type FakeClock,
  type Manifest,
} from './helpers.js';

afterEach(closeAllServers);

interface FaultCase {
  /** What a conformance check would see under this fault. */
  shows: string;
  /** Server options the fault needs (auth faults: auth mode with registered clients). */
  server?: Omit<ReferenceServerOptions, 'clock' | 'faults'>;
  /** `server`: the running server (TLS faults need its certificate). */
  run(baseUrl: string, clock: FakeClock, server: RunningReferenceServer): Promise<void>;
}

async function manifestOf(baseUrl: string, clock: FakeClock): Promise<{ res: Response; body: string }> {
  const statusUrl = await startExport(baseUrl);
  clock.advance(1_000);
  const res = await get(statusUrl, { Accept: 'application/json' });
  return { res, body: await res.text() };
}

/** One case per fault: each demonstrates the broken behaviour on the wire. */
const CASES: Record<string, FaultCase> = {
  ...CAPABILITY_FAULT_CASES,
  ...BULK_KICKOFF_FAULT_CASES,
  ...BULK_OUTPUT_FAULT_CASES,
  ...INTERACTION_FAULT_CASES,
  ...PREFER_FAULT_CASES,
  ...PACING_FAULT_CASES,
  ...CALLBACK_FAULT_CASES,
  ...LONGPOLL_FAULT_CASES,
  ...EXPORT_STATUS_FAULT_CASES,
  ...AUTH_FAULT_CASES,
  ...ORGANIZED_FAULT_CASES,
  ...TLS_FAULT_CASES,
  'kickoff-200': {
    shows: 'kick-off answers 200 with a manifest',
    async run(baseUrl) {
      const res = await kickoff(baseUrl);
      expect(res.status).toBe(200);
      expect(mediaType(res)).toBe('application/json');
      expect(((await res.json()) as Manifest).output.length).toBeGreaterThan(0);
    },
  },
  'no-content-location': {
    shows: '202 without Content-Location',
    async run(baseUrl) {
      const res = await kickoff(baseUrl);
      expect(res.status).toBe(202);
      expect(res.headers.get('content-location')).toBeNull();
    },
  },
  'relative-content-location': {
    shows: 'Content-Location is relative',
    async run(baseUrl) {
      const res = await kickoff(baseUrl);
      expect(res.status).toBe(202);
      const location = res.headers.get('content-location') ?? '';
      expect(location).toMatch(/^\/_async\//);
      expect(() => new URL(location)).toThrow();
      expect((await get(`${baseUrl}${location}`)).status).toBe(202);
    },
  },
  'status-200-while-running': {
    shows: '200 {"status":"in-progress"} while running',
    async run(baseUrl) {
      const res = await get(await startExport(baseUrl));
      expect(res.status).toBe(200);
      expect(mediaType(res)).toBe('application/json');
      expect(await res.json()).toEqual({ status: 'in-progress' });
    },
  },
  'manifest-wrong-content-type': {
    shows: 'manifest served as text/plain',
    async run(baseUrl, clock) {
      const { res, body } = await manifestOf(baseUrl, clock);
      expect(res.status).toBe(200);
      expect(mediaType(res)).toBe('text/plain');
      expect((JSON.parse(body) as Manifest).output.length).toBeGreaterThan(0);
    },
  },
  'manifest-requires-access-token-string': {
    shows: 'requiresAccessToken is "false"',
    async run(baseUrl, clock) {
      const { body } = await manifestOf(baseUrl, clock);
      expect((JSON.parse(body) as Manifest).requiresAccessToken).toBe('false');
    },
  },
  'manifest-relative-output-url': {
    shows: 'output[].url is relative',
    async run(baseUrl, clock) {
      const manifest = JSON.parse((await manifestOf(baseUrl, clock)).body) as Manifest;
      for (const item of manifest.output) {
        expect(item.url).toMatch(/^\/_files\//);
        expect((await get(`${baseUrl}${item.url}`)).status).toBe(200);
      }
    },
  },
  'file-wrong-content-type': {
    shows: 'files served as application/json',
    async run(baseUrl, clock) {
      const manifest = JSON.parse((await manifestOf(baseUrl, clock)).body) as Manifest;
      const res = await get(manifest.output[0]?.url ?? '');
      expect(res.status).toBe(200);
      expect(mediaType(res)).toBe('application/json');
    },
  },
  'cancel-200': {
    shows: 'DELETE answers 200 (job still cancelled)',
    async run(baseUrl) {
      const statusUrl = await startExport(baseUrl);
      expect((await del(statusUrl)).status).toBe(200);
      expect((await get(statusUrl)).status).toBe(404);
    },
  },
  'status-202-after-cancel': {
    shows: 'status URL keeps answering 202 after DELETE',
    async run(baseUrl, clock) {
      const statusUrl = await startExport(baseUrl);
      expect((await del(statusUrl)).status).toBe(202);
      clock.advance(10_000);
      expect((await get(statusUrl)).status).toBe(202);
      expect((await del(statusUrl)).status).toBe(202);
    },
  },
};

describe('fault catalogue', () => {
  it('has unique names, a requirement id and a description for every fault', () => {
    const names = FAULTS.map((fault) => fault.name);
    expect(new Set(names).size).toBe(names.length);
    for (const fault of FAULTS) {
      expect(fault.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(fault.requirement).toMatch(/^[A-Z]+-\d{2}$/);
      expect(fault.description.length).toBeGreaterThan(10);
    }
  });

  it('has a demonstration case for every fault and no case for an unknown one', () => {
    expect(Object.keys(CASES).sort()).toEqual(FAULTS.map((fault) => fault.name).sort());
  });

  it('is documented row by row in reference-server/FAULTS.md', () => {
    const doc = readFileSync(new URL('../../reference-server/FAULTS.md', import.meta.url), 'utf8');
    const rows = doc.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows).toHaveLength(FAULTS.length);
    for (const fault of FAULTS) {
      expect(rows.some((row) => row.startsWith(`| \`${fault.name}\` | ${fault.requirement} |`))).toBe(true);
    }
  });

  it('rejects unknown fault names with UnknownFaultError listing the valid names', async () => {
    const attempt = startReferenceServer({ port: 0, faults: ['kickoff-200', 'no-such-fault'] });
    await expect(attempt).rejects.toBeInstanceOf(UnknownFaultError);
    await expect(attempt).rejects.toThrow(/no-such-fault.*kickoff-200, no-content-location/);
    expect(() => assertKnownFaults(['nope'])).toThrow(UnknownFaultError);
    expect(() => assertKnownFaults(FAULTS.map((fault) => fault.name))).not.toThrow();
  });
});

describe.each(FAULTS.map((fault) => [fault.name, fault.requirement] as const))('fault %s (%s)', (name) => {
  const faultCase = CASES[name];
  it(`shows: ${faultCase?.shows ?? 'missing case'}`, async () => {
    if (faultCase === undefined) throw new Error(`no demonstration case for fault ${name}`);
    const clock = createFakeClock();
    const server = await startServer({ clock, faults: [name], ...faultCase.server });
    await faultCase.run(server.baseUrl, clock, server);
  });
});
