/**
 * Redaction canary: the whole suite runs (through the CLI) against `serve --auth` with three
 * registered clients (the third scoped to system/Patient.rs, AUTH-06) whose private keys and
 * issued tokens carry recognisable canaries, once clean and once with each of two faults (so
 * failure messages are printed too). No canary may appear in
 * junit.xml, results.json, the run's console output or the server's log.
 */
import { createPublicKey, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startServe, type CliResult } from '../helpers/cli.js';
import { CLIENT_A, CLIENT_B, getToken, makeClient } from './auth-helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fac-canary-'));
const write = (name: string, text: string): string => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

const tokenPrefix = `canaryTOKEN-${randomBytes(6).toString('hex')}-`;
const aPem = CLIENT_A.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const bJwk = { ...CLIENT_B.privateKey.export({ format: 'jwk' }), kid: CLIENT_B.kid };
const CLIENT_C = makeClient('client-scoped', 'ES384');
const cPem = CLIENT_C.privateKey.export({ format: 'pem', type: 'sec1' }).toString();

write('a.pem', aPem);
write('b.jwk.json', JSON.stringify(bJwk));
write('a.jwks.json', JSON.stringify({ keys: [CLIENT_A.publicJwk] }));
write('b.pub.pem', createPublicKey(CLIENT_B.privateKey).export({ format: 'pem', type: 'spki' }).toString());
write('c.pem', cPem);
write('c.jwks.json', JSON.stringify({ keys: [CLIENT_C.publicJwk] }));
const clients = write('clients.yaml', [
  'tokenLifetime: 5s',
  `tokenPrefix: ${tokenPrefix}`,
  'clients:',
  `  - { clientId: ${CLIENT_A.clientId}, jwksFile: a.jwks.json }`,
  `  - { clientId: ${CLIENT_B.clientId}, publicKeyFile: b.pub.pem, keyId: ${CLIENT_B.kid} }`,
  `  - { clientId: ${CLIENT_C.clientId}, jwksFile: c.jwks.json, scope: system/Patient.rs }`,
  '',
].join('\n'));

/** Every secret: the private keys' material, the token prefix (every issued token starts with it). */
const CANARIES: string[] = [
  ...aPem.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----')),
  String(bJwk.d),
  ...cPem.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----')),
  tokenPrefix,
];
const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+/;

function profile(baseUrl: string): string {
  return write(`profile-${new URL(baseUrl).port}.yaml`, [
    `baseUrl: ${baseUrl}`,
    'claims: [bulk-v2, bundle, redirect, callback, longpoll, client-isolation]',
    'groupId: g1',
    'auth:',
    '  type: smart-backend-services',
    `  clientId: ${CLIENT_A.clientId}`,
    '  privateKey: a.pem',
    '  alg: RS384',
    `  keyId: ${CLIENT_A.kid}`,
    '  maxExpiryWait: 10s',
    '  secondClient:',
    `    clientId: ${CLIENT_B.clientId}`,
    '    privateKey: b.jwk.json',
    '    alg: ES384',
    '  scopedClient:',
    `    clientId: ${CLIENT_C.clientId}`,
    '    privateKey: c.pem',
    '    alg: ES384',
    `    keyId: ${CLIENT_C.kid}`,
    '    scope: system/Patient.rs',
    '',
  ].join('\n'));
}

function expectNoCanary(where: string, text: string): void {
  for (const canary of CANARIES) expect(text.includes(canary), `${where} contains a secret (${canary.slice(0, 12)}…)`).toBe(false);
  expect(JWT_SHAPE.exec(text)?.[0], `${where} contains a JWT`).toBeUndefined();
}

async function runAgainstServe(serveArgs: string[], reports: string): Promise<{ run: CliResult; serve: CliResult; baseUrl: string }> {
  const server = await startServe(['--auth', clients, '--log', '--job-duration', '200ms', '--retry-after', '0', ...serveArgs]);
  let run: CliResult;
  try {
    // The canaries are live: a token from this server starts with the prefix.
    expect(await getToken(server.baseUrl, CLIENT_A, Date.now())).toMatch(new RegExp(`^${tokenPrefix}`));
    run = await runCli(['run', '--config', profile(server.baseUrl), '--reports', reports], { cwd: dir, killAfterMs: 120_000 });
  } finally {
    server.child.kill('SIGTERM');
  }
  return { run, serve: await server.stopped, baseUrl: server.baseUrl };
}

describe('redaction canary: no secret in any report or output', () => {
  it.each([
    ['a clean server', [] as string[], 0],
    ['a server that hands jobs to other clients', ['--fault', 'other-client-token-accepted'], 1],
    ['a server that ignores token scopes', ['--fault', 'export-scopes-ignored'], 1],
  ])('against %s', async (_what, serveArgs, exitCode) => {
    const reports = path.join(dir, `reports-${exitCode}`);
    const { run, serve } = await runAgainstServe(serveArgs, reports);
    expect(run.code, run.stdout + run.stderr).toBe(exitCode);
    expect(run.stdout).toMatch(/PASS {2}auth\.status-and-cancel-need-token/);
    expect(run.stdout).toMatch(/(PASS|FAIL) {2}auth\.other-client-refused/);
    expect(run.stdout).toMatch(/PASS {2}auth\.expired-token-refused/);
    expect(run.stdout).toMatch(serveArgs.includes('export-scopes-ignored') ? /FAIL {2}auth\.scoped-client-export/ : /PASS {2}auth\.scoped-client-export/);
    const results = readFileSync(path.join(reports, 'results.json'), 'utf8');
    expectNoCanary('results.json', results);
    expect(results).toContain('Bearer <redacted>');
    expectNoCanary('junit.xml', readFileSync(path.join(reports, 'junit.xml'), 'utf8'));
    expectNoCanary('run stdout', run.stdout);
    expectNoCanary('run stderr', run.stderr);
    expectNoCanary('serve output', serve.stdout + serve.stderr);
    expect(serve.stderr).toContain('POST /auth/token 200');
  });
});
