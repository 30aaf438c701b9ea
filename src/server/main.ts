/**
 * Node entry point (dist/server.js). The transport comes from the command line, as for any
 * vscode-languageserver server: `--stdio` (Neovim, Helix, Emacs, the tests), `--node-ipc` (VS
 * Code) or `--socket=<port>`. `--version` prints the version and exits.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createConnection,
  IPCMessageReader,
  IPCMessageWriter,
  type MessageReader,
  type MessageWriter,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver/node';
import { fileStamp, modelFileReader } from '../node/files.js';
import { FramingCheck } from './framing.js';
import { InitializeGate } from './gate.js';
import type { Host } from './host.js';
import { serverInfo, startServer } from './server.js';

if (process.argv.includes('--version')) {
  process.stdout.write(`${serverInfo.name} ${serverInfo.version}\n`);
  process.exit(0);
}
if (
  !process.argv.some(
    (a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'),
  )
) {
  process.stderr.write(
    `${serverInfo.name} ${serverInfo.version}: speaks the Language Server Protocol.\n` +
      'usage: node dist/server.js --stdio   (or --node-ipc, --socket=<port>, --pipe=<name>)\n',
  );
  process.exit(2);
}

// Model files are read with the CLI's confinement rules (src/node/files.ts), relative to the
// workspace folder that contains the document, else to the document's folder.
const host: Host = {
  kind: 'node',
  async readModelFile({ document, path, roots }) {
    if (!document.startsWith('file:'))
      return {
        ok: false,
        code: 'file-not-found',
        message: 'only files on disk are readable by the node server',
      };
    const folder = dirname(fileURLToPath(document));
    const candidates = roots
      .filter((r) => r.startsWith('file:'))
      .map((r) => resolve(fileURLToPath(r)))
      .map((p) => ({ path: p, label: p === folder ? "the document's folder" : 'the workspace folder' }));
    return modelFileReader(folder, candidates)(path);
  },
  stamp(uri) {
    return uri.startsWith('file:') ? fileStamp(fileURLToPath(uri)) : undefined;
  },
};

/**
 * The transport, built here rather than by createConnection so that the initialize gate (and,
 * on stdio, the framing check) sit between it and the connection. Sockets and pipes are left to
 * createConnection's own argument handling.
 */
function transport(): { reader: MessageReader; writer: MessageWriter } | undefined {
  if (process.argv.includes('--stdio')) {
    const framed = process.stdin.pipe(
      new FramingCheck((message) => {
        process.stderr.write(`${serverInfo.name}: ${message}; exiting (the editor restarts the server)\n`);
        process.exit(1);
      }),
    );
    return { reader: new StreamMessageReader(framed), writer: new StreamMessageWriter(process.stdout) };
  }
  if (process.argv.includes('--node-ipc'))
    return { reader: new IPCMessageReader(process), writer: new IPCMessageWriter(process) };
  return undefined;
}

const streams = transport();
const gate = streams ? new InitializeGate(streams.reader, streams.writer) : undefined;
const connection =
  streams && gate
    ? createConnection(ProposedFeatures.all, gate, streams.writer)
    : createConnection(ProposedFeatures.all);
// A bug must never take the server down mid-session: log it and keep serving.
process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${String(e)}`));
startServer(connection, host, { onInitialize: () => gate?.opened() });
