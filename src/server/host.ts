/**
 * What differs between the node server and the web-worker server: how a model file
 * (`model m from "x.csv"`) is read. Everything else is shared feature code.
 */
export interface Host {
  /** `node` reads the disk; `browser` asks the client (alignLab/readFile). */
  readonly kind: 'node' | 'browser';
  /** Reads a file by absolute URI; rejects with a readable message when it cannot. */
  readFile(uri: string): Promise<string>;
}
