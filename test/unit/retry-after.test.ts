import { describe, it, expect } from 'vitest';
import { parseRetryAfter, retryAfterDelayMs } from '../../src/protocol/retry-after.js';

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);

describe('parseRetryAfter', () => {
  it('returns undefined when the header is absent', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });

  it.each([
    ['0', 0],
    ['120', 120],
    [' 5 ', 5],
    ['007', 7],
    ['86400', 86400],
  ])('parses delay-seconds %j', (text, seconds) => {
    expect(parseRetryAfter(text, NOW)).toEqual({ kind: 'delay', seconds });
  });

  it('parses an IMF-fixdate', () => {
    expect(parseRetryAfter('Mon, 01 Jan 2024 12:00:30 GMT', NOW)).toEqual({ kind: 'date', at: NOW + 30_000 });
  });

  it('parses the RFC 850 form', () => {
    expect(parseRetryAfter('Monday, 01-Jan-24 12:01:00 GMT', NOW)).toEqual({ kind: 'date', at: NOW + 60_000 });
  });

  it('parses the asctime form', () => {
    expect(parseRetryAfter('Mon Jan  1 12:00:10 2024', NOW)).toEqual({ kind: 'date', at: NOW + 10_000 });
  });

  it.each([
    ['negative', '-1'],
    ['fractional', '1.5'],
    ['signed', '+5'],
    ['words', 'soon'],
    ['empty', ''],
    ['blank', '   '],
    ['seconds with a unit', '5s'],
    ['day 32', 'Mon, 32 Jan 2024 00:00:00 GMT'],
    ['31 February', 'Wed, 31 Feb 2024 00:00:00 GMT'],
    ['two values', '5, 10'],
  ])('rejects %s (%j)', (_what, text) => {
    expect(parseRetryAfter(text, NOW)).toBeUndefined();
  });
});

describe('retryAfterDelayMs', () => {
  it('turns delay-seconds into milliseconds regardless of now', () => {
    expect(retryAfterDelayMs({ kind: 'delay', seconds: 0 }, NOW)).toBe(0);
    expect(retryAfterDelayMs({ kind: 'delay', seconds: 120 }, NOW)).toBe(120_000);
    expect(retryAfterDelayMs({ kind: 'delay', seconds: 3 }, 0)).toBe(3_000);
  });

  it('measures a date relative to the injected now', () => {
    expect(retryAfterDelayMs({ kind: 'date', at: NOW + 45_000 }, NOW)).toBe(45_000);
    expect(retryAfterDelayMs({ kind: 'date', at: NOW + 45_000 }, NOW + 40_000)).toBe(5_000);
  });

  it('is 0 for a date now or in the past, never negative', () => {
    expect(retryAfterDelayMs({ kind: 'date', at: NOW }, NOW)).toBe(0);
    expect(retryAfterDelayMs({ kind: 'date', at: NOW - 60_000 }, NOW)).toBe(0);
  });

  it('round-trips a parsed header', () => {
    const parsed = parseRetryAfter('Mon, 01 Jan 2024 12:02:00 GMT', NOW);
    expect(parsed).toBeDefined();
    if (parsed) expect(retryAfterDelayMs(parsed, NOW)).toBe(120_000);
  });
});
