/**
 * File access for the CLI. The .align file itself may be anywhere the user points; model files
 * it names (`model gpt from "x.csv"`) are resolved against the .align file's folder and must
 * stay inside that folder tree — an .align file from someone else must not be able to read
 * ~/.ssh/id_rsa into an error message. The check is made twice: on the path as written
 * (`../secret.csv`, absolute paths) and on the real path after symlinks are resolved.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/** Files above this size are refused rather than read into memory (a 50k-token CSV is ~2 MB). */
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

/** True when `child` is `root` or lies below it (both absolute, normalised). */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * A reader for the model files of `alignFile`: `spec` is the path as written in the source,
 * relative to the .align file's folder.
 */
export function confinedReader(alignFile: string): (spec: string) => ReadOutcome {
  const folder = dirname(resolve(alignFile));
  let realFolder: string | undefined;
  return (spec: string) => {
    if (spec.length === 0) return { ok: false, message: 'empty file name' };
    if (spec.includes('\0')) return { ok: false, message: 'file name contains a NUL character' };
    if (isAbsolute(spec) || /^[A-Za-z]:[\\/]/.test(spec)) {
      return {
        ok: false,
        message: `'${spec}' is an absolute path; model files must be relative to the .align file`,
      };
    }
    const target = resolve(folder, spec);
    if (!isInside(folder, target)) {
      return { ok: false, message: `'${spec}' is outside the folder of the .align file` };
    }
    let realTarget: string;
    try {
      realFolder ??= realpathSync(folder);
      realTarget = realpathSync(target);
    } catch (e) {
      return { ok: false, message: `cannot read '${spec}': ${ioMessage(e)}` };
    }
    if (!isInside(realFolder, realTarget)) {
      return {
        ok: false,
        message: `'${spec}' resolves (through a symbolic link) outside the folder of the .align file`,
      };
    }
    const read = readTextFile(realTarget);
    return read.ok ? read : { ok: false, message: `cannot read '${spec}': ${read.message}` };
  };
}
