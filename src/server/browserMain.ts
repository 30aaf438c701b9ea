/**
 * Web-worker entry point (dist/server-browser.js) for vscode.dev and code-server's web
 * extension host. Same features as the node server; model files are read by asking the client
 * (alignLab/readFile), which reads them through the editor's file system.
 */
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import { URI } from 'vscode-uri';
import { isInsidePath, MODEL_FILE_MAX_BYTES, tooLarge } from '../protocol/modelFiles.js';
import { ReadFileRequest } from '../protocol/protocol.js';
import { InitializeGate } from './gate.js';
import type { Host } from './host.js';
import { startServer } from './server.js';

// `self` is the worker's global scope; declared here because the project compiles without the DOM lib.
declare const self: ConstructorParameters<typeof BrowserMessageReader>[0];

const writer = new BrowserMessageWriter(self);
const gate = new InitializeGate(new BrowserMessageReader(self), writer);
const connection = createConnection(gate, writer);

const host: Host = {
  kind: 'browser',
  async readModelFile({ uri, roots }) {
    // The browser cannot resolve symbolic links; the client refuses them (see ReadFileParams).
    // Here: the first root that is not the root of its file system, and the file inside it.
    const file = URI.parse(uri);
    const root = roots.map((r) => URI.parse(r)).find((r) => r.path !== '/' && r.path !== '');
    if (!root)
      return {
        ok: false,
        code: 'file-refused',
        message:
          "model files are not read when the document's folder is the root of its file system: every file would be readable; open a project folder",
      };
    if (
      root.scheme !== file.scheme ||
      root.authority !== file.authority ||
      !isInsidePath(root.path, file.path)
    )
      return { ok: false, code: 'file-refused', message: 'it is outside the workspace folder' };
    const answer = await connection.sendRequest(ReadFileRequest, { uri, root: root.toString() });
    if ('error' in answer) return { ok: false, code: answer.code ?? 'file-not-found', message: answer.error };
    if (answer.text.length > MODEL_FILE_MAX_BYTES) return tooLarge();
    return { ok: true, text: answer.text };
  },
};

startServer(connection, host, { onInitialize: () => gate.opened() });
