/**
 * Demonstrations of the TLS faults (run by faults.test.ts against a server in TLS mode): each
 * trusts the server's own certificate for its https requests.
 */
import { request as plainRequest } from 'node:http';
import { Agent, request } from 'undici';
import { expect } from 'vitest';
import type { ReferenceServerOptions, RunningReferenceServer } from '../../reference-server/index.js';
import type { FakeClock } from './helpers.js';

export interface TlsFaultDemo {
  shows: string;
  server: Omit<ReferenceServerOptions, 'clock' | 'faults'>;
  run(baseUrl: string, clock: FakeClock, server: RunningReferenceServer): Promise<void>;
}

/** The status of a plain-HTTP GET. */
function plainStatus(url: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    plainRequest(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode);
    }).on('error', reject).end();
  });
}

export const TLS_FAULT_CASES: Record<string, TlsFaultDemo> = {
  'redirect-location-http-under-tls': {
    shows: "over TLS the redirect-mode 303's Location says http://, and the port answers it over plain HTTP",
    server: { tls: true, jobDurationMs: 0 },
    async run(baseUrl, _clock, server) {
      const dispatcher = new Agent({ connect: { ca: server.caCertificate } });
      try {
        const kickoff = await request(`${baseUrl}/Patient?_count=5`, { headers: { Prefer: 'respond-async, async-mode=redirect', Accept: 'application/fhir+json' }, dispatcher });
        await kickoff.body.dump();
        expect(kickoff.statusCode).toBe(202);
        const statusUrl = String(kickoff.headers['content-location']);
        expect(statusUrl).toMatch(/^https:\/\//);
        const seeOther = await request(statusUrl, { dispatcher });
        await seeOther.body.dump();
        expect(seeOther.statusCode).toBe(303);
        const location = String(seeOther.headers['location']);
        expect(location).toMatch(/^http:\/\//);
        expect(await plainStatus(location)).toBe(200);
      } finally {
        await dispatcher.close();
      }
    },
  },
  'file-urls-http-under-tls': {
    shows: 'over TLS the manifest file URLs say http://, and the port answers them over plain HTTP',
    server: { tls: true },
    async run(baseUrl, clock, server) {
      const dispatcher = new Agent({ connect: { ca: server.caCertificate } });
      try {
        const kickoff = await request(`${baseUrl}/$export`, { headers: { Prefer: 'respond-async', Accept: 'application/fhir+json' }, dispatcher });
        await kickoff.body.dump();
        const statusUrl = String(kickoff.headers['content-location']);
        expect(statusUrl).toMatch(/^https:\/\//);
        clock.advance(1_000);
        const manifest = (await (await request(statusUrl, { dispatcher })).body.json()) as { output: { url: string }[] };
        const url = manifest.output[0]?.url ?? '';
        expect(url).toMatch(/^http:\/\//);
        expect(await plainStatus(url)).toBe(200);
      } finally {
        await dispatcher.close();
      }
    },
  },
};
