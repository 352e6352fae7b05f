/** Module tests of the callbacks option and kick-off validation of callback-url (no SSRF). */
import { describe, expect, it } from 'vitest';
import { resolveCallbackOptions, type CallbackOptions } from '../../reference-server/callbacks/callback-config.js';
import { isDeliverable, isLoopbackHost, validateCallbackUrl } from '../../reference-server/callbacks/callback-url.js';
import { createFaultSet } from '../../reference-server/faults/fault-set.js';
import { parsePrefer } from '../../reference-server/prefer.js';

const CLEAN = createFaultSet([]);

function check(prefer: string, opts: CallbackOptions = {}, faults = CLEAN) {
  return validateCallbackUrl(parsePrefer(prefer), resolveCallbackOptions(opts), faults);
}

function acceptedUrl(prefer: string, opts: CallbackOptions = {}): string | undefined {
  const result = check(prefer, opts);
  if (!result.ok) throw new Error(`expected acceptance, got ${result.error.status}: ${result.error.diagnostics}`);
  return result.value?.href;
}

function rejection(prefer: string, opts: CallbackOptions = {}): { status: number; diagnostics: string } {
  const result = check(prefer, opts);
  if (result.ok) throw new Error(`expected a rejection of ${prefer}`);
  return result.error;
}

describe('callback-url at kick-off', () => {
  it('is optional', () => {
    expect(acceptedUrl('respond-async')).toBeUndefined();
  });

  it('accepts the quoted form (RFC 7240 quoted-string) and the unquoted form of the proposal', () => {
    expect(acceptedUrl('respond-async, callback-url="http://127.0.0.1:9/cb?x=1"')).toBe('http://127.0.0.1:9/cb?x=1');
    expect(acceptedUrl('respond-async, callback-url=http://127.0.0.1:9/cb')).toBe('http://127.0.0.1:9/cb');
    expect(acceptedUrl('respond-async, Callback-URL="https://localhost/cb"')).toBe('https://localhost/cb');
    expect(acceptedUrl('respond-async, callback-url="http://[::1]:9/cb"')).toBe('http://[::1]:9/cb');
  });

  it('accepts loopback written another way that the URL parser normalises (0x7f.1 is 127.0.0.1)', () => {
    expect(acceptedUrl('callback-url="http://0x7f.1:9/cb"')).toBe('http://127.0.0.1:9/cb');
  });

  it('rejects a host off the default loopback allow-list with 400', () => {
    const error = rejection('respond-async, callback-url="http://callback.invalid/cb"');
    expect(error.status).toBe(400);
    expect(error.diagnostics).toContain('callback.invalid');
    expect(error.diagnostics).toContain('allow-list');
  });

  it('rejects a loopback address left off a configured allow-list', () => {
    expect(rejection('callback-url="http://127.0.0.1:9/cb"', { allowHosts: ['localhost'] }).status).toBe(400);
    expect(rejection('callback-url="http://127.0.0.2:9/cb"').status).toBe(400);
    expect(acceptedUrl('callback-url="http://localhost:9/cb"', { allowHosts: ['LOCALHOST'] })).toBe('http://localhost:9/cb');
    expect(acceptedUrl('callback-url="http://[::1]:9/cb"', { allowHosts: ['[::1]'] })).toBe('http://[::1]:9/cb');
  });

  it('rejects empty values, relative URLs, other schemes and userinfo with 400', () => {
    for (const prefer of [
      'callback-url',
      'callback-url=""',
      'callback-url="/cb"',
      'callback-url="not a url"',
      'callback-url="ftp://127.0.0.1/cb"',
      'callback-url="file:///etc/passwd"',
      'callback-url="javascript:alert(1)"',
      'callback-url="http://user:pw@127.0.0.1:9/cb"',
      'callback-url="http://user@127.0.0.1:9/cb"',
    ]) {
      expect(rejection(prefer).status, prefer).toBe(400);
    }
  });

  it('does not echo userinfo credentials in the error', () => {
    expect(rejection('callback-url="http://alice:s3cr3t@127.0.0.1:9/cb"').diagnostics).not.toContain('s3cr3t');
  });

  it('accepts a host off the list under the callback-allow-list-ignored fault, yet never makes it deliverable', () => {
    const config = resolveCallbackOptions({});
    const result = validateCallbackUrl(
      parsePrefer('callback-url="http://callback.invalid/cb"'),
      config,
      createFaultSet(['callback-allow-list-ignored']),
    );
    expect(result.ok).toBe(true);
    if (!result.ok || result.value === undefined) return;
    expect(isDeliverable(result.value, config)).toBe(false);
    expect(isDeliverable(new URL('http://127.0.0.5/cb'), resolveCallbackOptions({ allowHosts: ['localhost'] }))).toBe(true);
  });

  it('knows loopback hosts', () => {
    for (const url of ['http://127.0.0.1/', 'http://127.1.2.3/', 'http://[::1]/', 'http://localhost/', 'http://0x7f.1/']) {
      expect(isLoopbackHost(new URL(url)), url).toBe(true);
    }
    for (const url of ['http://callback.invalid/', 'http://10.0.0.1/', 'http://[::2]/', 'http://localhost.invalid/']) {
      expect(isLoopbackHost(new URL(url)), url).toBe(false);
    }
  });
});

describe('callbacks option', () => {
  it('defaults to loopback hosts and a 5 s deadline, no signature, no token', () => {
    const config = resolveCallbackOptions();
    expect(config.allowHosts).toEqual(['127.0.0.1', '::1', 'localhost']);
    expect(config.timeoutMs).toBe(5_000);
    expect(config.credentials.sign('x')).toBeUndefined();
    expect(config.credentials.authorization()).toBeUndefined();
  });

  it('rejects bad values with RangeError', () => {
    const bad: CallbackOptions[] = [
      { secret: '' },
      { bearerToken: '' },
      { bearerToken: 'abc\r\nX-Injected: 1' },
      { bearerToken: 'two words' },
      { allowHosts: [''] },
      { allowHosts: ['http://127.0.0.1/'] },
      { allowHosts: ['user@host'] },
      { timeoutMs: 0 },
      { timeoutMs: 1.5 },
      { timeoutMs: 60_001 },
    ];
    for (const opts of bad) expect(() => resolveCallbackOptions(opts), JSON.stringify(opts)).toThrow(RangeError);
  });

  it('keeps the secret and token out of the resolved config, its JSON and its error messages', () => {
    const config = resolveCallbackOptions({ secret: 'canary-secret-1', bearerToken: 'canary-token-2' });
    expect(JSON.stringify(config)).not.toMatch(/canary/);
    expect(String(Object.values(config))).not.toMatch(/canary/);
    expect(config.credentials.authorization()).toBe('Bearer canary-token-2');
    expect(config.credentials.sign('body')).toMatch(/^sha256=[0-9a-f]{64}$/);
    let message = '';
    try {
      resolveCallbackOptions({ secret: 'canary-secret-1', bearerToken: 'canary token' });
    } catch (err) {
      message = err instanceof Error ? err.message : String(err);
    }
    expect(message).not.toBe('');
    expect(message).not.toMatch(/canary/);
  });
});
