/** `64MiB`, `512KiB`, `1000B` or `1000` into bytes (the schema has checked the form). */
const UNITS: Record<string, number> = { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

export function parseSize(text: string): number {
  const m = /^([0-9]+)\s*(B|KiB|MiB|GiB)?$/i.exec(text.trim());
  if (m === null || m[1] === undefined) throw new RangeError(`'${text}' is not a size (use e.g. 64MiB, 512KiB)`);
  return Number(m[1]) * (UNITS[(m[2] ?? 'b').toLowerCase()] ?? 1);
}
