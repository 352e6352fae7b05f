/** Lifecycle of the reference server: bind (with clear errors), serve, close promptly. */
import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ServerState } from './context.js';
import { FhirStore } from './fhir-store.js';
import { JobStore } from './job-store.js';
import { resolveOptions, type ReferenceServerOptions } from './options.js';
import { dispatch } from './router.js';
import { CallbackScheduler } from './callbacks/callback-scheduler.js';
import { JobEvents } from './longpoll/job-events.js';

export interface RunningReferenceServer {
  /** `http://<host>:<port>` of the bound socket (not publicBaseUrl). */
  baseUrl: string;
  port: number;
  /** Stops listening and closes all connections, keep-alive ones included. Idempotent. */
  close(): Promise<void>;
}

const BAD_REQUEST_BODY = JSON.stringify({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'invalid', diagnostics: 'malformed HTTP request' }],
});

function answerClientError(socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(
    'HTTP/1.1 400 Bad Request\r\nContent-Type: application/fhir+json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(BAD_REQUEST_BODY)}\r\nConnection: close\r\n\r\n${BAD_REQUEST_BODY}`,
  );
}

function describeListenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  if (err.code === 'EADDRINUSE') return new Error(`port ${port} on ${host} is already in use`, { cause: err });
  if (err.code === 'EACCES') return new Error(`permission denied to listen on ${host}:${port}`, { cause: err });
  if (err.code === 'EADDRNOTAVAIL') return new Error(`address ${host} is not available on this machine`, { cause: err });
  return new Error(`could not listen on ${host}:${port}: ${err.message}`, { cause: err });
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => reject(describeListenError(err, host, port));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('server did not report a TCP address'));
        return;
      }
      resolve(address.port);
    });
  });
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts the server. Rejects with UnknownFaultError / RangeError on bad options, Error on bind failure. */
export async function startReferenceServer(opts: ReferenceServerOptions = {}): Promise<RunningReferenceServer> {
  const config = resolveOptions(opts);
  const jobStoreOptions = { clock: config.clock, maxJobs: config.maxJobs, retentionMs: config.jobRetentionMs };
  const jobEvents = new JobEvents({ log: config.log });
  const state: ServerState = {
    config,
    exportJobs: new JobStore(jobStoreOptions),
    interactionJobs: new JobStore(jobStoreOptions),
    fhirStore: new FhirStore({ clock: config.clock, patientCount: config.patientCount }),
    fallbackBaseUrl: '',
    jobEvents,
    callbacks: new CallbackScheduler({
      config: config.callbacks,
      clock: config.clock,
      faults: config.faults,
      events: jobEvents,
      log: config.log,
    }),
  };
  const server = createServer((req, res) => {
    void dispatch(req, res, state);
  });
  server.on('clientError', (_err, socket) => answerClientError(socket));
  const port = await listen(server, config.host, config.port);
  server.on('error', (err) => config.log?.(`server error: ${err.message}`));
  const baseUrl = `http://${formatHost(config.host)}:${port}`;
  state.fallbackBaseUrl = baseUrl;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= Promise.all([
      state.callbacks.close(),
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    ]).then(() => undefined);
    return closing;
  };
  return { baseUrl, port, close };
}
