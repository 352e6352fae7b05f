/** Distinct exit codes per class of result (documented in the README). */
export const EXIT = {
  passed: 0,
  failed: 1,
  invalidInput: 2,
  targetError: 3,
  usage: 64,
  interrupted: 130,
} as const;

/** An error the CLI reports as one line (no stack trace) with an exit code. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
    this.name = 'CliError';
  }
}
