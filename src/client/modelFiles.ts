/**
 * How the extension answers the web-worker server's `alignLab/readFile`: it reads model files
 * through the editor's file system (workspace.fs), under the same rules as the node reader
 * (src/node/files.ts, src/protocol/modelFiles.ts), checked here again rather than trusted:
 *
 * - the file lies inside the requested root, and the root inside a workspace folder (or it is the
 *   folder of an open document, for a file opened without a workspace), never a file system root;
 * - no path segment below the root is a symbolic link: workspace.fs cannot say where a link leads,
 *   so it cannot be checked to stay inside the root;
 * - the file is a regular file (not a pipe or a device, which would never finish reading), no
 *   larger than MODEL_FILE_MAX_BYTES, checked before it is read;
 * - the bytes are strict UTF-8.
 *
 * Independent of `vscode` (the dependencies are passed in), so the rules can be unit tested.
 */
import { URI, Utils } from 'vscode-uri';
import {
  decodeUtf8Strict,
  formatBytes,
  isInsidePath,
  MODEL_FILE_MAX_BYTES,
  type ModelFileProblemCode,
} from '../protocol/modelFiles.js';
import type { ReadFileParams, ReadFileResult } from '../protocol/protocol.js';

/** vscode.FileType's bits. */
export const FILE_TYPE = { file: 1, directory: 2, symbolicLink: 64 } as const;

export interface ModelFileAccess {
  stat(uri: string): Promise<{ readonly type: number; readonly size: number }>;
  readFile(uri: string): Promise<Uint8Array>;
  /** Folders a model file may be read under: the workspace folder containing it, else open documents' folders. */
  allowedRoots(uri: string): readonly string[];
}

const refuse = (error: string, code: ModelFileProblemCode = 'file-refused'): ReadFileResult => ({
  error,
  code,
});

function inside(root: URI, uri: URI): boolean {
  return root.scheme === uri.scheme && root.authority === uri.authority && isInsidePath(root.path, uri.path);
}

function statProblem(e: unknown): ReadFileResult {
  const code = (e as { code?: string } | undefined)?.code;
  if (code === 'NoPermissions') return refuse('permission denied', 'file-not-found');
  if (code === 'FileNotFound' || code === 'FileNotADirectory' || code === 'EntryNotFound')
    return refuse('no such file', 'file-not-found');
  return refuse(
    `it cannot be read (${code ?? (e instanceof Error ? e.message : String(e))})`,
    'file-not-found',
  );
}

export async function readModelFileForServer(
  params: ReadFileParams,
  access: ModelFileAccess,
  maxBytes = MODEL_FILE_MAX_BYTES,
): Promise<ReadFileResult> {
  const file = URI.parse(params.uri);
  const allowed = access
    .allowedRoots(params.uri)
    .map((r) => URI.parse(r))
    .filter((r) => r.path !== '/' && r.path !== '');
  const requested = params.root ? URI.parse(params.root) : undefined;
  const root =
    requested && allowed.some((a) => inside(a, requested)) ? requested : allowed.find((a) => inside(a, file));
  if (!root || root.path === '/' || !inside(root, file))
    return refuse('it is outside the workspace folder (and the folders of open documents)');
  // Walk from the root down: a symbolic link anywhere below it is refused, since where it leads
  // cannot be checked here.
  const base = root.path.endsWith('/') ? root.path : `${root.path}/`;
  const segments = file.path.slice(base.length).split('/').filter(Boolean);
  if (segments.length === 0) return refuse('it is a folder, not a file');
  let at = root;
  let info: { readonly type: number; readonly size: number } | undefined;
  for (let i = 0; i < segments.length; i++) {
    at = Utils.joinPath(at, segments[i]);
    try {
      info = await access.stat(at.toString());
    } catch (e) {
      return statProblem(e);
    }
    const shown = segments.slice(0, i + 1).join('/');
    if (info.type & FILE_TYPE.symbolicLink)
      return refuse(
        `'${shown}' is a symbolic link, which is not followed when model files are read through the editor`,
      );
    if (i < segments.length - 1 && !(info.type & FILE_TYPE.directory))
      return refuse('no such file', 'file-not-found');
  }
  if (!info) return refuse('no such file', 'file-not-found');
  if (info.type & FILE_TYPE.directory) return refuse('it is a folder, not a file');
  if (!(info.type & FILE_TYPE.file)) return refuse('it is not a regular file (a pipe, a device or a socket)');
  const tooLarge = `it is larger than ${formatBytes(maxBytes)}, the limit for model files`;
  if (info.size > maxBytes) return refuse(tooLarge);
  let bytes: Uint8Array;
  try {
    bytes = await access.readFile(file.toString());
  } catch (e) {
    return statProblem(e);
  }
  if (bytes.length > maxBytes) return refuse(tooLarge);
  const decoded = decodeUtf8Strict(bytes);
  return decoded.ok ? { text: decoded.text } : refuse(decoded.message, decoded.code);
}
