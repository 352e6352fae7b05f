/**
 * Fake timers for module tests of the long-poll waiter and the callback scheduler: timers
 * fire only when the test calls `elapse()`, normally together with advancing a fake clock.
 */
import type { Timers } from '../../reference-server/longpoll/timers.js';

/** Timers plus a handle to move fake real time. */
export interface FakeTimers extends Timers {
  /** Timers armed and not yet fired or cancelled. */
  readonly armed: number;
  /** Advances fake real time by `ms`, firing every timer that falls due (in order). */
  elapse(ms: number): void;
}

export function createFakeTimers(): FakeTimers {
  let now = 0;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    schedule(fn, ms) {
      const id = ++seq;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return { cancel: () => timers.delete(id) };
    },
    get armed() {
      return timers.size;
    },
    elapse(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (due === undefined) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = until;
    },
  };
}
