/**
 * Keeps secrets out of every record: credential-bearing headers are masked by name, and any
 * registered secret value (tokens from the profile, --var values marked secret) is masked
 * wherever it appears in recorded text.
 */
const SENSITIVE_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|token|secret|api-?key|password|signature/i;
const REDACTED = '<redacted>';

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

  headers(headers: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, this.header(k, v)]));
  }

  text(value: string): string {
    let out = value;
    for (const secret of this.secrets) out = out.split(secret).join(REDACTED);
    return out;
  }
}
