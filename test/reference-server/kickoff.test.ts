import { afterEach, describe, expect, it } from 'vitest';
import { closeAllServers, expectOutcome, kickoff, mediaType, startServer } from './helpers.js';

afterEach(closeAllServers);

describe('kick-off (GET /$export)', () => {
  it('answers 202 with an absolute Content-Location, Vary: Prefer and an informational OperationOutcome', async () => {
    const { baseUrl } = await startServer();
    const res = await kickoff(baseUrl);
    expect(res.status).toBe(202);
    const location = res.headers.get('content-location') ?? '';
    const url = new URL(location);
    expect(url.protocol).toBe('http:');
    expect(location.startsWith(`${baseUrl}/_async/`)).toBe(true);
    expect(url.pathname.split('/').pop()?.length ?? 0).toBeGreaterThanOrEqual(32);
    expect(res.headers.get('vary')).toMatch(/prefer/i);
    expect(mediaType(res)).toBe('application/fhir+json');
    const body = (await res.json()) as { resourceType: string };
    expect(body.resourceType).toBe('OperationOutcome');
  });

  it('gives each job a different, unguessable status URL', async () => {
    const { baseUrl } = await startServer();
    const a = (await kickoff(baseUrl)).headers.get('content-location');
    const b = (await kickoff(baseUrl)).headers.get('content-location');
    expect(a).not.toBe(b);
  });

  it.each(['application/fhir+ndjson', 'application/ndjson', 'ndjson'])('accepts _outputFormat=%s', async (format) => {
    const { baseUrl } = await startServer();
    const res = await kickoff(baseUrl, `?_outputFormat=${encodeURIComponent(format)}`);
    expect(res.status).toBe(202);
  });

  it('accepts an unencoded + in _outputFormat', async () => {
    const { baseUrl } = await startServer();
    expect((await kickoff(baseUrl, '?_outputFormat=application/fhir+ndjson')).status).toBe(202);
  });

  it.each([
    ['respond-async', 'plain'],
    ['RESPOND-ASYNC', 'upper case'],
    ['respond-async; foo', 'with a parameter'],
    ['respond-async=""', 'with an empty value'],
    ['x-foo=bar, respond-async, handling=strict', 'among other preferences'],
  ])('accepts Prefer: %s (%s)', async (prefer) => {
    const { baseUrl } = await startServer();
    expect((await kickoff(baseUrl, '', { Prefer: prefer })).status).toBe(202);
  });

  it.each([
    ['?_outputFormat=application/fhir%2Bjson', 'unsupported _outputFormat'],
    ['?_outputFormat=ndjson&_outputFormat=ndjson', 'repeated _outputFormat'],
    ['?_type=NotAType', 'unknown _type'],
    ['?_type=Patient,Medication', 'one unsupported _type in a list'],
    ['?_type=', 'empty _type'],
    ['?_since=yesterday', '_since that is not an instant'],
    ['?_since=2024-01-01', '_since without a time'],
    ['?_since=2024-02-30T00:00:00Z', '_since with an impossible date'],
    ['?organizeOutputBy=Patient', 'an unsupported parameter'],
  ])('rejects %s (%s) with 400 + OperationOutcome', async (query) => {
    const { baseUrl } = await startServer();
    const res = await kickoff(baseUrl, query);
    const outcome = await expectOutcome(res, 400);
    expect(outcome.issue[0]?.severity).toBe('error');
    expect(res.headers.get('vary')).toMatch(/prefer/i);
  });

  it('rejects a kick-off without Prefer: respond-async with 400 + OperationOutcome', async () => {
    const { baseUrl } = await startServer();
    const outcome = await expectOutcome(await kickoff(baseUrl, '', { Accept: 'application/fhir+json' }), 400);
    expect(outcome.issue[0]?.diagnostics).toMatch(/respond-async/);
  });

  it('accepts _since as a FHIR instant with offset', async () => {
    const { baseUrl } = await startServer();
    expect((await kickoff(baseUrl, `?_since=${encodeURIComponent('2024-01-01T00:00:00.123+02:00')}`)).status).toBe(202);
  });

  it('accepts an unsupported parameter under Prefer: handling=lenient', async () => {
    const { baseUrl } = await startServer();
    const res = await kickoff(baseUrl, '?organizeOutputBy=Patient', { Prefer: 'respond-async, handling=lenient' });
    expect(res.status).toBe(202);
  });
});

describe('kick-off (POST /$export with Parameters)', () => {
  const post = (baseUrl: string, body: string, prefer = 'respond-async'): Promise<Response> =>
    fetch(`${baseUrl}/$export`, {
      method: 'POST',
      headers: { Prefer: prefer, 'Content-Type': 'application/fhir+json' },
      body,
      redirect: 'manual',
    });

  it('answers 202 for a valid Parameters body with repeated _type', async () => {
    const { baseUrl } = await startServer();
    const body = {
      resourceType: 'Parameters',
      parameter: [
        { name: '_outputFormat', valueString: 'application/fhir+ndjson' },
        { name: '_type', valueString: 'Patient' },
        { name: '_type', valueString: 'Observation' },
        { name: '_since', valueInstant: '2020-01-01T00:00:00Z' },
      ],
    };
    const res = await post(baseUrl, JSON.stringify(body));
    expect(res.status).toBe(202);
    expect(new URL(res.headers.get('content-location') ?? '').protocol).toBe('http:');
  });

  it('rejects an unknown _type in the body', async () => {
    const { baseUrl } = await startServer();
    const body = { resourceType: 'Parameters', parameter: [{ name: '_type', valueString: 'Nope' }] };
    await expectOutcome(await post(baseUrl, JSON.stringify(body)), 400);
  });

  it.each([
    ['{"resourceType": "Parameters",', 'malformed JSON'],
    ['{"resourceType": "Patient"}', 'a resource that is not Parameters'],
    ['{"resourceType": "Parameters", "parameter": {}}', 'parameter that is not an array'],
    ['{"resourceType": "Parameters", "parameter": [{"name": "_type", "valueInteger": 3}]}', 'a non-string value'],
  ])('rejects %s (%s) with 400', async (body) => {
    const { baseUrl } = await startServer();
    await expectOutcome(await post(baseUrl, body), 400);
  });

  it('rejects a body over 1 MiB with 413', async () => {
    const { baseUrl } = await startServer();
    const big = JSON.stringify({ resourceType: 'Parameters', padding: 'x'.repeat(1024 * 1024 + 10) });
    await expectOutcome(await post(baseUrl, big), 413);
  });
});

describe('job store limit', () => {
  it('answers 429 with Retry-After and an OperationOutcome once 1000 jobs are held', async () => {
    const { baseUrl } = await startServer();
    for (let batch = 0; batch < 20; batch++) {
      const responses = await Promise.all(Array.from({ length: 50 }, () => kickoff(baseUrl)));
      for (const res of responses) {
        expect(res.status).toBe(202);
        await res.arrayBuffer();
      }
    }
    const res = await kickoff(baseUrl);
    await expectOutcome(res, 429);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('other routes', () => {
  it('serves a CapabilityStatement at /metadata', async () => {
    const { baseUrl } = await startServer();
    const res = await fetch(`${baseUrl}/metadata`);
    expect(res.status).toBe(200);
    expect(mediaType(res)).toBe('application/fhir+json');
    const cs = (await res.json()) as {
      resourceType: string;
      status: string;
      kind: string;
      fhirVersion: string;
      format: string[];
      rest: { mode: string; operation: { name: string; definition: string }[] }[];
    };
    expect(cs).toMatchObject({ resourceType: 'CapabilityStatement', status: 'active', kind: 'instance' });
    expect(cs.fhirVersion).toBe('4.0.1');
    expect(cs.format).toEqual(['json']);
    expect(cs.rest[0]?.mode).toBe('server');
    expect(cs.rest[0]?.operation).toContainEqual(
      expect.objectContaining({ name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' }),
    );
  });

  it('answers unknown routes with 404 + OperationOutcome', async () => {
    const { baseUrl } = await startServer();
    await expectOutcome(await fetch(`${baseUrl}/Patient/p1/no/such/route`), 404);
    await expectOutcome(await fetch(`${baseUrl}/_async/not-a-job`), 404);
  });

  it('answers a wrong method with 405, Allow and an OperationOutcome', async () => {
    const { baseUrl } = await startServer();
    const res = await fetch(`${baseUrl}/metadata`, { method: 'DELETE' });
    await expectOutcome(res, 405);
    expect(res.headers.get('allow')).toBe('GET');
  });
});
