import { describe, it, expect } from 'vitest';
import { formatDuration, parseDuration, requireDuration } from '../../src/util/duration.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['0ms', 0],
    ['30s', 30_000],
    ['1.5s', 1_500],
    ['2m', 120_000],
    ['0.5m', 30_000],
    [' 10s ', 10_000],
  ])('%j is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['30', '', 's', '-1s', '1h', '1 s', '1S', '.5s', '1.s', '1e3ms', '10sec', '1m30s'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('requireDuration', () => {
  it('returns the ms or throws naming the option and the value', () => {
    expect(requireDuration('5s', '--timeout')).toBe(5_000);
    expect(() => requireDuration('5', '--timeout')).toThrow("--timeout: '5' is not a duration (use e.g. 500ms, 30s, 2m)");
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [250, '250ms'],
    [999, '999ms'],
    [1_000, '1.0s'],
    [1_500, '1.5s'],
    [30_000, '30.0s'],
    [60_000, '1m0s'],
    [90_000, '1m30s'],
    [125_400, '2m5s'],
  ])('%i ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('rounds across unit boundaries', () => {
    expect(formatDuration(119_999)).toBe('2m0s');
    expect(formatDuration(59_999)).toBe('1m0s');
    expect(formatDuration(999.6)).toBe('1.0s');
  });
});
