import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/app/package-info.js';

/** The built CLI (`npm test` builds first). */
export const CLI = path.join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Run the CLI to completion (killed after `killAfterMs`, so a hang fails the test instead of stalling it). */
export function runCli(args: string[], opts: { cwd?: string; killAfterMs?: number; env?: Record<string, string> } = {}): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? PACKAGE_ROOT, env: { ...process.env, NO_COLOR: '1', ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Start `serve` on an ephemeral port; resolves once it prints its base URL. */
export function startServe(args: string[]): Promise<{ baseUrl: string; child: ChildProcess; stopped: Promise<CliResult> }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], { cwd: PACKAGE_ROOT });
    let stdout = '';
    let stderr = '';
    const stopped = new Promise<CliResult>((done) => {
      child.on('close', (code) => done({ code, stdout, stderr, ms: Date.now() - started }));
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /listening on (https?:\/\/\S+)/.exec(stdout);
      if (m?.[1]) resolve({ baseUrl: m[1], child, stopped });
    });
    child.on('error', reject);
    void stopped.then((r) => reject(new Error(`serve exited early (${r.code}): ${r.stderr}`)));
  });
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
