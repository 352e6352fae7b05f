import { afterEach, describe, expect, it } from 'vitest';
import { AttachmentCollector, dereferenceAttachment } from '../../src/validate/attachment-check.js';
import { ProblemLog } from '../../src/validate/problem-log.js';
import { serveFiles, type FileServer } from './file-server.js';

let server: FileServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const doc = (id: string, attachment: Record<string, unknown>): Record<string, unknown> => ({
  resourceType: 'DocumentReference', id, status: 'current', content: [{ attachment }],
});

describe('attachments (FILE-07)', () => {
  it('finds Attachment urls through the FHIR schema, flags relative ones, samples distinct absolute http(s) ones, ignores urls next to data', () => {
    const collector = new AttachmentCollector((s) => s, 2);
    const log = new ProblemLog(5);
    collector.visit(doc('d1', { contentType: 'text/plain', url: 'Binary/b1' }), 'DocumentReference', 'DocumentReference/d1', 1, log, 'output[0]');
    collector.visit(doc('d2', { url: 'https://files.example/a' }), 'DocumentReference', 'DocumentReference/d2', 2, log, 'output[0]');
    collector.visit(doc('d3', { url: 'https://files.example/a' }), 'DocumentReference', 'DocumentReference/d3', 3, log, 'output[0]');
    collector.visit(doc('d4', { url: 'relative', data: 'aGk=' }), 'DocumentReference', 'DocumentReference/d4', 4, log, 'output[0]');
    collector.visit({ resourceType: 'Patient', id: 'p1', photo: [{ url: 'urn:uuid:1' }, { url: 'http://files.example/b' }, { url: 'http://files.example/c' }] }, 'Patient', 'Patient/p1', 5, log, 'output[1]');
    collector.visit({ resourceType: 'Observation', id: 'o1', extension: [{ url: 'x' }] }, 'Observation', 'Observation/o1', 6, log, 'output[1]');
    expect(log.describe('attachments')).toBe('line 1: DocumentReference/d1 content.attachment.url "Binary/b1" is not an absolute URL');
    expect(collector.found).toBe(6);
    expect(collector.sample.map((s) => [s.url, s.where])).toEqual([
      ['https://files.example/a', 'line 2: DocumentReference/d2 content.attachment.url of output[0]'],
      ['http://files.example/b', 'line 5: Patient/p1 photo.url of output[1]'],
    ]);
  });

  it('dereferences over loopback: 2XX passes, a redirect is followed, 404 fails with what was sent', async () => {
    server = await serveFiles({
      note: { body: 'hello', headers: { 'content-type': 'text/plain' } },
      moved: { status: 302, headers: { location: '/note' }, body: '' },
    });
    const opts = { headers: { Accept: '*/*' }, signal: AbortSignal.timeout(10_000), stallTimeoutMs: 5_000, redact: (s: string) => s };
    expect(await dereferenceAttachment(server.url('note'), opts)).toBeUndefined();
    expect(await dereferenceAttachment(server.url('moved'), opts)).toBeUndefined();
    expect(await dereferenceAttachment(server.url('gone'), opts)).toBe(`GET ${server.url('gone')} answered 404, not 200 with the attachment's content`);
  });
});
