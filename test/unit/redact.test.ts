import { describe, it, expect } from 'vitest';
import { Redactor } from '../../src/http/redact.js';

describe('Redactor.header', () => {
  it('keeps the auth scheme and masks the credential', () => {
    const r = new Redactor();
    expect(r.header('Authorization', 'Bearer eyJhbGciOi.payload.sig')).toBe('Bearer <redacted>');
    expect(r.header('authorization', 'Basic dXNlcjpwYXNz')).toBe('Basic <redacted>');
    expect(r.header('Proxy-Authorization', 'Digest username="u", response="x"')).toBe('Digest <redacted>');
    expect(r.header('AUTHORIZATION', 'DPoP abc')).toBe('DPoP <redacted>');
    expect(r.header('Authorization', 'bearer abc')).toBe('bearer <redacted>');
  });

  it('masks the whole value without a known scheme', () => {
    expect(new Redactor().header('Authorization', 'opaque-credential')).toBe('<redacted>');
  });

  it.each(['Cookie', 'Set-Cookie', 'X-Api-Key', 'apikey', 'X-Auth-Token', 'X-Client-Secret', 'X-Password', 'X-Amz-Signature'])('masks %s by name', (name) => {
    expect(new Redactor().header(name, 'value-123')).toBe('<redacted>');
  });

  it.each(['Accept', 'Content-Location', 'Prefer', 'X-Cookies-Enabled-Note'])('leaves %s alone', (name) => {
    expect(new Redactor().header(name, 'plain')).toBe('plain');
  });

  it('headers() redacts every line of a list value and keeps it a list', () => {
    const r = new Redactor();
    r.addSecret('s3cr3t-value');
    expect(r.headers({ Authorization: ['Bearer a', 'Basic b'], Prefer: ['respond-async', 'x=s3cr3t-value'], Accept: 'a/b' })).toEqual({
      Authorization: ['Bearer <redacted>', 'Basic <redacted>'],
      Prefer: ['respond-async', 'x=<redacted>'],
      Accept: 'a/b',
    });
  });

  it('masks registered secrets inside other header values', () => {
    const r = new Redactor();
    r.addSecret('s3cr3t-value');
    expect(r.header('Content-Location', 'http://h/status?token=s3cr3t-value')).toBe('http://h/status?token=<redacted>');
  });
});

describe('Redactor.headers', () => {
  it('redacts a whole header record, keeping names', () => {
    const r = new Redactor();
    expect(r.headers({ Authorization: 'Bearer abc', Accept: 'application/json' })).toEqual({ Authorization: 'Bearer <redacted>', Accept: 'application/json' });
  });
});

describe('Redactor.text', () => {
  it('masks every occurrence of every registered secret', () => {
    const r = new Redactor();
    r.addSecret('tok-1234');
    r.addSecret('pa55word');
    expect(r.text('a tok-1234 b tok-1234 c pa55word')).toBe('a <redacted> b <redacted> c <redacted>');
  });

  it('treats secrets literally, not as patterns', () => {
    const r = new Redactor();
    r.addSecret('a.b*c+');
    expect(r.text('a.b*c+ and axbbc')).toBe('<redacted> and axbbc');
  });

  it('ignores secrets shorter than 4 characters, empty and undefined', () => {
    const r = new Redactor();
    r.addSecret('abc');
    r.addSecret('');
    r.addSecret(undefined);
    expect(r.text('abc abcd')).toBe('abc abcd');
    r.addSecret('abcd');
    expect(r.text('abc abcd')).toBe('abc <redacted>');
  });

  it('leaves text alone without secrets', () => {
    expect(new Redactor().text('Bearer abc')).toBe('Bearer abc');
  });
});
