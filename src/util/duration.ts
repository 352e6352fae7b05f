/** Durations in scenario files and on the command line carry units: `250ms`, `30s`, `2m`. */
const DURATION = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m)$/;

export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m || m[1] === undefined) return undefined;
  const n = Number(m[1]);
  const unit = m[2];
  if (unit === 'ms') return n;
  if (unit === 's') return n * 1000;
  return n * 60_000;
}

/** Parse or throw a message naming what was wrong (for CLI option coercion). */
export function requireDuration(text: string, what: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`${what}: '${text}' is not a duration (use e.g. 500ms, 30s, 2m)`);
  return ms;
}

export function formatDuration(ms: number): string {
  if (Math.round(ms) < 1000) return `${Math.round(ms)}ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}
