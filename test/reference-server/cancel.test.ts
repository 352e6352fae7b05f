import { afterEach, describe, expect, it } from 'vitest';
import {
  closeAllServers,
  createFakeClock,
  del,
  expectOutcome,
  get,
  mediaType,
  startExport,
  startServer,
  type Manifest,
} from './helpers.js';

afterEach(closeAllServers);

describe('cancellation (DELETE on the status URL)', () => {
  it('answers 202 for a running job, then 404 + OperationOutcome on GET and DELETE', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const statusUrl = await startExport(baseUrl);
    const res = await del(statusUrl);
    expect(res.status).toBe(202);
    if (mediaType(res) !== '') expect(((await res.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    await expectOutcome(await get(statusUrl), 404);
    await expectOutcome(await del(statusUrl), 404);
    clock.advance(10_000);
    await expectOutcome(await get(statusUrl), 404);
  });

  it('answers 202 for a finished job and removes its files', async () => {
    const clock = createFakeClock();
    const { baseUrl } = await startServer({ clock });
    const statusUrl = await startExport(baseUrl);
    clock.advance(1_000);
    const manifest = (await (await get(statusUrl)).json()) as Manifest;
    const fileUrl = manifest.output[0]?.url ?? '';
    expect((await get(fileUrl)).status).toBe(200);
    expect((await del(statusUrl)).status).toBe(202);
    await expectOutcome(await get(statusUrl), 404);
    await expectOutcome(await get(fileUrl), 404);
  });

  it('answers DELETE on an unknown status URL with 404 + OperationOutcome', async () => {
    const { baseUrl } = await startServer();
    await expectOutcome(await del(`${baseUrl}/_async/0123456789abcdef0123456789abcdef`), 404);
  });
});
