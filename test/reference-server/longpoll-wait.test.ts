/** Module tests of long polling: wait preference, options, events and the waiter (fake clock and timers). */
import { describe, expect, it } from 'vitest';
import { JobEvents } from '../../reference-server/longpoll/job-events.js';
import { resolveLongPollOptions } from '../../reference-server/longpoll/longpoll-config.js';
import { waitForJobChange, type WaitOutcome } from '../../reference-server/longpoll/wait-for-job-change.js';
import { readWaitMs } from '../../reference-server/longpoll/wait-preference.js';
import { parsePrefer } from '../../reference-server/prefer.js';
import { createFakeTimers, type FakeTimers } from './fake-timers.js';
import { createFakeClock, START, type FakeClock } from './helpers.js';

interface Rig {
  clock: FakeClock;
  timers: FakeTimers;
  events: JobEvents;
  /** Moves the fake clock and fake real time together. */
  advance(ms: number): void;
}

function createRig(): Rig {
  const clock = createFakeClock();
  const timers = createFakeTimers();
  return {
    clock,
    timers,
    events: new JobEvents(),
    advance(ms) {
      clock.advance(ms);
      timers.elapse(ms);
    },
  };
}

/** Starts a wait and exposes its outcome as soon as it settles. */
function startWait(rig: Rig, opts: { jobEndsAt: number; waitMs: number; signal?: AbortSignal; ignoreJobChanges?: boolean }) {
  const state: { outcome: WaitOutcome | undefined } = { outcome: undefined };
  const done = waitForJobChange({ jobId: 'job-1', clock: rig.clock, events: rig.events, timers: rig.timers, ...opts }).then(
    (outcome) => {
      state.outcome = outcome;
      return outcome;
    },
  );
  return { state, done };
}

describe('wait preference', () => {
  const config = resolveLongPollOptions({ maxWaitMs: 20_000 });

  it('reads wait=N as N seconds, capped by maxWaitMs', () => {
    expect(readWaitMs(parsePrefer('wait=5'), config)).toBe(5_000);
    expect(readWaitMs(parsePrefer('respond-async, WAIT = 3'), config)).toBe(3_000);
    expect(readWaitMs(parsePrefer('wait="7"'), config)).toBe(7_000);
    expect(readWaitMs(parsePrefer('wait=600'), config)).toBe(20_000);
    expect(readWaitMs(parsePrefer('wait=99999999999999999999'), config)).toBe(20_000);
  });

  it('ignores a missing, empty or malformed wait (answer at once, no error)', () => {
    for (const header of [undefined, '', 'wait', 'wait=', 'wait=-1', 'wait=1.5', 'wait=abc']) {
      expect(readWaitMs(parsePrefer(header), config)).toBe(0);
    }
  });

  it('never holds when long polling is disabled', () => {
    expect(readWaitMs(parsePrefer('wait=5'), resolveLongPollOptions(false))).toBe(0);
    expect(readWaitMs(parsePrefer('wait=5'), resolveLongPollOptions({ maxWaitMs: 0 }))).toBe(0);
  });
});

describe('longPoll option', () => {
  it('defaults to 30 s and validates maxWaitMs', () => {
    expect(resolveLongPollOptions(undefined)).toEqual({ enabled: true, maxWaitMs: 30_000 });
    expect(resolveLongPollOptions({})).toEqual({ enabled: true, maxWaitMs: 30_000 });
    expect(resolveLongPollOptions(false)).toEqual({ enabled: false, maxWaitMs: 0 });
    for (const bad of [-1, 1.5, Number.NaN, 600_001]) {
      expect(() => resolveLongPollOptions({ maxWaitMs: bad })).toThrow(RangeError);
    }
  });
});

describe('JobEvents', () => {
  it('calls cancel listeners of that job once, then forgets them', () => {
    const events = new JobEvents();
    const calls: string[] = [];
    events.onCancelled('a', () => calls.push('a1'));
    events.onCancelled('a', () => calls.push('a2'));
    events.onCancelled('b', () => calls.push('b'));
    events.emitCancelled('a');
    events.emitCancelled('a');
    expect(calls).toEqual(['a1', 'a2']);
    expect(events.listenedJobs).toBe(1);
  });

  it('unsubscribes, and survives a throwing listener (logging it)', () => {
    const lines: string[] = [];
    const events = new JobEvents({ log: (line) => lines.push(line) });
    const calls: string[] = [];
    const off = events.onCancelled('a', () => calls.push('gone'));
    events.onCancelled('a', () => {
      throw new Error('listener bug');
    });
    events.onCancelled('a', () => calls.push('kept'));
    off();
    events.emitCancelled('a');
    expect(calls).toEqual(['kept']);
    expect(lines.join('\n')).toContain('listener bug');
    expect(events.listenedJobs).toBe(0);
  });
});

describe('waitForJobChange', () => {
  it('resolves job-ended when the job ends before the wait does', async () => {
    const rig = createRig();
    const wait = startWait(rig, { jobEndsAt: START + 2_000, waitMs: 10_000 });
    rig.advance(1_999);
    await Promise.resolve();
    expect(wait.state.outcome).toBeUndefined();
    rig.advance(1);
    expect(await wait.done).toBe('job-ended');
    expect(rig.timers.armed).toBe(0);
    expect(rig.events.listenedJobs).toBe(0);
  });

  it('resolves timeout when the wait ends first', async () => {
    const rig = createRig();
    const wait = startWait(rig, { jobEndsAt: START + 60_000, waitMs: 5_000 });
    rig.advance(5_000);
    expect(await wait.done).toBe('timeout');
    expect(rig.timers.armed).toBe(0);
  });

  it('resolves cancelled at once when the job is cancelled', async () => {
    const rig = createRig();
    const wait = startWait(rig, { jobEndsAt: START + 60_000, waitMs: 5_000 });
    rig.events.emitCancelled('job-1');
    expect(await wait.done).toBe('cancelled');
    expect(rig.timers.armed).toBe(0);
  });

  it('ignores cancellation of another job', async () => {
    const rig = createRig();
    const wait = startWait(rig, { jobEndsAt: START + 60_000, waitMs: 5_000 });
    rig.events.emitCancelled('job-2');
    rig.advance(5_000);
    expect(await wait.done).toBe('timeout');
  });

  it('resolves aborted when the client goes away, and at once if it already has', async () => {
    const rig = createRig();
    const gone = new AbortController();
    const wait = startWait(rig, { jobEndsAt: START + 60_000, waitMs: 5_000, signal: gone.signal });
    gone.abort();
    expect(await wait.done).toBe('aborted');
    expect(rig.timers.armed).toBe(0);
    expect(rig.events.listenedJobs).toBe(0);
    const again = startWait(rig, { jobEndsAt: START + 60_000, waitMs: 5_000, signal: gone.signal });
    expect(await again.done).toBe('aborted');
  });

  it('answers at once when the job has already ended or the wait is zero', async () => {
    const rig = createRig();
    expect(await startWait(rig, { jobEndsAt: START - 1, waitMs: 5_000 }).done).toBe('job-ended');
    expect(await startWait(rig, { jobEndsAt: START + 1_000, waitMs: 0 }).done).toBe('timeout');
  });

  it('decides on the clock, not on the timer: a lagging clock re-arms the timer', async () => {
    const rig = createRig();
    const wait = startWait(rig, { jobEndsAt: START + 1_000, waitMs: 10_000 });
    rig.timers.elapse(1_000); // real time passes, the injected clock does not
    await Promise.resolve();
    expect(wait.state.outcome).toBeUndefined();
    expect(rig.timers.armed).toBe(1);
    rig.clock.advance(1_000);
    rig.timers.elapse(1_000);
    expect(await wait.done).toBe('job-ended');
  });

  it('with ignoreJobChanges (the longpoll-ignores-completion fault) holds for the whole wait', async () => {
    const rig = createRig();
    const wait = startWait(rig, { jobEndsAt: START + 1_000, waitMs: 5_000, ignoreJobChanges: true });
    rig.advance(1_000);
    rig.events.emitCancelled('job-1');
    await Promise.resolve();
    expect(wait.state.outcome).toBeUndefined();
    rig.advance(4_000);
    expect(await wait.done).toBe('timeout');
  });
});
