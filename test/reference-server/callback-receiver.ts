/**
 * A loopback callback receiver for tests: records every request and lets a test wait,
 * with a deadline, until a given number has arrived (no sleeping and hoping).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';

export interface ReceivedCallback {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface CallbackReceiver {
  /** `http://127.0.0.1:<port><path>`. */
  url(path?: string): string;
  readonly port: number;
  readonly received: readonly ReceivedCallback[];
  /** Requests to `path` so far. */
  receivedAt(path: string): ReceivedCallback[];
  /** Resolves once `count` requests to `path` have arrived; rejects after `timeoutMs`. */
  waitFor(path: string, count: number, timeoutMs?: number): Promise<ReceivedCallback[]>;
  /** Status for the following answers (default 204); `'hang'` never answers. */
  answerWith(status: number | 'hang'): void;
  close(): Promise<void>;
}

interface Waiter {
  path: string;
  count: number;
  resolve: (received: ReceivedCallback[]) => void;
}

export async function startCallbackReceiver(): Promise<CallbackReceiver> {
  const received: ReceivedCallback[] = [];
  const waiters = new Set<Waiter>();
  let answer: number | 'hang' = 204;
  const receivedAt = (path: string): ReceivedCallback[] => received.filter((cb) => cb.path === path);
  const wake = (): void => {
    for (const waiter of waiters) {
      const matching = receivedAt(waiter.path);
      if (matching.length < waiter.count) continue;
      waiters.delete(waiter);
      waiter.resolve(matching);
    }
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      if (answer !== 'hang') {
        res.statusCode = answer;
        res.end();
      }
      wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('receiver has no TCP address');
  const port = address.port;
  return {
    url: (path = '/cb') => `http://127.0.0.1:${port}${path}`,
    port,
    received,
    receivedAt,
    waitFor(path, count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`expected ${count} callback(s) to ${path} within ${timeoutMs} ms, got ${receivedAt(path).length}`));
        }, timeoutMs);
        const waiter: Waiter = {
          path,
          count,
          resolve: (matching) => {
            clearTimeout(timer);
            resolve(matching);
          },
        };
        waiters.add(waiter);
        wake();
      });
    },
    answerWith(status) {
      answer = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Parameters body of a callback, by parameter name. */
export interface CallbackBody {
  resourceType: string;
  parameter: { name: string; valueCode?: string; valueUrl?: string; resource?: { resourceType: string } }[];
}

export function parseCallbackBody(cb: ReceivedCallback): CallbackBody {
  return JSON.parse(cb.body) as CallbackBody;
}

export function parameterOf(body: CallbackBody, name: string): CallbackBody['parameter'][number] | undefined {
  return body.parameter.find((p) => p.name === name);
}
