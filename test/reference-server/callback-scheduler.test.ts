/** Module tests of the callback scheduler with a fake clock, fake timers and a recording POST. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { resolveCallbackOptions, type CallbackOptions } from '../../reference-server/callbacks/callback-config.js';
import type { CallbackRequest, DeliveryResult } from '../../reference-server/callbacks/callback-delivery.js';
import { CallbackScheduler } from '../../reference-server/callbacks/callback-scheduler.js';
import { createFaultSet } from '../../reference-server/faults/fault-set.js';
import { JobEvents } from '../../reference-server/longpoll/job-events.js';
import { createFakeTimers, type FakeTimers } from './fake-timers.js';
import { createFakeClock, START, type FakeClock } from './helpers.js';

interface Rig {
  clock: FakeClock;
  timers: FakeTimers;
  events: JobEvents;
  scheduler: CallbackScheduler;
  posts: CallbackRequest[];
  lines: string[];
  advance(ms: number): Promise<void>;
}

const RESULT_URL = 'http://127.0.0.1:1/_async/abc';
const CALLBACK = new URL('http://127.0.0.1:9/cb');

function createRig(opts: { callbacks?: CallbackOptions; faults?: string[]; answer?: DeliveryResult } = {}): Rig {
  const clock = createFakeClock();
  const timers = createFakeTimers();
  const events = new JobEvents();
  const posts: CallbackRequest[] = [];
  const lines: string[] = [];
  const scheduler = new CallbackScheduler({
    config: resolveCallbackOptions(opts.callbacks ?? {}),
    clock,
    faults: createFaultSet(opts.faults ?? []),
    events,
    timers,
    log: (line) => lines.push(line),
    post: (req) => {
      posts.push(req);
      return Promise.resolve(opts.answer ?? { ok: true, status: 204 });
    },
  });
  return {
    clock,
    timers,
    events,
    scheduler,
    posts,
    lines,
    async advance(ms) {
      clock.advance(ms);
      timers.elapse(ms);
      await scheduler.whenIdle();
    },
  };
}

function parametersOf(req: CallbackRequest | undefined): fhir4.Parameters {
  if (req === undefined) throw new Error('no callback was posted');
  return JSON.parse(req.body) as fhir4.Parameters;
}

function valueOf(params: fhir4.Parameters, name: string): fhir4.ParametersParameter | undefined {
  return params.parameter?.find((p) => p.name === name);
}

describe('CallbackScheduler', () => {
  it('posts one completed Parameters when the job ends, and nothing before', async () => {
    const rig = createRig();
    rig.scheduler.schedule({ jobId: 'j1', url: CALLBACK, resultUrl: RESULT_URL, endsAt: START + 1_000 });
    await rig.advance(999);
    expect(rig.posts).toHaveLength(0);
    await rig.advance(1);
    expect(rig.posts).toHaveLength(1);
    const params = parametersOf(rig.posts[0]);
    expect(params.resourceType).toBe('Parameters');
    expect(valueOf(params, 'status')).toEqual({ name: 'status', valueCode: 'completed' });
    expect(valueOf(params, 'resultUrl')).toEqual({ name: 'resultUrl', valueUrl: RESULT_URL });
    expect(valueOf(params, 'outcome')).toBeUndefined();
    expect(rig.posts[0]?.headers['Content-Type']).toMatch(/^application\/fhir\+json/);
    expect(rig.posts[0]?.url.href).toBe(CALLBACK.href);
    await rig.advance(60_000);
    rig.events.emitCancelled('j1');
    await rig.scheduler.whenIdle();
    expect(rig.posts).toHaveLength(1);
    expect(rig.scheduler.pendingCount).toBe(0);
    expect(rig.timers.armed).toBe(0);
  });

  it('posts cancelled once when the job is cancelled first, and never completed', async () => {
    const rig = createRig();
    rig.scheduler.schedule({ jobId: 'j1', url: CALLBACK, resultUrl: RESULT_URL, endsAt: START + 1_000 });
    await rig.advance(500);
    rig.events.emitCancelled('j1');
    rig.events.emitCancelled('j1');
    await rig.scheduler.whenIdle();
    await rig.advance(10_000);
    expect(rig.posts).toHaveLength(1);
    expect(valueOf(parametersOf(rig.posts[0]), 'status')?.valueCode).toBe('cancelled');
    expect(rig.timers.armed).toBe(0);
  });

  it('reports completed when a DELETE releases a job whose end time passed before the timer ran', async () => {
    const rig = createRig();
    rig.scheduler.schedule({ jobId: 'j1', url: CALLBACK, resultUrl: RESULT_URL, endsAt: START + 1_000 });
    rig.clock.advance(5_000); // the clock moved, the real-time timer has not fired yet
    rig.events.emitCancelled('j1');
    await rig.scheduler.whenIdle();
    expect(valueOf(parametersOf(rig.posts[0]), 'status')?.valueCode).toBe('completed');
  });

  it('posts failed with the OperationOutcome for a failing job', async () => {
    const rig = createRig();
    const failure: fhir4.OperationOutcome = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'exception', diagnostics: 'boom' }],
    };
    rig.scheduler.schedule({ jobId: 'j1', url: CALLBACK, resultUrl: RESULT_URL, endsAt: START + 100, failure });
    await rig.advance(100);
    const params = parametersOf(rig.posts[0]);
    expect(valueOf(params, 'status')?.valueCode).toBe('failed');
    expect(valueOf(params, 'outcome')?.resource).toEqual(failure);
  });

  it('signs the exact body with HMAC-SHA256 and adds the bearer token when configured', async () => {
    const rig = createRig({ callbacks: { secret: 'k3y', bearerToken: 'tok.en-1' } });
    rig.scheduler.schedule({ jobId: 'j1', url: CALLBACK, resultUrl: RESULT_URL, endsAt: START });
    await rig.advance(0);
    const post = rig.posts[0];
    const expected = createHmac('sha256', 'k3y').update(post?.body ?? '').digest('hex');
    expect(post?.headers['X-Callback-Signature']).toBe(`sha256=${expected}`);
    expect(post?.headers['Authorization']).toBe('Bearer tok.en-1');
    expect(rig.lines.join('\n')).not.toMatch(/k3y|tok\.en-1/);
  });

  it('sends neither header when nothing is configured', async () => {
    const rig = createRig();
    rig.scheduler.schedule({ jobId: 'j1', url: CALLBACK, resultUrl: RESULT_URL, endsAt: START });
    await rig.advance(0);
    expect(rig.posts[0]?.headers['X-Callback-Signature']).toBeUndefined();
    expect(rig.posts[0]?.headers['Authorization']).toBeUndefined();
  });

  it('logs a non-2xx answer and does not retry', async () => {
    const rig = createRig({ answer: { ok: false, status: 500, reason: 'answered 500' } });
    rig.scheduler.schedule({ jobId: 'j1', url: CALLBACK, resultUrl: RESULT_URL, endsAt: START + 10 });
    await rig.advance(10);
    await rig.advance(3_600_000);
    expect(rig.posts).toHaveLength(1);
    expect(rig.lines.join('\n')).toMatch(/answered 500 \(not retried\)/);
  });

  it('re-arms when the timer fires before the injected clock reaches the end time', async () => {
    const rig = createRig();
    rig.scheduler.schedule({ jobId: 'j1', url: CALLBACK, resultUrl: RESULT_URL, endsAt: START + 1_000 });
    rig.timers.elapse(1_000);
    await rig.scheduler.whenIdle();
    expect(rig.posts).toHaveLength(0);
    expect(rig.timers.armed).toBe(1);
    await rig.advance(1_000);
    expect(rig.posts).toHaveLength(1);
  });

  it('fireIfDue sends a due callback at once and ignores one not yet due', async () => {
    const rig = createRig();
    rig.scheduler.schedule({ jobId: 'j1', url: CALLBACK, resultUrl: RESULT_URL, endsAt: START + 1_000 });
    rig.scheduler.fireIfDue('j1');
    rig.scheduler.fireIfDue('unknown');
    await rig.scheduler.whenIdle();
    expect(rig.posts).toHaveLength(0);
    rig.clock.advance(1_000);
    rig.scheduler.fireIfDue('j1');
    rig.scheduler.fireIfDue('j1');
    await rig.scheduler.whenIdle();
    expect(rig.posts).toHaveLength(1);
    expect(rig.timers.armed).toBe(0);
  });

  it('close() clears timers and listeners, forgets unsent callbacks and refuses new ones', async () => {
    const rig = createRig();
    rig.scheduler.schedule({ jobId: 'j1', url: CALLBACK, resultUrl: RESULT_URL, endsAt: START + 1_000 });
    await rig.scheduler.close();
    await rig.scheduler.close();
    expect(rig.timers.armed).toBe(0);
    expect(rig.events.listenedJobs).toBe(0);
    rig.scheduler.schedule({ jobId: 'j2', url: CALLBACK, resultUrl: RESULT_URL, endsAt: START });
    await rig.advance(5_000);
    expect(rig.posts).toHaveLength(0);
  });

  it('never posts to a host that is neither allow-listed nor loopback', async () => {
    const rig = createRig({ faults: ['callback-allow-list-ignored'] });
    rig.scheduler.schedule({ jobId: 'j1', url: new URL('http://callback.invalid/cb'), resultUrl: RESULT_URL, endsAt: START });
    await rig.advance(0);
    expect(rig.posts).toHaveLength(0);
    expect(rig.lines.join('\n')).toContain('not sent');
  });

  it('logs, rather than throws, when building the callback fails', async () => {
    const rig = createRig({ faults: ['callback-unresolvable-result-url'] });
    rig.scheduler.schedule({ jobId: 'j1', url: CALLBACK, resultUrl: 'not a url', endsAt: START });
    await rig.advance(0);
    expect(rig.posts).toHaveLength(0);
    expect(rig.lines.join('\n')).toMatch(/callback for job j1… failed: /);
  });
});

describe('CallbackScheduler faults (module level)', () => {
  it('callback-missing: nothing is posted', async () => {
    const rig = createRig({ faults: ['callback-missing'] });
    rig.scheduler.schedule({ jobId: 'j1', url: CALLBACK, resultUrl: RESULT_URL, endsAt: START });
    await rig.advance(1_000);
    expect(rig.posts).toHaveLength(0);
  });

  it('callback-twice: two identical posts', async () => {
    const rig = createRig({ faults: ['callback-twice'] });
    rig.scheduler.schedule({ jobId: 'j1', url: CALLBACK, resultUrl: RESULT_URL, endsAt: START });
    await rig.advance(0);
    expect(rig.posts).toHaveLength(2);
    expect(rig.posts[1]?.body).toBe(rig.posts[0]?.body);
  });

  it('callback-wrong-status-code: done instead of completed (cancelled is untouched)', async () => {
    const rig = createRig({ faults: ['callback-wrong-status-code'] });
    rig.scheduler.schedule({ jobId: 'j1', url: CALLBACK, resultUrl: RESULT_URL, endsAt: START });
    rig.scheduler.schedule({ jobId: 'j2', url: CALLBACK, resultUrl: RESULT_URL, endsAt: START + 1_000 });
    await rig.advance(0);
    rig.events.emitCancelled('j2');
    await rig.scheduler.whenIdle();
    expect(rig.posts.map((post) => valueOf(parametersOf(post), 'status')?.valueCode)).toEqual(['done', 'cancelled']);
  });

  it('callback-unresolvable-result-url: resultUrl on the same origin, on an unrouted path', async () => {
    const rig = createRig({ faults: ['callback-unresolvable-result-url'] });
    rig.scheduler.schedule({ jobId: 'j1', url: CALLBACK, resultUrl: RESULT_URL, endsAt: START });
    await rig.advance(0);
    const resultUrl = new URL(valueOf(parametersOf(rig.posts[0]), 'resultUrl')?.valueUrl ?? '');
    expect(resultUrl.origin).toBe(new URL(RESULT_URL).origin);
    expect(resultUrl.pathname).toMatch(/^\/_callback-result-gone\/[0-9a-f]{32}$/);
  });

  it('callback-unsigned: no signature and no Authorization although both are configured', async () => {
    const rig = createRig({ faults: ['callback-unsigned'], callbacks: { secret: 's', bearerToken: 't' } });
    rig.scheduler.schedule({ jobId: 'j1', url: CALLBACK, resultUrl: RESULT_URL, endsAt: START });
    await rig.advance(0);
    expect(rig.posts[0]?.headers['X-Callback-Signature']).toBeUndefined();
    expect(rig.posts[0]?.headers['Authorization']).toBeUndefined();
  });
});

describe('CallbackScheduler content type fault (module level)', () => {
  it('callback-wrong-content-type: application/json instead of application/fhir+json', async () => {
    const rig = createRig({ faults: ['callback-wrong-content-type'] });
    rig.scheduler.schedule({ jobId: 'j1', url: CALLBACK, resultUrl: RESULT_URL, endsAt: START });
    await rig.advance(0);
    expect(rig.posts[0]?.headers['Content-Type']).toBe('application/json; charset=utf-8');
  });
});

describe('CallbackScheduler failure known only at the end', () => {
  it('asks a failure function when the job ends, not when it is scheduled or cancelled', async () => {
    const rig = createRig();
    const asked: string[] = [];
    const outcome: fhir4.OperationOutcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing' }] };
    rig.scheduler.schedule({ jobId: 'ok', url: CALLBACK, resultUrl: RESULT_URL, endsAt: START + 10, failure: () => (asked.push('ok'), undefined) });
    rig.scheduler.schedule({ jobId: 'bad', url: CALLBACK, resultUrl: RESULT_URL, endsAt: START + 10, failure: () => (asked.push('bad'), outcome) });
    rig.scheduler.schedule({ jobId: 'gone', url: CALLBACK, resultUrl: RESULT_URL, endsAt: START + 10, failure: () => (asked.push('gone'), outcome) });
    expect(asked).toEqual([]);
    rig.events.emitCancelled('gone');
    await rig.advance(10);
    expect(asked.sort()).toEqual(['bad', 'ok']);
    const statuses = rig.posts.map((post) => valueOf(parametersOf(post), 'status')?.valueCode).sort();
    expect(statuses).toEqual(['cancelled', 'completed', 'failed']);
  });
});
