/**
 * Splits a byte stream into NDJSON lines without holding more than one chunk and one partial
 * line: chunks are decoded as UTF-8 (a character split across chunks is kept whole), cut at
 * `\n`, and a trailing `\r` is dropped (CRLF files). Lines are numbered from 1; the empty
 * piece after a final newline is not a line.
 */
import { StringDecoder } from 'node:string_decoder';

export type LineSink = (line: string, lineNumber: number) => void;

/**
 * The longest line read (default): a line is held whole until its newline, so a body that never
 * sends one (not NDJSON, or a server gone wrong) would otherwise grow without bound.
 */
export const MAX_LINE_BYTES = 128 << 20;

/** A line longer than the limit: the file's check stops there, as errored (it cannot be judged). */
export class LineTooLongError extends Error {
  constructor(lineNumber: number, limit: number) {
    super(`line ${lineNumber} is longer than ${limit >= 1 << 20 ? `${limit / (1 << 20)} MiB` : `${limit} bytes`} without a newline: stopped reading the file (a line is held whole to be checked)`);
  }
}

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private lineNumber = 0;
  private bytes = 0;

  /** `maxLine`: the longest line, in UTF-16 code units (about bytes); a longer one throws LineTooLongError. */
  constructor(private readonly sink: LineSink, private readonly maxLine = MAX_LINE_BYTES) {}

  /** Bytes pushed so far. */
  get byteCount(): number {
    return this.bytes;
  }

  /** Lines delivered so far. */
  get lineCount(): number {
    return this.lineNumber;
  }

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    const text = this.decoder.write(chunk);
    let start = 0;
    let end = text.indexOf('\n');
    if (end === -1) {
      this.partial += text;
      this.limit();
      return;
    }
    if (this.partial !== '') {
      this.emit(this.partial + text.slice(0, end));
      this.partial = '';
      start = end + 1;
      end = text.indexOf('\n', start);
    }
    while (end !== -1) {
      this.emit(text.slice(start, end));
      start = end + 1;
      end = text.indexOf('\n', start);
    }
    this.partial = text.slice(start);
    this.limit();
  }

  private limit(): void {
    if (this.partial.length > this.maxLine) throw new LineTooLongError(this.lineNumber + 1, this.maxLine);
  }

  /** Flush the last line (a file need not end with a newline). */
  end(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest !== '') this.emit(rest);
  }

  private emit(raw: string): void {
    this.lineNumber += 1;
    this.sink(raw.endsWith('\r') ? raw.slice(0, -1) : raw, this.lineNumber);
  }
}
