/** A loopback HTTP server that serves fixed file bodies (test fixtures for the streaming validator). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile {
  status?: number;
  headers?: Record<string, string>;
  body: Buffer | string;
}

export interface FileServer {
  url(name: string): string;
  close(): Promise<void>;
}

export async function serveFiles(files: Record<string, ServedFile>): Promise<FileServer> {
  const server: Server = createServer((req, res) => {
    const file = files[(req.url ?? '/').slice(1)];
    if (file === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(file.status ?? 200, { 'content-type': 'application/fhir+ndjson', ...file.headers });
    res.end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
