/**
 * Standard output written synchronously when it is a pipe or a file. Why: `process.stdout.write`
 * to a pipe whose reader is slower than the writer queues every chunk in memory, so a 45 MB
 * `eval --json` held about 200 MB of heap until the reader caught up, and the garbage collector
 * copied it meanwhile (0.4 s of a million-token run). Written here, each chunk goes to the
 * descriptor before the next one is made: memory stays flat and the output is the same bytes.
 *
 * A pipe that libuv made non-blocking answers EAGAIN when it is full: the writer then sleeps a
 * millisecond (Atomics.wait, no busy loop) and tries again. EPIPE (the reader has gone, as with
 * `| head`) ends the process quietly, as the stream's error handler does. A terminal keeps the
 * stream (its writes are synchronous already, and the stream handles the terminal's quirks).
 */
import { writeSync } from 'node:fs';
import type { Output } from './io.js';

const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of `text` (UTF-8) to descriptor `fd`, waiting while a non-blocking pipe is full. */
export function writeAllSync(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  while (at < bytes.length) {
    try {
      at += writeSync(fd, bytes, at, bytes.length - at);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(SLEEPER, 0, 0, 1);
    }
  }
}

/**
 * The CLI's standard output: the stream itself on a terminal, otherwise synchronous writes to
 * `fd`. `onBrokenPipe` runs when the reader has gone (EPIPE) and must not return.
 */
export function standardOutput(
  stream: { readonly isTTY?: boolean; write(text: string): unknown },
  fd: number,
  onBrokenPipe: () => never,
): Output {
  if (stream.isTTY) return { isTTY: true, write: (text) => void stream.write(text) };
  return {
    isTTY: false,
    write: (text) => {
      try {
        writeAllSync(fd, text);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EPIPE') onBrokenPipe();
        throw e;
      }
    },
  };
}
