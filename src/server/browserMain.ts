/**
 * Web-worker entry point (dist/server-browser.js) for vscode.dev and code-server's web
 * extension host. Same features as the node server; model files are read by asking the client
 * (alignLab/readFile), which reads them through the editor's file system.
 */
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
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
  async readFile(uri) {
    const answer = await connection.sendRequest(ReadFileRequest, { uri });
    if ('error' in answer) throw new Error(answer.error);
    return answer.text;
  },
};

startServer(connection, host, { onInitialize: () => gate.opened() });
