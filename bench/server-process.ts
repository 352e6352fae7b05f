/**
 * Runs the reference server in a child process (so client and server do not share an event
 * loop), waits for its `listening <url>` line with a deadline, and stops it with a deadline
 * (SIGTERM, then SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ServerProcess {
  baseUrl: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

const START_DEADLINE_MS = 15_000;
const STOP_DEADLINE_MS = 5_000;

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  child.stdin?.end();
  child.kill('SIGTERM');
  if (await waitForExit(child, STOP_DEADLINE_MS)) return;
  child.kill('SIGKILL');
  await waitForExit(child, STOP_DEADLINE_MS);
}

/**
 * Starts `server-entry.js` next to this file (or another entry, e.g. the NDJSON benchmark's,
 * with its own arguments) and resolves once it listens.
 */
export function startServerProcess(maxJobs: number, other?: { entry: string; args: string[] }): Promise<ServerProcess> {
  const entry = fileURLToPath(new URL(other?.entry ?? './server-entry.js', import.meta.url));
  const child = spawn(process.execPath, [entry, ...(other ? other.args : [String(maxJobs)])], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (message: string): void => {
      clearTimeout(timer);
      void stopChild(child).finally(() => reject(new Error(message)));
    };
    const timer = setTimeout(() => fail(`the bench server did not start within ${START_DEADLINE_MS} ms`), START_DEADLINE_MS);
    child.once('error', (err) => fail(`could not start the bench server: ${err.message}`));
    child.once('exit', (code) => fail(`the bench server exited early (code ${String(code)})`));
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      output += chunk;
      const match = /^listening (http:\/\/127\.0\.0\.1:[0-9]+)$/m.exec(output);
      if (match === null || match[1] === undefined) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout?.removeAllListeners('data');
      child.stdout?.resume();
      resolve({ baseUrl: match[1], pid: child.pid, stop: () => stopChild(child) });
    });
  });
}
