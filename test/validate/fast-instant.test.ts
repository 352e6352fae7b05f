import { describe, expect, it } from 'vitest';
import { parseInstant } from '../../src/validate/fast-instant.js';

/** A small deterministic generator (no Math.random: the cases are the same every run). */
function* lcg(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    yield x;
  }
}

describe('parseInstant agrees with Date.parse', () => {
  const edge = [
    '2026-11-22T00:15:38.122Z', '2026-11-22T00:15:38Z', '2026-11-22T00:15:38.1Z', '2026-11-22T00:15:38.12Z',
    '2026-11-22T00:15:38.1229Z', '2026-11-22T00:15:38.999999999Z', '2026-11-22T00:15:38.9999999999Z',
    '2026-02-31T00:00:00.000Z', '2026-02-29T00:00:00Z', '2024-02-29T23:59:59Z', '2026-13-01T00:00:00Z',
    '2026-00-10T00:00:00Z', '2026-01-00T00:00:00Z', '2026-01-32T00:00:00Z', '2026-01-01T24:00:00Z',
    '2026-01-01T23:60:00Z', '2026-01-01T23:59:60Z', '0000-01-01T00:00:00Z', '0099-12-31T23:59:59Z',
    '0100-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '2026-01-01T10:00:00.1234567+05:30',
    '2026-01-01T10:00:00-00:00', '2026-01-01T10:00:00+14:00', '2026-01-01T10:00Z', '2026-01-01',
    '2026-01-01T10:00:00.Z', '2026-01-01T10:00:00,5Z', '+002026-01-01T00:00:00Z', '2026-1-01T00:00:00Z',
    '2O26-01-01T00:00:00Z', '2026-01-01t00:00:00z', '2026-01-01T00:00:00.12a4Z', '2026-01-01 00:00:00Z',
    '', 'Z', 'not a date at all, but 20+ chars Z',
  ];
  it.each(edge)('%s', (s) => {
    expect(Object.is(parseInstant(s), Date.parse(s))).toBe(true);
  });

  it('on 20,000 generated instants, near-misses included', () => {
    const next = lcg(7);
    const r = (m: number): number => (next.next().value as number) % m;
    const pad = (v: number, w: number): string => String(v).padStart(w, '0');
    for (let i = 0; i < 20_000; i++) {
      let s = `${pad(r(10_000), 4)}-${pad(r(14), 2)}-${pad(r(33), 2)}T${pad(r(26), 2)}:${pad(r(62), 2)}:${pad(r(62), 2)}`;
      const f = r(12);
      if (f > 0 && f < 11) s += `.${pad(r(10 ** Math.min(f, 9)), Math.min(f, 10))}`;
      s += ['Z', 'Z', 'Z', '+01:00', '-05:30', ''][r(6)];
      expect(Object.is(parseInstant(s), Date.parse(s)), s).toBe(true);
    }
  });
});
