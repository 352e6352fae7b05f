/**
 * Keeps secrets out of every record: credential-bearing headers are masked by name, and any
 * registered secret value (tokens from the profile, --var values marked secret) is masked
 * wherever it appears in recorded text.
 */
const SENSITIVE_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|token|secret|api-?key|password|signature/i;
const REDACTED = '<redacted>';
/**
 * Credentials recognised by shape, wherever they appear in recorded text (defence in depth for
 * secrets nobody registered): OAuth token-response fields, form-encoded OAuth parameters, and
 * compact JWS/JWT values (client assertions, JWT access tokens).
 */
const CREDENTIAL_SHAPES: readonly [RegExp, string][] = [
  [/("(?:access_token|refresh_token|id_token|client_secret|client_assertion)"\s*:\s*")[^"]*(")/g, `$1${REDACTED}$2`],
  [/\b((?:access_token|refresh_token|client_secret|client_assertion)=)[^&\s"']+/g, `$1${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{2,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]+/g, REDACTED],
];

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Register a secret value; values shorter than 4 characters are ignored (they would mask noise). */
  addSecret(value: string | undefined): void {
    if (value && value.length >= 4) this.secrets.add(value);
  }

  header(name: string, value: string): string {
    if (SENSITIVE_HEADER.test(name)) {
      const scheme = /^(Bearer|Basic|Digest|DPoP)\s+/i.exec(value);
      return scheme ? `${scheme[1]} ${REDACTED}` : REDACTED;
    }
    return this.text(value);
  }

  /** Every value redacted; a list (separate header lines) stays a list of the same length. */
  headers<V extends string | string[]>(headers: Record<string, V>): Record<string, V> {
    return Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.map((line) => this.header(k, line)) : this.header(k, v)]),
    ) as Record<string, V>;
  }

  text(value: string): string {
    let out = value;
    for (const secret of this.secrets) out = out.split(secret).join(REDACTED);
    for (const [shape, replacement] of CREDENTIAL_SHAPES) out = out.replace(shape, replacement);
    return out;
  }
}
