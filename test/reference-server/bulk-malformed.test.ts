import { afterEach, describe, expect, it } from 'vitest';
import { kickoffAt } from './bulk-helpers.js';
import { closeAllServers, expectOutcome, startServer } from './helpers.js';

afterEach(closeAllServers);

const QUERIES = [
  '?_type=,,',
  '?_elements=',
  '?_elements=%20',
  '?patient=',
  '?patient=Patient%2F',
  '?patient=Observation%2Fp1-obs1',
  '?_typeFilter=',
  '?_typeFilter=%3F',
  '?_typeFilter=Observation%3Fcode%3D%25ZZ,,',
  '?_since=',
  '?_until=2024-13-01T00:00:00Z',
  '?includeAssociatedData=',
  '?_maximumFileSize=',
  '?_maximumFileSize=99999999999999999999',
  '?_minimumFileSize=1&_minimumFileSize=2',
];

const BODIES = [
  '{"resourceType":"Parameters","parameter":[{"name":"patient","valueReference":{}}]}',
  '{"resourceType":"Parameters","parameter":[{"name":"patient","valueReference":{"reference":"Patient/p999"}}]}',
  '{"resourceType":"Parameters","parameter":[{"name":"_type","valueString":"Patient","valueCode":"Patient"}]}',
  '{"resourceType":"Parameters","parameter":[{"name":"_maximumFileSize","valueInteger":-1}]}',
  '{"resourceType":"Parameters","parameter":[null]}',
  '[]',
];

describe('malformed kick-off input never causes a 5xx', () => {
  it.each(QUERIES)('GET /Patient/$export%s answers 202 or 400 + OperationOutcome', async (query) => {
    const { baseUrl } = await startServer();
    const res = await kickoffAt(baseUrl, '/Patient/$export', query);
    if (res.status === 202) return;
    await expectOutcome(res, 400);
  });

  it.each(BODIES)('POST /Group/g1/$export with %s answers 400 + OperationOutcome', async (body) => {
    const { baseUrl } = await startServer();
    const res = await fetch(`${baseUrl}/Group/g1/$export`, { method: 'POST', headers: { Prefer: 'respond-async' }, body });
    await expectOutcome(res, 400);
  });

  it('answers a Group id with odd characters with 404, not 5xx', async () => {
    const { baseUrl } = await startServer();
    await expectOutcome(await kickoffAt(baseUrl, '/Group/%E2%9C%93%20x/$export'), 404);
    expect((await kickoffAt(baseUrl, '/Group//$export')).status).toBe(404);
  });
});
