/**
 * The TLS mode's listening socket (AUTH-01): https only, TLS 1.2 or later, with a certificate
 * made at startup. The fault `file-urls-http-under-tls` also answers plain HTTP on the same port
 * (a connection whose first byte is not a TLS handshake record goes to a plain HTTP server), so
 * the http:// file URLs it hands out still work and only their scheme is wrong.
 */
import { createServer as createHttpServer, type RequestListener, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createSelfSignedCertificate } from './self-signed-certificate.js';

export interface TlsListener {
  /** Bind this one. */
  front: NetServer;
  /** The HTTP servers the connections are handed to (for their clientError handling). */
  servers: HttpServer[];
  /** PEM of the self-signed certificate (public): what clients trust. */
  caCertificate: string;
  /** Closes every connection, those still waiting for their first byte included. */
  closeConnections(): void;
}

/** A TLS record of type handshake starts with this byte (ClientHello). */
const TLS_HANDSHAKE = 0x16;

export function createTlsListener(handler: RequestListener, opts: { alsoPlainHttp: boolean }): TlsListener {
  const { cert, key } = createSelfSignedCertificate();
  const secure = createHttpsServer({ cert, key, minVersion: 'TLSv1.2' }, handler);
  const plain = opts.alsoPlainHttp ? createHttpServer(handler) : undefined;
  const waiting = new Set<Socket>();
  const front = createNetServer((socket: Socket) => {
    waiting.add(socket);
    socket.once('close', () => waiting.delete(socket));
    socket.once('data', (first: Buffer) => {
      waiting.delete(socket);
      socket.pause();
      socket.unshift(first);
      const target = first[0] !== TLS_HANDSHAKE && plain !== undefined ? plain : secure;
      target.emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
    socket.on('error', () => socket.destroy());
  });
  const servers = plain ? [secure, plain] : [secure];
  const closeConnections = (): void => {
    for (const socket of waiting) socket.destroy();
    for (const server of servers) server.closeAllConnections();
  };
  return { front, servers, caCertificate: cert, closeConnections };
}
