// The web-worker build (dist/server-browser.js) runs the same features; model files are read by
// asking the client (alignLab/readFile). Here a node worker thread stands in for the web worker:
// its `self` is a MessagePort, which has the same onmessage/postMessage surface as a worker scope.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MessageChannel, Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import {
  BrowserMessageReader,
  BrowserMessageWriter,
  createProtocolConnection,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/browser';
import { formatNumber as fmt } from '../../src/presentation/format.js';
import { ReadFileRequest } from '../../src/protocol/protocol.js';
import { root } from './lsp.js';

const bootstrap = `
const { workerData } = require('node:worker_threads');
globalThis.self = workerData.port;
require(workerData.bundle);
`;

describe('web-worker server', () => {
  let worker: Worker;
  let conn: ProtocolConnection;
  const diagnostics: PublishDiagnosticsParams[] = [];
  const reads: string[] = [];
  const roots: (string | undefined)[] = [];
  before(async () => {
    // Built here (unminified, to a temp name) so the test does not depend on a stale dist/.
    const bundle = join(mkdtempSync(join(tmpdir(), 'align-web-')), 'server-browser.js');
    await build({
      entryPoints: [join(root, 'src/server/browserMain.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      logLevel: 'warning',
    });
    const { port1, port2 } = new MessageChannel();
    worker = new Worker(bootstrap, {
      eval: true,
      workerData: { port: port2, bundle },
      transferList: [port2],
    });
    type Port = ConstructorParameters<typeof BrowserMessageReader>[0];
    conn = createProtocolConnection(
      new BrowserMessageReader(port1 as unknown as Port),
      new BrowserMessageWriter(port1 as unknown as Port),
    );
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) =>
      diagnostics.push(p),
    );
    conn.onRequest(ReadFileRequest, ({ uri, root }) => {
      reads.push(uri);
      roots.push(root);
      if (uri.endsWith('/lab/tokens.csv')) return { text: 'token,p,reward\na,0.5,0\nb,0.5,1\n' };
      if (uri.endsWith('/pipe.csv'))
        return {
          error: 'it is not a regular file (a pipe, a device or a socket)',
          code: 'file-refused' as const,
        };
      return { error: 'not found' };
    });
    conn.listen();
    await conn.sendRequest('initialize', {
      processId: null,
      rootUri: null,
      capabilities: {},
      initializationOptions: { debounceMs: 0 },
    });
    await conn.sendNotification('initialized', {});
  });
  after(async () => {
    conn.dispose();
    await worker.terminate();
  });

  const waitFor = async (uri: string, version: number) => {
    for (let i = 0; i < 500; i++) {
      const d = diagnostics.find((p) => p.uri === uri && p.version === version);
      if (d) return d;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no diagnostics for ${uri} v${version}`);
  };

  it('reads model files through the client and evaluates them', async () => {
    const uri = 'vscode-vfs://github/user/repo/lab/doc.align';
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: {
        uri,
        languageId: 'align',
        version: 1,
        text: 'model m from "tokens.csv" {\n  length 4\n}\ntilt(m, lambda = 1)\n',
      },
    });
    const d = await waitFor(uri, 1);
    assert.deepEqual(reads, ['vscode-vfs://github/user/repo/lab/tokens.csv']);
    // No workspace folder: confined to the document's folder, which the client checks again.
    assert.deepEqual(roots, ['vscode-vfs://github/user/repo/lab']);
    assert.deepEqual(d.diagnostics, []);
    const hover = (await conn.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 3, character: 1 },
    })) as { contents: { value: string } };
    // φ_1 = (e⁰, e¹)/(1 + e) → E r = e/(1 + e) per token, × 4 tokens.
    assert.ok(
      hover.contents.value.includes(
        `| E\\[R\\] under φ\\_λ | ${fmt((4 * Math.E) / (1 + Math.E), 5)} | reward |`,
      ),
      hover.contents.value,
    );
  });

  it('reports a model file the client cannot read', async () => {
    const uri = 'vscode-vfs://github/user/repo/lab/missing.align';
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: {
        uri,
        languageId: 'align',
        version: 1,
        text: 'model m from "nope.csv"\ntilt(m, lambda = 1)\n',
      },
    });
    const d = await waitFor(uri, 1);
    assert.ok(
      d.diagnostics.some((x) => x.code === 'file-not-found'),
      JSON.stringify(d.diagnostics),
    );
  });

  it("passes on the client's reason for refusing a file", async () => {
    const uri = 'vscode-vfs://github/user/repo/lab/pipe.align';
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'align', version: 1, text: 'model m from "pipe.csv"\n' },
    });
    const d = await waitFor(uri, 1);
    assert.deepEqual(
      d.diagnostics.map((x) => [x.code, x.message]),
      [['file-refused', "cannot read 'pipe.csv': it is not a regular file (a pipe, a device or a socket)"]],
    );
  });

  it('a document at the root of its file system reads nothing, and the client is not asked', async () => {
    const uri = 'memfs:/root.align';
    const before = reads.length;
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'align', version: 1, text: 'model m from "etc/hostname"\n' },
    });
    const d = await waitFor(uri, 1);
    assert.deepEqual(
      d.diagnostics.map((x) => x.code),
      ['file-refused'],
    );
    assert.match(d.diagnostics[0].message, /root of its file system/);
    assert.equal(reads.length, before);
  });

  it('closing the last document that reads a file drops it: opened again, it is read again', async () => {
    const uri = 'vscode-vfs://github/user/repo/lab/again.align';
    const text = 'model m from "tokens.csv" {\n  length 4\n}\ntilt(m, lambda = 1)\n';
    const count = () => reads.filter((r) => r.endsWith('/lab/tokens.csv')).length;
    // doc.align (the first test) still has it open: the file is cached.
    const first = count();
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'align', version: 1, text },
    });
    await waitFor(uri, 1);
    assert.equal(count(), first, 'shared with doc.align');
    for (const closed of [uri, 'vscode-vfs://github/user/repo/lab/doc.align'])
      await conn.sendNotification('textDocument/didClose', { textDocument: { uri: closed } });
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'align', version: 2, text },
    });
    await waitFor(uri, 2);
    assert.equal(count(), first + 1, 'read again after the last user closed');
  });
});
