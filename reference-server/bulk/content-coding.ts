/** `Accept-Encoding` (RFC 9110 §12.5.3): does the client take a gzip-compressed body? */

function parseQuality(params: readonly string[]): number {
  for (const param of params) {
    const [name = '', value = ''] = param.split('=').map((part) => part.trim());
    if (name.toLowerCase() === 'q') {
      const q = Number(value);
      return Number.isFinite(q) ? q : 0;
    }
  }
  return 1;
}

/** True when `gzip` (or `x-gzip`, or `*` without an explicit gzip entry) has a non-zero quality. */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  let wildcard: number | undefined;
  for (const member of header.split(',')) {
    const [coding = '', ...params] = member.split(';');
    const name = coding.trim().toLowerCase();
    if (name === 'gzip' || name === 'x-gzip') return parseQuality(params) > 0;
    if (name === '*') wildcard = parseQuality(params);
  }
  return wildcard !== undefined && wildcard > 0;
}
