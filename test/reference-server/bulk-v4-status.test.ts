/** The 4.0 shape's Prefer: separate-export-status (STATUS-03, PREFER-10) and allowPartialManifests (STATUS-06, MAN-09). */
import { afterEach, describe, expect, it } from 'vitest';
import { postKickoff, statusUrlOf, type BulkManifest } from './bulk-helpers.js';
import { closeAllServers, createFakeClock, del, get, startServer, type FakeClock } from './helpers.js';

afterEach(closeAllServers);

const SEPARATE = 'respond-async, separate-export-status';
const PARTIAL = [['allowPartialManifests', 'true']] as const;

async function startV4(clock: FakeClock, faults: string[] = []): Promise<string> {
  return (await startServer({ clock, bulkVersion: 'v4', faults })).baseUrl;
}

async function json(res: Response): Promise<Paged> {
  return (await res.json()) as Paged;
}

interface Paged extends BulkManifest {
  link?: { relation: string; url: string }[];
}

/** Follows `link` next from `first` and returns every page, first included. */
async function collectPages(first: Paged): Promise<Paged[]> {
  const pages = [first];
  for (let next = first.link?.[0]?.url; next !== undefined; next = pages.at(-1)?.link?.[0]?.url) {
    const res = await get(next, { Accept: 'application/json' });
    expect(res.status).toBe(200);
    pages.push(await json(res));
  }
  return pages;
}

describe('Prefer: separate-export-status (4.0 shape)', () => {
  it('names both preferences in Preference-Applied and answers every poll 200 with X-Export-Status', async () => {
    const clock = createFakeClock();
    const baseUrl = await startV4(clock);
    const kickoff = await postKickoff(baseUrl, '/$export', [], SEPARATE);
    expect(kickoff.headers.get('preference-applied')).toBe('respond-async, separate-export-status');
    const statusUrl = await statusUrlOf(kickoff);
    const running = await get(statusUrl, { Accept: 'application/json' });
    expect(running.status).toBe(200);
    expect(running.headers.get('x-export-status')).toBe('202 Accepted');
    expect(running.headers.get('retry-after')).not.toBeNull();
    expect(await running.text()).toBe('');
    clock.advance(60_000);
    const done = await get(statusUrl, { Accept: 'application/json' });
    expect(done.status).toBe(200);
    expect(done.headers.get('x-export-status')).toBe('200 OK');
    expect((await json(done)).transactionTime).toBeTypeOf('string');
  });

  it('reports a failed job as 200 with X-Export-Status 500 and an OperationOutcome', async () => {
    const clock = createFakeClock();
    const baseUrl = await startV4(clock);
    const statusUrl = await statusUrlOf(await postKickoff(baseUrl, '/$export', [['_typeFilter', 'Observation?unsupported-param=x']], SEPARATE));
    clock.advance(60_000);
    const res = await get(statusUrl, { Accept: 'application/json' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-export-status')).toBe('500 Internal Server Error');
    expect(((await res.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
  });

  it('is ignored by the v2 shape (plain 202/200, no Preference-Applied)', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const kickoff = await postKickoff(baseUrl, '/$export', [], SEPARATE);
    expect(kickoff.headers.get('preference-applied')).toBeNull();
    const running = await get(await statusUrlOf(kickoff), { Accept: 'application/json' });
    expect(running.status).toBe(202);
    expect(running.headers.get('x-export-status')).toBeNull();
  });
});

describe('allowPartialManifests=true (4.0 shape)', () => {
  it('hands out the first page on 202 at once, its files fetchable, and never changes it except for link', async () => {
    const clock = createFakeClock();
    const baseUrl = await startV4(clock);
    const statusUrl = await statusUrlOf(await postKickoff(baseUrl, '/$export', PARTIAL));
    const first = await get(statusUrl, { Accept: 'application/json' });
    expect(first.status).toBe(202);
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
    const partial = (await json(first)) as Paged;
    expect(partial.output).toHaveLength(2);
    expect(partial.link).toBeUndefined();
    for (const item of partial.output) expect((await get(item.url)).status).toBe(200);
    clock.advance(60_000);
    const done = await get(statusUrl, { Accept: 'application/json' });
    expect(done.status).toBe(200);
    const manifest = (await json(done)) as Paged;
    const { link, ...rest } = manifest;
    expect(rest).toEqual(partial);
    expect(link).toEqual([{ relation: 'next', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/_manifest\//) }]);
  });

  it('pages the completed manifest: every page repeats the other fields, together they list every file once', async () => {
    const clock = createFakeClock();
    const baseUrl = await startV4(clock);
    const since = ['_since', '2000-01-01T00:00:00Z'] as const;
    const statusUrl = await statusUrlOf(await postKickoff(baseUrl, '/$export', [...PARTIAL, since]));
    const wholeUrl = await statusUrlOf(await postKickoff(baseUrl, '/$export', [since]));
    clock.advance(60_000);
    const whole = await json(await get(wholeUrl, { Accept: 'application/json' }));
    const pages = await collectPages(await json(await get(statusUrl, { Accept: 'application/json' })));
    expect(pages).toHaveLength(Math.ceil(whole.output.length / 2));
    expect(pages.length).toBeGreaterThan(1);
    const strip = ({ output: _o, deleted: _d, link: _l, ...rest }: Paged): object => rest;
    for (const page of pages) expect(strip(page)).toEqual(strip(pages[0] as Paged));
    expect(pages.flatMap((p) => p.output.map((i) => [i.type, i.count]))).toEqual(whole.output.map((i) => [i.type, i.count]));
    expect(pages.map((p) => p.deleted?.length)).toEqual([...pages.slice(1).map(() => 0), 1]);
  });

  it('makes later pages available as the job runs; a page not yet available, or of a deleted job, is 404', async () => {
    const clock = createFakeClock();
    const baseUrl = await startV4(clock);
    const statusUrl = await statusUrlOf(await postKickoff(baseUrl, '/$export', PARTIAL));
    clock.advance(400);
    const partial = (await json(await get(statusUrl))) as Paged;
    const second = partial.link?.[0]?.url ?? '';
    expect(second).not.toBe('');
    expect((await get(second.replace(/\/1$/, '/2'))).status).toBe(404);
    const page = (await json(await get(second))) as Paged;
    for (const item of page.output) expect((await get(item.url)).status).toBe(200);
    expect((await del(statusUrl)).status).toBe(202);
    expect((await get(second)).status).toBe(404);
  });

  it('is refused by the v2 shape as an unknown parameter', async () => {
    const { baseUrl } = await startServer({});
    expect((await postKickoff(baseUrl, '/$export', PARTIAL)).status).toBe(400);
  });

  it('refuses a value other than true or false', async () => {
    const baseUrl = await startV4(createFakeClock());
    expect((await postKickoff(baseUrl, '/$export', [['allowPartialManifests', 'yes']])).status).toBe(400);
  });
});
