/**
 * Node entry point (dist/server.js). The transport comes from the command line, as for any
 * vscode-languageserver server: `--stdio` (Neovim, Helix, Emacs, the tests), `--node-ipc` (VS
 * Code) or `--socket=<port>`. `--version` prints the version and exits.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
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

const host: Host = {
  kind: 'node',
  async readFile(uri) {
    if (!uri.startsWith('file:'))
      throw new Error(`cannot read ${uri}: only file: URIs are readable by the node server`);
    return readFile(fileURLToPath(uri), 'utf8');
  },
};

const connection = createConnection(ProposedFeatures.all);
// A bug must never take the server down mid-session: log it and keep serving.
process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${String(e)}`));
startServer(connection, host);
