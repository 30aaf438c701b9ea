/**
 * What differs between the node server and the web-worker server: how a model file
 * (`model m from "x.csv"`) is read. Everything else is shared feature code.
 */
import type { ModelFileRead } from '../protocol/modelFiles.js';

export interface ModelFileRequest {
  /** The `.align` document's URI. */
  readonly document: string;
  /** The model file's path as the language confined it: relative to the document's folder, `/`-separated. */
  readonly path: string;
  /** The absolute URI the path names (the cache key). */
  readonly uri: string;
  /**
   * Folders the file may be read from, best first: the workspace folder that contains the
   * document, then the document's own folder. The host uses the first one that is not too broad.
   */
  readonly roots: readonly string[];
}

export interface Host {
  /** `node` reads the disk; `browser` asks the client (alignLab/readFile). */
  readonly kind: 'node' | 'browser';
  /** Reads a model file under the confinement rules (src/node/files.ts, src/protocol/modelFiles.ts). */
  readModelFile(request: ModelFileRequest): Promise<ModelFileRead>;
  /**
   * A fingerprint of the file behind a URI (size, modification time, …), cheap and synchronous,
   * or undefined where the host cannot tell (the browser: there the editor reports changes). A
   * cached model file whose fingerprint changed is read again.
   */
  stamp?(uri: string): string | undefined;
}
