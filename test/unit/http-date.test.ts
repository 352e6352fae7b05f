import { describe, it, expect } from 'vitest';
import { formatHttpDate, isImfFixdate, parseHttpDate } from '../../src/protocol/http-date.js';

/** The RFC 9110 §5.6.7 example instant, Sun, 06 Nov 1994 08:49:37 GMT. */
const RFC_EXAMPLE = Date.UTC(1994, 10, 6, 8, 49, 37);
const NOW_2024 = Date.UTC(2024, 5, 15, 12, 0, 0);

describe('parseHttpDate', () => {
  it('parses the preferred IMF-fixdate form', () => {
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(RFC_EXAMPLE);
    expect(parseHttpDate('Mon, 01 Jan 2024 00:00:00 GMT')).toBe(Date.UTC(2024, 0, 1));
  });

  it('ignores surrounding whitespace', () => {
    expect(parseHttpDate('  Sun, 06 Nov 1994 08:49:37 GMT \t')).toBe(RFC_EXAMPLE);
  });

  it('parses the obsolete RFC 850 form, mapping the two-digit year relative to now', () => {
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW_2024)).toBe(RFC_EXAMPLE);
    // 2024 + 50 = 2074 is not "more than 50 years in the future": stays in this century.
    expect(parseHttpDate('Monday, 01-Jan-74 00:00:00 GMT', NOW_2024)).toBe(Date.UTC(2074, 0, 1));
    expect(parseHttpDate('Wednesday, 01-Jan-75 00:00:00 GMT', NOW_2024)).toBe(Date.UTC(1975, 0, 1));
    expect(parseHttpDate('Monday, 01-Jan-24 00:00:00 GMT', NOW_2024)).toBe(Date.UTC(2024, 0, 1));
  });

  it('uses the injected now, not the wall clock, for RFC 850 years', () => {
    const in2060 = Date.UTC(2060, 0, 1);
    // 2094 is 34 years after 2060 (kept); seen from 2024 it is 70 years ahead (mapped to 1994).
    expect(parseHttpDate('Saturday, 06-Nov-94 08:49:37 GMT', in2060)).toBe(Date.UTC(2094, 10, 6, 8, 49, 37));
  });

  it('parses the obsolete asctime form, with a space-padded day', () => {
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
    expect(parseHttpDate('Thu Nov 24 08:49:37 1994')).toBe(Date.UTC(1994, 10, 24, 8, 49, 37));
  });

  it('accepts a leap second, clamped to :59', () => {
    expect(parseHttpDate('Sat, 31 Dec 2016 23:59:60 GMT')).toBe(Date.UTC(2016, 11, 31, 23, 59, 59));
  });

  it.each([
    ['empty', ''],
    ['free text', 'soon'],
    ['delay-seconds', '120'],
    ['day 32', 'Mon, 32 Jan 2024 00:00:00 GMT'],
    ['day 00', 'Mon, 00 Jan 2024 00:00:00 GMT'],
    ['31 February', 'Wed, 31 Feb 2024 00:00:00 GMT'],
    ['29 February in a non-leap year', 'Thu, 29 Feb 2023 00:00:00 GMT'],
    ['31 April', 'Wed, 31 Apr 2024 00:00:00 GMT'],
    ['hour 24', 'Mon, 01 Jan 2024 24:00:00 GMT'],
    ['minute 60', 'Mon, 01 Jan 2024 00:60:00 GMT'],
    ['second 61', 'Mon, 01 Jan 2024 00:00:61 GMT'],
    ['unknown month', 'Mon, 01 Foo 2024 00:00:00 GMT'],
    ['lower-case month (names are case-sensitive)', 'Mon, 01 jan 2024 00:00:00 GMT'],
    ['UTC instead of GMT', 'Mon, 01 Jan 2024 00:00:00 UTC'],
    ['numeric offset', 'Mon, 01 Jan 2024 00:00:00 +0000'],
    ['one-digit day in IMF-fixdate', 'Mon, 1 Jan 2024 00:00:00 GMT'],
    ['missing day name', '01 Jan 2024 00:00:00 GMT'],
    ['ISO 8601', '2024-01-01T00:00:00Z'],
    ['long day name in IMF-fixdate', 'Monday, 01 Jan 2024 00:00:00 GMT'],
    ['short day name in RFC 850', 'Sun, 06-Nov-94 08:49:37 GMT'],
    ['four-digit year in RFC 850', 'Sunday, 06-Nov-1994 08:49:37 GMT'],
    ['asctime with GMT suffix', 'Sun Nov  6 08:49:37 1994 GMT'],
  ])('rejects %s', (_what, text) => {
    expect(parseHttpDate(text, NOW_2024)).toBeUndefined();
  });

  it('accepts 29 February in a leap year', () => {
    expect(parseHttpDate('Thu, 29 Feb 2024 00:00:00 GMT')).toBe(Date.UTC(2024, 1, 29));
  });
});

describe('isImfFixdate', () => {
  it('is true only for a valid IMF-fixdate', () => {
    expect(isImfFixdate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(true);
    expect(isImfFixdate(' Sun, 06 Nov 1994 08:49:37 GMT ')).toBe(true);
    expect(isImfFixdate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(false);
    expect(isImfFixdate('Sun Nov  6 08:49:37 1994')).toBe(false);
    expect(isImfFixdate('Wed, 31 Feb 2024 00:00:00 GMT')).toBe(false);
  });
});

describe('formatHttpDate', () => {
  it('writes IMF-fixdate that parses back to the same instant', () => {
    expect(formatHttpDate(RFC_EXAMPLE)).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
    expect(isImfFixdate(formatHttpDate(NOW_2024))).toBe(true);
    expect(parseHttpDate(formatHttpDate(NOW_2024))).toBe(NOW_2024);
  });
});
