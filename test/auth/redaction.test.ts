import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/http/redact.js';

describe('Redactor: credentials recognised by their shape', () => {
  const r = new Redactor();

  it('masks the token fields of an OAuth token response', () => {
    const text = '{"access_token":"opaque-123","token_type":"bearer","refresh_token": "r-456","expires_in":300}';
    expect(r.text(text)).toBe('{"access_token":"<redacted>","token_type":"bearer","refresh_token": "<redacted>","expires_in":300}');
  });

  it('masks form-encoded OAuth parameters', () => {
    const text = 'grant_type=client_credentials&client_assertion=abc.def.ghi&scope=system%2F*.read&client_secret=s3cr3t';
    expect(r.text(text)).toBe('grant_type=client_credentials&client_assertion=<redacted>&scope=system%2F*.read&client_secret=<redacted>');
  });

  it('masks compact JWS/JWT values anywhere (client assertions, JWT access tokens)', () => {
    const jwt = 'eyJhbGciOiJSUzM4NCJ9.eyJpc3MiOiJhIn0.c2lnbmF0dXJl';
    expect(r.text(`error: assertion ${jwt} rejected`)).toBe('error: assertion <redacted> rejected');
    expect(r.header('X-Note', jwt)).toBe('<redacted>');
  });

  it('leaves ordinary text alone', () => {
    const text = '{"resourceType":"OperationOutcome","issue":[{"diagnostics":"token_type is bearer; see eyJ docs"}]}';
    expect(r.text(text)).toBe(text);
  });
});
