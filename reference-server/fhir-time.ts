/** FHIR `instant` and HTTP-date helpers. */

// FHIR R4 instant: full date-time with seconds and a mandatory zone.
const INSTANT =
  /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]{1,9})?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$/;

/** True when the leading YYYY-MM-DD names a real day (Date.parse would roll Feb 30 over). */
function isCalendarDate(text: string): boolean {
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Parses a FHIR instant to epoch milliseconds, or returns undefined when it is not one. */
export function parseFhirInstant(text: string): number | undefined {
  if (!INSTANT.test(text) || !isCalendarDate(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Formats epoch milliseconds as a FHIR instant (UTC, millisecond precision). */
export function formatFhirInstant(ms: number): string {
  return new Date(ms).toISOString();
}

/** Formats epoch milliseconds as an IMF-fixdate (RFC 9110), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`. */
export function formatHttpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
