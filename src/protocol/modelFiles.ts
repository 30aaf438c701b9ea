/**
 * The rules for reading a model file (`model m from "x.csv"`) that every host applies the same
 * way: the node reader shared by the CLI and the node language server (src/node/files.ts), and
 * the extension, which reads model files for the web-worker server (src/client/modelFiles.ts).
 * Pure: no I/O, no imports, so both sides of the protocol can use it.
 */

/**
 * Largest model file the language server reads (8 MiB). A 50,000-token vocabulary is about 2 MB
 * of CSV; the server runs with 128 MB of heap (serverNodeArgs), in which a 16 MiB CSV of 440,000
 * tokens no longer fits. Larger files are refused before a byte of them is read.
 */
export const MODEL_FILE_MAX_BYTES = 8 * 1024 * 1024;

/**
 * Largest model file the CLI reads (256 MiB): it runs with Node's default heap, and a
 * 1,000,000-token vocabulary is about 40 MB of CSV.
 */
export const CLI_MODEL_FILE_MAX_BYTES = 256 * 1024 * 1024;

/** Files whose changes the editor reports to the server, so the documents that read them are re-evaluated. */
export const MODEL_FILE_GLOB = '**/*.{csv,tsv,json}';

/**
 * Why a model file was not read; the language layer turns it into a diagnostic with this code on
 * the `from "…"` string:
 * - `file-not-found`: it does not exist or cannot be opened (permissions, I/O error);
 * - `file-refused`: it exists but is not read — it resolves (through a symbolic link) outside the
 *   confinement root, it is not a regular file (a FIFO, a device, a socket, a folder), it is larger
 *   than MODEL_FILE_MAX_BYTES, or the root itself is too broad (the file system root, or a folder
 *   containing the home folder);
 * - `invalid-encoding`: it is not valid UTF-8.
 */
export type ModelFileProblemCode = 'file-not-found' | 'file-refused' | 'invalid-encoding';

export type ModelFileRead =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly code: ModelFileProblemCode; readonly message: string };

/** A size in the units people read: "8 MiB", "512 KiB", "100 bytes". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / 1024 / 1024} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** The refusal for a file above the cap (same words from every host). */
export function tooLarge(maxBytes = MODEL_FILE_MAX_BYTES): ModelFileRead {
  return {
    ok: false,
    code: 'file-refused',
    message: `it is larger than ${formatBytes(maxBytes)}, the limit for model files`,
  };
}

/**
 * Decodes UTF-8 strictly: a byte sequence that is not UTF-8 is an error naming its byte offset and
 * line (1-based), never a U+FFFD that would make two different bad bytes the same token. A leading
 * byte order mark is dropped, as editors do.
 */
export function decodeUtf8Strict(bytes: Uint8Array): ModelFileRead {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    let line = 1;
    for (let i = 0; i < offset; i++) {
      const b = bytes[i];
      if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) line++;
    }
    const hex = bytes[offset]?.toString(16).toUpperCase().padStart(2, '0') ?? '??';
    return {
      ok: false,
      code: 'invalid-encoding',
      message: `it is not valid UTF-8: byte 0x${hex} at offset ${offset} (line ${line}) does not start a valid sequence; save it as UTF-8`,
    };
  }
}

/**
 * Offset of the first byte that does not begin a well-formed UTF-8 sequence (Unicode §3.9, table
 * 3-7: no overlongs, no surrogates, nothing above U+10FFFF), or `bytes.length` if there is none.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  const cont = (j: number, lo = 0x80, hi = 0xbf) => j < n && bytes[j] >= lo && bytes[j] <= hi;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) i++;
    else if (b >= 0xc2 && b <= 0xdf && cont(i + 1)) i += 2;
    else if (b === 0xe0 && cont(i + 1, 0xa0) && cont(i + 2)) i += 3;
    else if (((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) && cont(i + 1) && cont(i + 2)) i += 3;
    else if (b === 0xed && cont(i + 1, 0x80, 0x9f) && cont(i + 2)) i += 3;
    else if (b === 0xf0 && cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3)) i += 4;
    else if (b >= 0xf1 && b <= 0xf3 && cont(i + 1) && cont(i + 2) && cont(i + 3)) i += 4;
    else if (b === 0xf4 && cont(i + 1, 0x80, 0x8f) && cont(i + 2) && cont(i + 3)) i += 4;
    else return i;
  }
  return n;
}

/**
 * Whether a URI path (`/a/b`) lies inside a root path, lexically: the same path or below it,
 * never a sibling that merely shares a prefix (`/a/bc` is not inside `/a/b`).
 */
export function isInsidePath(root: string, path: string): boolean {
  const r = root.endsWith('/') ? root : `${root}/`;
  return path === root || path.startsWith(r);
}
