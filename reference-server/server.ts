/** Lifecycle of the reference server: bind (with clear errors), serve, close promptly. */
import { createServer, type RequestListener } from 'node:http';
import type { Server } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ServerState } from './context.js';
import { FhirStore } from './fhir-store.js';
import { JobStore } from './job-store.js';
import { resolveOptions, type ReferenceServerOptions, type ResolvedConfig } from './options.js';
import { dispatch } from './router.js';
import { CallbackScheduler } from './callbacks/callback-scheduler.js';
import { JobEvents } from './longpoll/job-events.js';
import { createTlsListener } from './tls/tls-listener.js';

export interface RunningReferenceServer {
  /** `http://<host>:<port>` (`https://` in TLS mode) of the bound socket (not publicBaseUrl). */
  baseUrl: string;
  port: number;
  /** TLS mode: PEM of the server's self-signed certificate, for clients to trust (public, no secret). */
  caCertificate?: string;
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

/**
 * The socket to bind: one plain http server, or in TLS mode (AUTH-01) a front socket handing
 * connections to an https server (and, under the fault file-urls-http-under-tls, plain ones to an
 * http server as well).
 */
function createListener(config: ResolvedConfig, handler: RequestListener): { server: Server; closeConnections(): void; caCertificate?: string } {
  if (config.tls) {
    const tls = createTlsListener(handler, { alsoPlainHttp: config.faults.has('file-urls-http-under-tls') || config.faults.has('redirect-location-http-under-tls') });
    for (const http of tls.servers) http.on('clientError', (_err, socket) => answerClientError(socket));
    return { server: tls.front, closeConnections: tls.closeConnections, caCertificate: tls.caCertificate };
  }
  const plain = createServer(handler);
  plain.on('clientError', (_err, socket) => answerClientError(socket));
  return { server: plain, closeConnections: () => plain.closeAllConnections() };
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
  const { server, closeConnections, caCertificate } = createListener(config, (req, res) => {
    void dispatch(req, res, state);
  });
  const port = await listen(server, config.host, config.port);
  server.on('error', (err) => config.log?.(`server error: ${err.message}`));
  const baseUrl = `${config.tls ? 'https' : 'http'}://${formatHost(config.host)}:${port}`;
  state.fallbackBaseUrl = baseUrl;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= Promise.all([
      state.callbacks.close(),
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        closeConnections();
      }),
    ]).then(() => undefined);
    return closing;
  };
  return { baseUrl, port, close, ...(caCertificate === undefined ? {} : { caCertificate }) };
}
