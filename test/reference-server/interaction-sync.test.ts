import { afterEach, describe, expect, it } from 'vitest';
import { closeAllServers, expectOutcome, mediaType, startServer } from './helpers.js';
import { NEW_PATIENT, reindexBody, send } from './interaction-helpers.js';

afterEach(closeAllServers);

interface SearchBundle {
  type: string;
  total: number;
  link: { relation: string; url: string }[];
  entry?: { fullUrl: string; resource: { resourceType: string; id: string } }[];
}

async function searchIds(baseUrl: string, path: string): Promise<string[]> {
  const res = await send(baseUrl, { path });
  expect(res.status).toBe(200);
  const bundle = (await res.json()) as SearchBundle;
  expect(bundle.type).toBe('searchset');
  return (bundle.entry ?? []).map((entry) => entry.resource.id);
}

describe('synchronous REST interactions', () => {
  it('reads a Patient with ETag and Last-Modified, and 404 + OperationOutcome for an unknown id', async () => {
    const { baseUrl } = await startServer();
    const res = await send(baseUrl, { path: '/Patient/p2' });
    expect(res.status).toBe(200);
    expect(mediaType(res)).toBe('application/fhir+json');
    expect(res.headers.get('etag')).toBe('W/"1"');
    expect(Date.parse(res.headers.get('last-modified') ?? '')).not.toBeNaN();
    expect(((await res.json()) as { id: string }).id).toBe('p2');
    await expectOutcome(await send(baseUrl, { path: '/Patient/nobody' }), 404);
    expect((await send(baseUrl, { path: '/Observation/p1-obs1' })).status).toBe(200);
  });

  it('reads and searches Group g1', async () => {
    const { baseUrl } = await startServer();
    const res = await send(baseUrl, { path: '/Group/g1' });
    expect(res.status).toBe(200);
    const group = (await res.json()) as { resourceType: string; member: unknown[] };
    expect(group.resourceType).toBe('Group');
    expect(group.member.length).toBeGreaterThan(0);
    expect(await searchIds(baseUrl, '/Group?identifier=urn:fhir-async-conformance:group|g1')).toEqual(['g1']);
    expect(await searchIds(baseUrl, '/Group?identifier=g1')).toEqual(['g1']);
    expect(await searchIds(baseUrl, '/Group?identifier=other|g1')).toEqual([]);
  });

  it('searches by _id, name and subject, pages with _count, and reports total and a self link', async () => {
    const { baseUrl } = await startServer();
    expect(await searchIds(baseUrl, '/Patient?_id=p3,p1')).toEqual(['p1', 'p3']);
    expect(await searchIds(baseUrl, '/Patient?_id=p3,p1&_id=p3')).toEqual(['p3']);
    expect(await searchIds(baseUrl, '/Patient?name=ada')).not.toHaveLength(0);
    expect(await searchIds(baseUrl, '/Observation?subject=Patient/p2')).toEqual(['p2-obs1', 'p2-obs2', 'p2-obs3']);
    const res = await send(baseUrl, { path: '/Patient?_count=2' });
    const bundle = (await res.json()) as SearchBundle;
    expect(bundle.total).toBe(10);
    expect(bundle.entry).toHaveLength(2);
    expect(bundle.link[0]).toEqual({ relation: 'self', url: `${baseUrl}/Patient?_count=2` });
    expect(bundle.entry?.[0]?.fullUrl).toBe(`${baseUrl}/Patient/p1`);
    expect(await searchIds(baseUrl, '/Patient?_count=0')).toEqual([]);
  });

  it.each([
    ['/Patient?bogus=1', 400],
    ['/Patient?name:exact=Ada', 400],
    ['/Patient?_count=-1', 400],
    ['/Patient?_count=abc', 400],
    ['/Patient?_count=1&_count=2', 400],
    ['/Patient?name=', 400],
    ['/Patient/p1?bogus=1', 400],
  ])('rejects an invalid request %s with %i + OperationOutcome', async (path, status) => {
    const { baseUrl } = await startServer();
    await expectOutcome(await send(baseUrl, { path }), status);
  });

  it('ignores unsupported search parameters under handling=lenient', async () => {
    const { baseUrl } = await startServer();
    const res = await send(baseUrl, { path: '/Patient?bogus=1&_id=p1', prefer: 'handling=lenient' });
    expect(res.status).toBe(200);
    expect(res.headers.get('preference-applied')).toBe('handling=lenient');
    expect(((await res.json()) as SearchBundle).total).toBe(1);
  });

  it('creates a Patient: 201, absolute Location, the body by default, readable afterwards', async () => {
    const { baseUrl } = await startServer();
    const res = await send(baseUrl, { path: '/Patient', body: { ...NEW_PATIENT, id: 'client-id' } });
    expect(res.status).toBe(201);
    const location = res.headers.get('location') ?? '';
    expect(location).toMatch(new RegExp(`^${baseUrl}/Patient/[0-9a-f-]{36}/_history/1$`));
    const created = (await res.json()) as { id: string; meta: { versionId: string } };
    expect(created.id).not.toBe('client-id');
    expect(created.meta.versionId).toBe('1');
    expect((await send(baseUrl, { path: `/Patient/${created.id}` })).status).toBe(200);
    expect(await searchIds(baseUrl, '/Patient?name=Newman')).toEqual([created.id]);
  });

  it.each([
    ['return=minimal', undefined],
    ['return=representation', 'Patient'],
    ['return=OperationOutcome', 'OperationOutcome'],
  ])('honours Prefer: %s on create', async (prefer, resourceType) => {
    const { baseUrl } = await startServer();
    const res = await send(baseUrl, { path: '/Patient', body: NEW_PATIENT, prefer });
    expect(res.status).toBe(201);
    expect(res.headers.get('preference-applied')).toBe(prefer);
    const text = await res.text();
    if (resourceType === undefined) expect(text).toBe('');
    else expect((JSON.parse(text) as { resourceType: string }).resourceType).toBe(resourceType);
  });

  it.each([
    [{ resourceType: 'Observation', status: 'final' }, 'a body of another type'],
    [{ resourceType: 'Patient', gender: 'robot' }, 'an invalid gender'],
  ])('fails a create with %j (%s) with 400 + OperationOutcome', async (body, _label) => {
    const { baseUrl } = await startServer();
    await expectOutcome(await send(baseUrl, { path: '/Patient', body }), 400);
  });

  it('runs a batch in order and reports each entry', async () => {
    const { baseUrl } = await startServer();
    const body = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { request: { method: 'POST', url: 'Patient' }, resource: NEW_PATIENT },
        { request: { method: 'GET', url: 'Patient/p1' } },
        { request: { method: 'GET', url: `${baseUrl}/Patient?_id=p2` } },
        { request: { method: 'GET', url: 'Patient/nobody' } },
        { request: { method: 'DELETE', url: 'Patient/p1' } },
      ],
    };
    const res = await send(baseUrl, { path: '/', body });
    expect(res.status).toBe(200);
    const bundle = (await res.json()) as { type: string; entry: { response: { status: string; location?: string } }[] };
    expect(bundle.type).toBe('batch-response');
    expect(bundle.entry.map((entry) => entry.response.status)).toEqual([
      '201 Created',
      '200 OK',
      '200 OK',
      '404 Not Found',
      '405 Method Not Allowed',
    ]);
    expect(bundle.entry[0]?.response.location).toMatch(/^Patient\/[0-9a-f-]{36}\/_history\/1$/);
  });

  it('runs a transaction all-or-nothing', async () => {
    const { baseUrl } = await startServer();
    const create = { request: { method: 'POST', url: 'Patient' }, resource: { ...NEW_PATIENT, name: [{ family: 'Tx' }] } };
    const failing = { resourceType: 'Bundle', type: 'transaction', entry: [create, { request: { method: 'GET', url: 'Patient/nobody' } }] };
    await expectOutcome(await send(baseUrl, { path: '/', body: failing }), 404);
    expect(await searchIds(baseUrl, '/Patient?name=Tx')).toEqual([]);
    const ok = await send(baseUrl, { path: '/', body: { ...failing, entry: [create] } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { type: string }).type).toBe('transaction-response');
    expect(await searchIds(baseUrl, '/Patient?name=Tx')).toHaveLength(1);
  });

  it('runs $reindex: 200 Parameters, 400 without the required type, 400 at once for an unknown parameter', async () => {
    const { baseUrl } = await startServer();
    const res = await send(baseUrl, { path: '/$reindex', body: reindexBody('Patient') });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      resourceType: 'Parameters',
      parameter: [
        { name: 'type', valueCode: 'Patient' },
        { name: 'count', valueInteger: 10 },
      ],
    });
    await expectOutcome(await send(baseUrl, { path: '/$reindex', body: reindexBody() }), 400);
    await expectOutcome(await send(baseUrl, { path: '/$reindex', body: reindexBody('Nope') }), 400);
    const unknown = { resourceType: 'Parameters', parameter: [{ name: 'everything', valueBoolean: true }] };
    await expectOutcome(await send(baseUrl, { path: '/$reindex', body: unknown }), 400);
  });
});

describe('robustness of the interaction endpoints', () => {
  it.each([
    ['{"resourceType": "Patient",', 400, 'malformed JSON'],
    ['[1, 2]', 400, 'JSON that is not a resource'],
    ['', 400, 'an empty body'],
    ['{"resourceType":"Patient"}', 415, 'a text/plain body', 'text/plain'],
  ])('POST /Patient with %s -> %i (%s)', async (body, status, _label, contentType = 'application/fhir+json') => {
    const { baseUrl } = await startServer();
    await expectOutcome(await send(baseUrl, { path: '/Patient', body, headers: { 'Content-Type': contentType } }), status);
  });

  it('answers an oversized body with 413', async () => {
    const { baseUrl } = await startServer();
    const body = JSON.stringify({ resourceType: 'Patient', text: 'x'.repeat(1024 * 1024 + 10) });
    await expectOutcome(await send(baseUrl, { path: '/Patient', body }), 413);
  });

  it('answers an Accept it cannot satisfy with 406', async () => {
    const { baseUrl } = await startServer();
    await expectOutcome(await send(baseUrl, { path: '/Patient/p1', headers: { Accept: 'application/fhir+xml' } }), 406);
    const json = await send(baseUrl, { path: '/Patient/p1', headers: { Accept: 'application/json' } });
    expect(mediaType(json)).toBe('application/json');
  });

  it('answers unknown routes with 404 and wrong methods with 405 + Allow', async () => {
    const { baseUrl } = await startServer();
    await expectOutcome(await send(baseUrl, { path: '/Medication/x' }), 404);
    await expectOutcome(await send(baseUrl, { path: '/Patient/bad_id!' }), 404);
    const wrong = await send(baseUrl, { path: '/Patient/p1', method: 'DELETE' });
    await expectOutcome(wrong, 405);
    expect(wrong.headers.get('allow')).toBe('GET');
    await expectOutcome(await send(baseUrl, { path: '/$reindex' }), 405);
    await expectOutcome(await send(baseUrl, { path: '/', method: 'GET' }), 405);
  });

  it('rejects a POST / that is not a batch or transaction Bundle', async () => {
    const { baseUrl } = await startServer();
    await expectOutcome(await send(baseUrl, { path: '/', body: { resourceType: 'Bundle', type: 'collection' } }), 400);
    const noRequest = { resourceType: 'Bundle', type: 'batch', entry: [{ resource: NEW_PATIENT }] };
    await expectOutcome(await send(baseUrl, { path: '/', body: noRequest }), 400);
  });
});
