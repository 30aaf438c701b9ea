/**
 * Writing the report. The page is written to a new temporary file next to the destination (created
 * exclusively, so nothing planted there is followed) and then renamed over the destination. A
 * rename replaces a symbolic link instead of writing through it, so `paper.html → elsewhere` can
 * never overwrite `elsewhere`; and a failed write leaves the destination as it was (no
 * half-written page). An existing regular file keeps its permissions.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  lstatSync,
  mkdirSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

export type WriteOutcome =
  | {
      readonly ok: true /** The destination was a symbolic link, now replaced by the file. */;
      readonly replacedLink: boolean;
    }
  | { readonly ok: false; readonly message: string };

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
    case 'ENOTDIR':
      return 'no such folder';
    case 'EISDIR':
      return 'is a directory';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return code ?? (e instanceof Error ? e.message : String(e));
  }
}

export function writeFileReplacing(target: string, data: string): WriteOutcome {
  const folder = dirname(target);
  let temp: string | undefined;
  try {
    mkdirSync(folder, { recursive: true });
    const before = lstatSync(target, { throwIfNoEntry: false });
    if (before?.isDirectory()) return { ok: false, message: 'is a directory' };
    temp = join(folder, `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    const fd = openSync(temp, 'wx', 0o666);
    try {
      const bytes = Buffer.from(data, 'utf8');
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
      if (before?.isFile()) fchmodSync(fd, before.mode & 0o7777);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
    temp = undefined;
    return { ok: true, replacedLink: before?.isSymbolicLink() === true };
  } catch (e) {
    return { ok: false, message: reason(e) };
  } finally {
    if (temp !== undefined) {
      try {
        unlinkSync(temp);
      } catch {
        // Never created, or already gone.
      }
    }
  }
}
