/**
 * Reading the .align file the user points the CLI at (or a pipe: `align-lab eval <(gen)`). Model
 * files it names (`model gpt from "x.csv"`) are read with the confinement rules shared with the
 * language server, in src/node/files.ts.
 */
import { readFileSync, statSync } from 'node:fs';

/** .align files above this size are refused rather than read into memory. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export type ReadOutcome =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly message: string };

function ioMessage(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Reads a UTF-8 text file, refusing directories, devices and oversized files; strips a leading
 * BOM. `allowPipe` admits a named pipe (`align-lab eval <(generate-model)`); model files never
 * need one.
 */
export function readTextFile(path: string, allowPipe = false): ReadOutcome {
  try {
    const info = statSync(path);
    if (info.isDirectory()) return { ok: false, message: 'is a directory' };
    if (!info.isFile() && !(allowPipe && info.isFIFO()))
      return { ok: false, message: 'is not a regular file' };
    if (info.size > MAX_FILE_BYTES) {
      return { ok: false, message: `is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` };
    }
    const text = readFileSync(path, 'utf8');
    // Editors drop the BOM too, so positions agree with what the language server reports.
    return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch (e) {
    return { ok: false, message: ioMessage(e) };
  }
}
