import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCallbackVerifier } from '../../src/callbacks/callback-auth.js';
import type { CallbackArrival } from '../../src/callbacks/callback-endpoint.js';
import { buildCallbackView, toCheckableResponse } from '../../src/callbacks/callback-view.js';
import { readCallbackCredentials } from '../../src/callbacks/callback-config.js';

const SECRET = 'shared-secret-value-0123456789';
const TOKEN = 'expected.bearer-token_42';
const body = Buffer.from('{"resourceType":"Parameters","parameter":[]}');
const sign = (b: Buffer, secret = SECRET): string => createHmac('sha256', secret).update(b).digest('hex');

describe('callback authentication', () => {
  const verifier = createCallbackVerifier({ secret: SECRET, bearerToken: TOKEN });

  it('accepts a valid HMAC-SHA256 signature, prefixed or bare, in any hex case', () => {
    expect(verifier.verify({ 'x-callback-signature': `sha256=${sign(body)}` }, body)).toBe('hmac-sha256');
    expect(verifier.verify({ 'x-callback-signature': sign(body).toUpperCase() }, body)).toBe('hmac-sha256');
  });

  it('rejects a signature of another body or made with another secret', () => {
    expect(verifier.verify({ 'x-callback-signature': `sha256=${sign(Buffer.from('{}'))}` }, body)).toBe('signature-mismatch');
    expect(verifier.verify({ 'x-callback-signature': `sha256=${sign(body, 'other')}` }, body)).toBe('signature-mismatch');
    expect(verifier.verify({ 'x-callback-signature': 'sha256=zz' }, body)).toBe('signature-mismatch');
  });

  it('checks the bearer token', () => {
    expect(verifier.verify({ authorization: `Bearer ${TOKEN}` }, body)).toBe('bearer');
    expect(verifier.verify({ authorization: 'Bearer wrong' }, body)).toBe('wrong-bearer');
  });

  it('says none when neither header came, and unverified when nothing is configured to check one', () => {
    expect(verifier.verify({}, body)).toBe('none');
    const unconfigured = createCallbackVerifier();
    expect(unconfigured.verify({ authorization: 'Bearer x' }, body)).toBe('unverified');
    expect(unconfigured.verify({}, body)).toBe('none');
  });

  it('reads the signature from a configured header', () => {
    const custom = createCallbackVerifier({ secret: SECRET, signatureHeader: 'X-Hub-Signature-256' });
    expect(custom.verify({ 'x-hub-signature-256': `sha256=${sign(body)}` }, body)).toBe('hmac-sha256');
  });

  it('never shows the secret or the token: not in its description, not when serialised', () => {
    const shown = `${verifier.configured} ${JSON.stringify(verifier)} ${String(verifier)}`;
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain(TOKEN);
  });
});

describe('callback secrets come from environment variables named in the profile', () => {
  it('reads them, and names the variable (not a value) when it is unset', () => {
    const ok = readCallbackCredentials({ secretEnv: 'CB_SECRET', bearerTokenEnv: 'CB_TOKEN' }, { CB_SECRET: SECRET, CB_TOKEN: TOKEN });
    expect(ok).toEqual({ ok: true, credentials: { secret: SECRET, bearerToken: TOKEN } });
    const missing = readCallbackCredentials({ secretEnv: 'CB_SECRET' }, {});
    expect(missing).toEqual({ ok: false, message: 'callback.secretEnv names the environment variable CB_SECRET, which is not set' });
  });

  it('gives the bundled server a fresh random secret per run unless one is configured', () => {
    const a = readCallbackCredentials(undefined, {}, { configured: {} });
    const b = readCallbackCredentials(undefined, {}, { configured: {} });
    if (!a.ok || !b.ok) throw new Error('expected credentials');
    expect(a.bundled?.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(a.bundled?.secret).not.toBe(b.bundled?.secret);
    expect(a.credentials.secret).toBe(a.bundled?.secret);
    const fixed = readCallbackCredentials(undefined, {}, { configured: { bearerToken: TOKEN } });
    expect(fixed.ok && fixed.bundled).toEqual({ bearerToken: TOKEN });
  });
});

const arrival = (text: string, over: Partial<CallbackArrival> = {}): CallbackArrival => ({
  method: 'POST',
  target: '/callbacks/x',
  headers: { 'content-type': 'application/fhir+json' },
  body: Buffer.from(text),
  oversize: false,
  receivedAt: 0,
  answeredStatus: 204,
  ...over,
});

describe('the JSON view a waitCallback step checks', () => {
  const parameters = JSON.stringify({
    resourceType: 'Parameters',
    parameter: [
      { name: 'status', valueCode: 'failed' },
      { name: 'resultUrl', valueUrl: 'https://fhir.example/result/1' },
      { name: 'outcome', resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] } },
      { name: 'status', valueCode: 'ignored-second' },
      { name: 'detail', part: [{ name: 'code', valueString: 'x' }] },
    ],
  });

  it('reads parameters by name (value[x], resource, parts; the first of a repeated name)', () => {
    const view = buildCallbackView([arrival(parameters)], createCallbackVerifier());
    expect(view.parameters).toEqual({
      status: 'failed',
      resultUrl: 'https://fhir.example/result/1',
      outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] },
      detail: { code: 'x' },
    });
    expect(view.parameterNames).toEqual(['status', 'resultUrl', 'outcome', 'status', 'detail']);
    expect(view).toMatchObject({ count: 1, method: 'POST', answered: 204, identical: true, authentication: 'none' });
  });

  it('counts copies and says whether they are identical', () => {
    expect(buildCallbackView([arrival(parameters), arrival(parameters)], createCallbackVerifier())).toMatchObject({ count: 2, identical: true });
    expect(buildCallbackView([arrival(parameters), arrival('{}')], createCallbackVerifier()).identical).toBe(false);
  });

  it('reports a body that is not JSON instead of failing', () => {
    const view = buildCallbackView([arrival('status=completed')], createCallbackVerifier());
    expect(view.body).toBeNull();
    expect(view.bodyError).toMatch(/not JSON/);
    expect(view.parameters).toEqual({});
  });

  it('is checked as a response: its JSON as the body, the first request headers as headers', () => {
    const first = arrival(parameters, { answeredStatus: 500 });
    const res = toCheckableResponse(buildCallbackView([first], createCallbackVerifier()), first);
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toBe('application/fhir+json');
    expect(JSON.parse(res.body.toString()) as unknown).toMatchObject({ parameters: { status: 'failed' } });
  });
});
