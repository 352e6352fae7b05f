import { startReferenceServer, type ReferenceServerOptions } from '../reference-server/index.js';

/**
 * Run the reference server as a benchmark's child process: print `listening <baseUrl>` once
 * bound, and exit on SIGTERM/SIGINT or when the parent goes away (stdin closes).
 */
export function serveAsChild(label: string, options: ReferenceServerOptions): void {
  const main = async (): Promise<void> => {
    const server = await startReferenceServer({ ...options, host: '127.0.0.1', port: 0 });
    process.stdout.write(`listening ${server.baseUrl}\n`);
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      void server.close().finally(() => process.exit(0));
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.stdin.on('end', stop);
    process.stdin.on('close', stop);
    process.stdin.resume();
  };
  main().catch((err: unknown) => {
    process.stderr.write(`${label} failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
