/**
 * `Date.parse` for the one shape NDJSON `meta.lastUpdated` almost always has, about three times
 * faster: `YYYY-MM-DDThh:mm:ss[.fraction]Z`. Anything else (offsets, leap seconds, years before
 * 100, odd digits) goes to `Date.parse` itself, and the fast path reproduces V8's results for
 * what it accepts (a day past the month's end rolls over; the fraction is cut to milliseconds),
 * so the two never disagree: test/validate/fast-instant.test.ts compares them.
 */

const ZERO = 48;

function digits(s: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = s.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** Epoch milliseconds of an ISO 8601 / FHIR instant, exactly as `Date.parse` would give it (NaN when it cannot). */
export function parseInstant(s: string): number {
  const n = s.length;
  if (n < 20 || s.charCodeAt(n - 1) !== 90 /* Z */ || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) {
    return Date.parse(s);
  }
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Date.parse(s);
  let ms = 0;
  if (n > 20) {
    // `.` then 1 to 9 digits before the Z.
    const fraction = n - 21;
    if (s.charCodeAt(19) !== 46 || fraction < 1 || fraction > 9) return Date.parse(s);
    const value = digits(s, 20, fraction);
    if (value < 0) return Date.parse(s);
    ms = fraction >= 3 ? Math.trunc(value / 10 ** (fraction - 3)) : value * 10 ** (3 - fraction);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}
