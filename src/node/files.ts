/**
 * Reading model files (`model m from "x.csv"`) from disk — the one confinement function that the
 * CLI and the node language server both use. An .align file from someone else must not be able to
 * read ~/.ssh/id_rsa into a diagnostic, hang the process on a pipe or fill its memory from
 * /dev/zero. Every read:
 *
 * 1. confines the path as written (`confinePath`: relative, no `..` out of the document's folder);
 * 2. picks the confinement root: the first candidate (the workspace folder, then the document's
 *    folder) that is not too broad — never the file system root nor a folder that contains the
 *    home folder;
 * 3. resolves symbolic links (realpath) and requires the real path to lie inside the real root;
 * 4. refuses anything but a regular file *before* opening it (a FIFO would block, a device may
 *    never end), then opens it with O_NONBLOCK | O_NOFOLLOW and checks with fstat that the open
 *    descriptor is that same regular file (and, on Linux, that /proc/self/fd says it is inside
 *    the root), so nothing can be swapped in between;
 * 5. reads at most MODEL_FILE_MAX_BYTES + 1 bytes and decodes them as strict UTF-8.
 *
 * Synchronous on purpose: each step is bounded (nothing waits on a pipe), and it keeps the CLI
 * simple; in the server it keeps libuv's four threads free.
 */

import { isAscii, isUtf8 } from 'node:buffer';
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readlinkSync,
  readSync,
  realpathSync,
  type Stats,
  statSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { confinePath } from '../language/checking/modelFile.js';
import {
  decodeUtf8Strict,
  MODEL_FILE_MAX_BYTES,
  type ModelFileProblemCode,
  type ModelFileRead,
  tooLarge,
} from '../protocol/modelFiles.js';

/** True when `child` is `root` or lies below it (both absolute, normalised). */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** A folder that model files may be read from, and how messages name it. */
export interface RootCandidate {
  readonly path: string;
  /** e.g. "the workspace folder", "the folder of the .align file". */
  readonly label: string;
}

export interface ConfinementRoot extends RootCandidate {
  /** The root with every symbolic link resolved. */
  readonly real: string;
}

const fail = (code: ModelFileProblemCode, message: string): ModelFileRead => ({ ok: false, code, message });

function realHome(home: string | undefined): string | undefined {
  if (!home || !isAbsolute(home)) return undefined;
  try {
    return realpathSync(home);
  } catch {
    return resolve(home);
  }
}

/**
 * Why a folder is too broad to confine model files to, or undefined when it is fine: the file
 * system root, or a folder that contains the home folder (`/home`, the home folder itself), from
 * where a document could read ~/.ssh or ~/.aws.
 */
export function tooBroad(real: string, home: string | undefined = homedir()): string | undefined {
  if (dirname(real) === real) return 'is the root of the file system';
  const h = realHome(home);
  if (h !== undefined && isInside(real, h))
    return h === real ? 'is the home folder' : 'contains the home folder';
  return undefined;
}

/**
 * The confinement root: the first candidate that exists and is not too broad. When none
 * qualifies, the refusal says why (for the first candidate).
 */
export function chooseRoot(
  candidates: readonly RootCandidate[],
  home: string | undefined = homedir(),
): { ok: true; root: ConfinementRoot } | { ok: false; problem: ModelFileRead } {
  let first: ModelFileRead | undefined;
  for (const c of candidates) {
    let real: string;
    try {
      real = realpathSync(resolve(c.path));
    } catch {
      first ??= fail('file-not-found', `${c.label} '${c.path}' does not exist`);
      continue;
    }
    const why = tooBroad(real, home);
    if (why === undefined) return { ok: true, root: { ...c, real } };
    first ??= fail(
      'file-refused',
      `model files are not read when ${c.label} ('${c.path}') ${why}: every file below it would be readable; ` +
        'put the .align file in a project folder (in an editor, open that folder as the workspace)',
    );
  }
  return {
    ok: false,
    problem: first ?? fail('file-not-found', 'there is no folder to read model files from'),
  };
}

function ioProblem(e: unknown): ModelFileRead {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return fail('file-not-found', 'no such file');
    case 'EACCES':
    case 'EPERM':
      return fail('file-not-found', 'permission denied');
    case 'ELOOP':
      return fail('file-refused', 'it is a symbolic link that changed while it was being opened, or a loop');
    case 'EISDIR':
      return fail('file-refused', 'it is a folder, not a file');
    default:
      return fail('file-not-found', `it cannot be read (${code ?? 'I/O error'})`);
  }
}

/** What a non-regular file is, for the refusal. */
function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isSocket()) return 'a socket';
  if (s.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

const OPEN_FLAGS =
  constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0) | (constants.O_NOCTTY ?? 0);

/** Options for tests; the defaults are what the CLI and the server use. */
export interface ReadOptions {
  readonly maxBytes?: number;
}

/**
 * Reads the model file `spec` (as written in the source, relative to `folder`, the document's
 * folder) under `root`. Never throws, never blocks on a pipe, never reads more than the cap.
 */
export function readConfined(
  spec: string,
  folder: string,
  root: ConfinementRoot,
  options: ReadOptions = {},
): ModelFileRead {
  const maxBytes = options.maxBytes ?? MODEL_FILE_MAX_BYTES;
  const confined = confinePath(spec);
  if (!confined.ok) return fail('file-refused', confined.message);
  const target = resolve(folder, ...confined.path.split('/'));
  if (!isInside(resolve(root.path), target)) return fail('file-refused', `it is outside ${root.label}`);
  let real: string;
  try {
    real = realpathSync(target);
  } catch (e) {
    return ioProblem(e);
  }
  if (!isInside(root.real, real))
    return fail('file-refused', `it resolves through a symbolic link to a place outside ${root.label}`);
  // What the path names, without opening it: a FIFO or a device is refused before any open().
  let before: Stats;
  try {
    before = lstatSync(real);
  } catch (e) {
    return ioProblem(e);
  }
  if (!before.isFile()) return fail('file-refused', `it is ${kindOf(before)}, not a regular file`);
  if (before.size > maxBytes) return tooLarge(maxBytes);
  let fd: number;
  try {
    fd = openSync(real, OPEN_FLAGS);
  } catch (e) {
    return ioProblem(e);
  }
  try {
    // The descriptor is what gets read: it must be the regular file that was checked.
    const opened = fstatSync(fd);
    if (!opened.isFile()) return fail('file-refused', `it is ${kindOf(opened)}, not a regular file`);
    if (opened.dev !== before.dev || opened.ino !== before.ino)
      return fail('file-refused', 'it was replaced while it was being opened');
    if (opened.size > maxBytes) return tooLarge(maxBytes);
    const where = openedPath(fd);
    if (where !== undefined && !isInside(root.real, where))
      return fail('file-refused', `it resolves to a place outside ${root.label}`);
    const bytes = readAtMost(fd, maxBytes + 1, opened.size);
    if (bytes.length > maxBytes) return tooLarge(maxBytes);
    return decodeFile(bytes);
  } catch (e) {
    return ioProblem(e);
  } finally {
    closeSync(fd);
  }
}

/**
 * decodeUtf8Strict, quicker in node: buffer.isUtf8 validates natively (SIMD) and toString decodes
 * without TextDecoder's fatal mode, together about half its time on a 40 MB file. TextDecoder
 * drops a leading byte order mark; so does this. Invalid files get decodeUtf8Strict's message.
 */
function decodeFile(bytes: Buffer): ModelFileRead {
  // ASCII (most exported models): the same text as latin1, decoded by a plain copy.
  if (isAscii(bytes)) return { ok: true, text: bytes.toString('latin1') };
  if (!isUtf8(bytes)) return decodeUtf8Strict(bytes);
  const text = bytes.toString('utf8');
  return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/** Where an open descriptor really is (Linux: /proc/self/fd), or undefined where unknown. */
function openedPath(fd: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const path = readlinkSync(`/proc/self/fd/${fd}`);
    return isAbsolute(path) ? path.replace(/ \(deleted\)$/, '') : undefined;
  } catch {
    return undefined;
  }
}

/** Reads until end of file or `limit` bytes, whichever comes first (the file may grow meanwhile). */
function readAtMost(fd: number, limit: number, sizeHint: number): Buffer {
  let buffer = Buffer.allocUnsafe(Math.min(limit, Math.max(sizeHint + 1, 4096)));
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (buffer.length >= limit) break;
      const grown = Buffer.allocUnsafe(Math.min(limit, buffer.length * 2));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    const n = readSync(fd, buffer, length, buffer.length - length, null);
    if (n === 0) break;
    length += n;
  }
  return buffer.subarray(0, length);
}

/**
 * A reader for the model files of one document: `spec` is the path as written in the source;
 * `folder` is the document's folder; `candidates` the possible roots, best first.
 */
export function modelFileReader(
  folder: string,
  candidates: readonly RootCandidate[],
  options: ReadOptions & { home?: string } = {},
): (spec: string) => ModelFileRead {
  let chosen: ReturnType<typeof chooseRoot> | undefined;
  return (spec) => {
    chosen ??= chooseRoot(candidates, 'home' in options ? options.home : homedir());
    return chosen.ok ? readConfined(spec, folder, chosen.root, options) : chosen.problem;
  };
}

/**
 * A cheap fingerprint of the file a path names (following links): device, inode, size and
 * modification time, or "absent". A cached model file whose fingerprint changed is read again.
 */
export function fileStamp(path: string): string {
  try {
    const s = statSync(path, { throwIfNoEntry: false });
    return s ? `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}` : 'absent';
  } catch {
    return 'unreadable';
  }
}
