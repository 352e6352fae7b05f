/** Collects the server's log lines and lets a test wait, with a deadline, for a matching one. */

export interface LogCollector {
  readonly lines: readonly string[];
  /** Pass as the server's `log` option. */
  log(line: string): void;
  /** Resolves with the first line containing `text`; rejects after `timeoutMs`. */
  waitForLine(text: string, timeoutMs?: number): Promise<string>;
}

export function createLogCollector(): LogCollector {
  const lines: string[] = [];
  const waiters = new Set<{ text: string; resolve: (line: string) => void }>();
  return {
    lines,
    log(line) {
      lines.push(line);
      for (const waiter of waiters) {
        if (!line.includes(waiter.text)) continue;
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    },
    waitForLine(text, timeoutMs = 10_000) {
      const found = lines.find((line) => line.includes(text));
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          text,
          resolve: (line: string) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no log line containing "${text}" within ${timeoutMs} ms; got:\n${lines.join('\n')}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
  };
}
