/**
 * Real-time timers behind an interface, so module tests can drive the long-poll waiter and
 * the callback scheduler with a fake clock and fake timers instead of sleeping. Shared by
 * `longpoll/` and `callbacks/`. Decisions are always taken on the injected clock; a timer
 * only says "look at the clock again".
 */

export interface TimerHandle {
  cancel(): void;
}

export interface Timers {
  /** Calls `fn` once after about `ms` real milliseconds (never before), unless cancelled. */
  schedule(fn: () => void, ms: number): TimerHandle;
}

/** Largest delay node's setTimeout accepts (about 24.8 days); longer waits re-arm. */
export const MAX_TIMER_MS = 2_147_483_647;

export const systemTimers: Timers = {
  schedule(fn, ms) {
    const timer = setTimeout(fn, Math.min(MAX_TIMER_MS, Math.max(0, ms)));
    return { cancel: () => clearTimeout(timer) };
  },
};
