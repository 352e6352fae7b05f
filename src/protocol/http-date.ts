/**
 * HTTP-date parsing per RFC 9110 §5.6.7: IMF-fixdate, plus the obsolete RFC 850 and asctime
 * forms that recipients MUST accept. Returns ms since epoch, or undefined.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const TIME = '([0-9]{2}):([0-9]{2}):([0-9]{2})';
const IMF_FIXDATE = new RegExp(`^${DAY}, ([0-9]{2}) ([A-Z][a-z]{2}) ([0-9]{4}) ${TIME} GMT$`);
const RFC850 = new RegExp(`^${LONG_DAY}, ([0-9]{2})-([A-Z][a-z]{2})-([0-9]{2}) ${TIME} GMT$`);
const ASCTIME = new RegExp(`^${DAY} ([A-Z][a-z]{2}) ([ 0-9][0-9]) ${TIME} ([0-9]{4})$`);

export function parseHttpDate(text: string, now: number = Date.now()): number | undefined {
  const value = text.trim();
  let m = IMF_FIXDATE.exec(value);
  if (m) return build(m[3], m[2], m[1], m[4], m[5], m[6]);
  m = RFC850.exec(value);
  if (m) {
    // RFC 9110: a two-digit year more than 50 years in the future means the most recent past year.
    const yy = Number(m[3]);
    const currentYear = new Date(now).getUTCFullYear();
    let year = Math.floor(currentYear / 100) * 100 + yy;
    if (year > currentYear + 50) year -= 100;
    return build(String(year), m[2], m[1], m[4], m[5], m[6]);
  }
  m = ASCTIME.exec(value);
  if (m) return build(m[6], m[1], m[2]?.trim(), m[3], m[4], m[5]);
  return undefined;
}

/** Is it the preferred IMF-fixdate form (what servers are to send)? */
export function isImfFixdate(text: string): boolean {
  const m = IMF_FIXDATE.exec(text.trim());
  return m !== null && build(m[3], m[2], m[1], m[4], m[5], m[6]) !== undefined;
}

export function formatHttpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

function build(...parts: (string | undefined)[]): number | undefined {
  const [year, monthName, day, hh, mm, ss] = parts;
  const month = MONTHS.indexOf(monthName ?? '');
  if (month < 0) return undefined;
  const [y, d, h, mi, s] = [year, day, hh, mm, ss].map(Number) as [number, number, number, number, number];
  if (d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const ms = Date.UTC(y, month, d, h, mi, Math.min(s, 59));
  // Reject dates such as 31 Feb that Date.UTC would roll over.
  if (new Date(ms).getUTCDate() !== d) return undefined;
  return ms;
}
