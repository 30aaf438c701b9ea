/**
 * Checks the LSP base protocol framing of a byte stream (stdio) before the JSON-RPC reader sees
 * it: every message is `Content-Length: <n>` (and optional other headers), a blank line, then
 * exactly n bytes.
 *
 * Why: the library's reader, given a malformed header (`Content-Length: abc`, a negative or
 * absurd length), reports an error that nothing acts on and then misreads every later byte — the
 * connection is wedged, silently. A stream that breaks the framing cannot be resynchronised
 * reliably, so the server says what was wrong on stderr and exits with status 1; an editor then
 * restarts it (VS Code does, and tells the user).
 */
import { Transform, type TransformCallback } from 'node:stream';

/** Largest message accepted (a 50,000-token document is ≈ 2 MB; the server analyses ≤ 4 MB). */
export const MAX_MESSAGE_BYTES = 64 * 2 ** 20;
/** Longest header block accepted. */
const MAX_HEADER_BYTES = 8 * 1024;

export class FramingCheck extends Transform {
  /** Bytes of the current body still to come (0 while reading headers). */
  private remaining = 0;
  private header = '';

  constructor(private readonly onViolation: (message: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.remaining > 0) {
        // Body bytes pass unread.
        const take = Math.min(this.remaining, chunk.length - i);
        this.remaining -= take;
        i += take;
        continue;
      }
      // Header bytes (ASCII by the spec, a few dozen per message): one at a time.
      this.header += String.fromCharCode(chunk[i++]);
      if (this.header.length > MAX_HEADER_BYTES) {
        this.violation(`a message header is longer than ${MAX_HEADER_BYTES} bytes`, done);
        return;
      }
      if (!this.header.endsWith('\r\n\r\n')) continue;
      const length = contentLength(this.header);
      if (typeof length === 'string') {
        this.violation(length, done);
        return;
      }
      this.header = '';
      this.remaining = length;
    }
    done(null, chunk);
  }

  private violation(message: string, done: TransformCallback): void {
    this.onViolation(`malformed LSP message framing: ${message}`);
    done();
  }
}

/** The Content-Length of a header block, or what is wrong with it. */
function contentLength(header: string): number | string {
  const lines = header.split('\r\n').filter((l) => l !== '');
  let length: number | undefined;
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) return `a header line without a name: ${JSON.stringify(line.slice(0, 80))}`;
    if (line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d{1,12}$/.test(value))
      return `Content-Length is not a byte count: ${JSON.stringify(value.slice(0, 40))}`;
    length = Number(value);
  }
  if (length === undefined) return 'a message without a Content-Length header';
  if (length > MAX_MESSAGE_BYTES)
    return `Content-Length ${length} is larger than the ${MAX_MESSAGE_BYTES / 2 ** 20} MB the server accepts`;
  return length;
}
