/**
 * The server's model files (`model m from "x.csv"`): which folder each document may read from,
 * and the cache of what was read.
 *
 * Roots: a document's model files are confined to the workspace folder that contains it (the
 * innermost, from `initialize` and `workspace/didChangeWorkspaceFolders`), else to its own folder;
 * the host refuses a root that is too broad (the file system root, a folder containing the home
 * folder) and falls back to the next candidate.
 *
 * Cache: by file URI, with the documents that use each file. A file is read again when the editor
 * reports a change (`workspace/didChangeWatchedFiles`), when its fingerprint (size, modification
 * time, inode — node host) differs from when it was read, and after the last document that used it
 * is closed (it is dropped then).
 */
import { URI } from 'vscode-uri';
import type { ModelFileRead } from '../protocol/modelFiles.js';
import type { Host, ModelFileRequest } from './host.js';

function sameRootPath(root: URI, doc: URI): boolean {
  if (root.scheme !== doc.scheme || root.authority !== doc.authority) return false;
  const r = root.path.endsWith('/') ? root.path : `${root.path}/`;
  return doc.path.startsWith(r);
}

/** The editor's workspace folders, as URIs. */
export class WorkspaceFolders {
  private folders: URI[] = [];

  set(uris: readonly string[]): void {
    this.folders = [];
    for (const u of uris) this.add(u);
  }

  add(uri: string): void {
    const parsed = URI.parse(uri);
    if (!this.folders.some((f) => f.toString() === parsed.toString())) this.folders.push(parsed);
  }

  remove(uri: string): void {
    const gone = URI.parse(uri).toString();
    this.folders = this.folders.filter((f) => f.toString() !== gone);
  }

  /** Candidate roots for a document, best first: the innermost workspace folder that contains it. */
  rootsFor(docFolder: URI, doc: URI): string[] {
    const containing = this.folders
      .filter((f) => sameRootPath(f, doc))
      .sort((a, b) => b.path.length - a.path.length);
    const roots = containing.map((f) => f.toString());
    const own = docFolder.toString();
    if (!roots.includes(own)) roots.push(own);
    return roots;
  }
}

interface Entry {
  readonly read: ModelFileRead;
  /** The host's fingerprint of the file when it was read (undefined: the host cannot tell). */
  readonly stamp: string | undefined;
  /** Open documents that read this file. */
  readonly users: Set<string>;
}

export class ModelFiles {
  readonly folders = new WorkspaceFolders();
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<void>>();

  /**
   * The cached read of `uri` for `document`, or undefined when it must be read (never read, or
   * changed on disk since: `checkStamp`).
   */
  lookup(document: string, uri: string, host: Host, checkStamp: boolean): ModelFileRead | undefined {
    const entry = this.entries.get(uri);
    if (!entry) return undefined;
    if (checkStamp && entry.stamp !== undefined && host.stamp?.(uri) !== entry.stamp) {
      this.entries.delete(uri);
      return undefined;
    }
    entry.users.add(document);
    return entry.read;
  }

  /** Reads the files (in parallel, once each even when several documents ask). */
  load(requests: readonly ModelFileRequest[], host: Host): Promise<void> {
    return Promise.all(
      requests.map((request) => {
        const running = this.inflight.get(request.uri);
        if (running) return running;
        const stamp = host.stamp?.(request.uri);
        const done = host
          .readModelFile(request)
          .catch(
            (e: unknown): ModelFileRead => ({
              ok: false,
              code: 'file-not-found',
              message: `it cannot be read (${e instanceof Error ? e.message : String(e)})`,
            }),
          )
          .then((read) => {
            const users = this.entries.get(request.uri)?.users ?? new Set<string>();
            users.add(request.document);
            this.entries.set(request.uri, { read, stamp, users });
          })
          .finally(() => this.inflight.delete(request.uri));
        this.inflight.set(request.uri, done);
        return done;
      }),
    ).then(() => undefined);
  }

  /** After an evaluation of `document`: it uses exactly `files`; files nobody uses are dropped. */
  retain(document: string, files: readonly string[]): void {
    const keep = new Set(files);
    for (const [uri, entry] of this.entries) {
      if (keep.has(uri)) entry.users.add(document);
      else entry.users.delete(document);
      if (entry.users.size === 0) this.entries.delete(uri);
    }
  }

  /** A document was closed: it uses nothing any more. */
  release(document: string): void {
    this.retain(document, []);
  }

  /**
   * Files reported changed: forgets them, and any cached file whose fingerprint moved (a change to
   * a symbolic link's target is reported under the target's name). Returns every URI forgotten.
   */
  changed(uris: readonly string[], host: Host): string[] {
    const out = new Set(uris);
    for (const [uri, entry] of this.entries) {
      if (entry.stamp !== undefined && host.stamp?.(uri) !== entry.stamp) out.add(uri);
    }
    for (const uri of out) this.entries.delete(uri);
    return [...out];
  }

  /** Forgets everything (the workspace folders changed, so the roots did); returns what was cached. */
  clear(): string[] {
    const all = [...this.entries.keys()];
    this.entries.clear();
    return all;
  }

  /** Cached file URIs (for tests and logs). */
  cached(): string[] {
    return [...this.entries.keys()];
  }
}
