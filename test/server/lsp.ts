/**
 * A real LSP client for the tests and the benchmark: spawns `node dist/server.js --stdio`
 * (rebuilding the bundle first when a source file is newer) and speaks JSON-RPC over the child's
 * stdio with vscode-languageserver-protocol, exactly as an editor would.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  type InitializeResult,
  type MarkupKind,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { ResultsNotification, type ResultsParams, serverNodeArgs } from '../../src/protocol/protocol.js';

export const root = resolve(import.meta.dirname, '../..');
export const serverBundle = join(root, 'dist/server.js');

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

let built: Promise<void> | undefined;
/** Rebuilds dist/server.js (same options as scripts/build.mjs) when it is older than its sources. */
export function ensureServerBuilt(): Promise<void> {
  built ??= (async () => {
    const sources = Math.max(
      ...['src/server', 'src/language', 'src/core', 'src/protocol', 'src/presentation', 'src/node'].map((d) =>
        newest(join(root, d)),
      ),
    );
    let bundle = 0;
    try {
      bundle = statSync(serverBundle).mtimeMs;
    } catch {}
    if (bundle >= sources) return;
    await build({
      entryPoints: [join(root, 'src/server/main.ts')],
      outfile: serverBundle,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      sourcemap: true,
      minify: true,
      logLevel: 'warning',
      legalComments: 'none',
    });
  })();
  return built;
}

export const uriOf = (name: string) => pathToFileURL(join(root, name)).toString();

export interface Waiter<T> {
  test(value: T): boolean;
  resolve(value: T): void;
}

/** Resolves the waiters `value` satisfies and returns the others. */
function settle<T>(waiters: Waiter<T>[], value: T): Waiter<T>[] {
  return waiters.filter((w) => {
    if (!w.test(value)) return true;
    w.resolve(value);
    return false;
  });
}

export class LspClient {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly results = new Map<string, ResultsParams>();
  readonly logs: string[] = [];
  /** Capabilities the server registered dynamically (client/registerCapability). */
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  private readonly versions = new Map<string, number>();
  private diagWaiters: Waiter<PublishDiagnosticsParams>[] = [];
  private resultWaiters: Waiter<ResultsParams>[] = [];
  /** Every results notification (uri, version), in order. */
  readonly resultLog: { uri: string; version: number }[] = [];

  /** The versions of every results notification for `uri`, in order. */
  resultVersions(uri: string): number[] {
    return this.resultLog.filter((r) => r.uri === uri).map((r) => r.version);
  }

  /** Every diagnostics notification, in order (for staleness checks). */
  readonly published: PublishDiagnosticsParams[] = [];
  initializeResult!: InitializeResult;
  exited: Promise<number | null>;

  constructor(
    readonly child: ChildProcess,
    readonly conn: ProtocolConnection,
  ) {
    this.exited = new Promise((res) => child.once('exit', (code) => res(code)));
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.push(p);
      this.diagnostics.set(p.uri, p);
      this.diagWaiters = settle(this.diagWaiters, p);
    });
    conn.onNotification(ResultsNotification, (p) => {
      this.results.set(p.uri, p);
      this.resultLog.push({ uri: p.uri, version: p.version });
      this.resultWaiters = settle(this.resultWaiters, p);
    });
    conn.onNotification('window/logMessage', (p: { message: string }) => this.logs.push(p.message));
    // The server asks for configuration when the client says it supports it; answer with settings.
    conn.onRequest('workspace/configuration', () => [this.settings]);
    conn.onRequest('client/registerCapability', (p: { registrations: LspClient['registrations'] }) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    conn.onRequest('workspace/inlayHint/refresh', () => null);
    conn.onRequest('workspace/codeLens/refresh', () => null);
  }

  settings: Record<string, unknown> = {};

  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  /** Resolves with the first diagnostics for `uri` at `version` (or later), published from now on or already. */
  waitForDiagnostics(uri: string, version?: number, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
    const test = (p: PublishDiagnosticsParams) =>
      p.uri === uri && (version === undefined || (p.version ?? -1) >= version);
    const have = this.diagnostics.get(uri);
    if (have && version !== undefined && test(have)) return Promise.resolve(have);
    return new Promise((res, rej) => {
      const timer = setTimeout(
        () => rej(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.diagWaiters.push({
        test,
        resolve: (p) => {
          clearTimeout(timer);
          res(p);
        },
      });
    });
  }

  waitForResults(uri: string, version: number, timeoutMs = 10_000): Promise<ResultsParams> {
    const have = this.results.get(uri);
    if (have && have.version >= version) return Promise.resolve(have);
    return new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no results for ${uri} v${version}`)), timeoutMs);
      this.resultWaiters.push({
        test: (p) => p.uri === uri && p.version >= version,
        resolve: (p) => {
          clearTimeout(timer);
          res(p);
        },
      });
    });
  }

  open(uri: string, text: string): Promise<PublishDiagnosticsParams> {
    this.versions.set(uri, 1);
    const waiting = this.waitForDiagnostics(uri, 1);
    void this.conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'align', version: 1, text },
    });
    return waiting;
  }

  /** Sends one didChange (full text, or incremental edits) and returns the new version. */
  change(uri: string, changes: string | TextDocumentContentChangeEvent[]): number {
    const version = this.version(uri) + 1;
    this.versions.set(uri, version);
    const contentChanges = typeof changes === 'string' ? [{ text: changes }] : changes;
    void this.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges,
    });
    return version;
  }

  close(uri: string): void {
    void this.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async shutdown(): Promise<number | null> {
    await this.conn.sendRequest(ShutdownRequest.type);
    void this.conn.sendNotification(ExitNotification.type);
    const code = await Promise.race([
      this.exited,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000)),
    ]);
    if (code === 'timeout') {
      this.child.kill();
      throw new Error('the server did not exit after shutdown/exit');
    }
    this.conn.dispose();
    return code;
  }
}

export interface StartOptions {
  initializationOptions?: Record<string, unknown>;
  /** Hover formats the client accepts (default: Markdown and plain text). */
  hoverFormats?: string[];
  /** Advertise workspace/configuration support and answer it with `settings`. */
  settings?: Record<string, unknown>;
  snippets?: boolean;
  /** Arguments for the server's node; default: the flags the extension uses (serverNodeArgs). */
  nodeArgs?: string[];
  /** `initialize`'s rootUri (default: the repository) and workspaceFolders (default: null). */
  rootUri?: string | null;
  workspaceFolders?: { uri: string; name: string }[] | null;
  /** Advertise dynamic registration of workspace/didChangeWatchedFiles (default: no). */
  watchFiles?: boolean;
  /** Environment of the server process (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

export async function startClient(options: StartOptions = {}): Promise<LspClient> {
  await ensureServerBuilt();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? serverNodeArgs), serverBundle, '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: options.env ?? process.env,
  });
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[server stderr] ${d}`));
  const conn = createProtocolConnection(
    new StreamMessageReader(child.stdout!),
    new StreamMessageWriter(child.stdin!),
  );
  const client = new LspClient(child, conn);
  if (options.settings) client.settings = options.settings;
  conn.listen();
  client.initializeResult = await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: options.rootUri === undefined ? pathToFileURL(root).toString() : options.rootUri,
    capabilities: {
      workspace: {
        configuration: options.settings !== undefined,
        inlayHint: { refreshSupport: true },
        workspaceFolders: true,
        didChangeWatchedFiles: { dynamicRegistration: options.watchFiles === true },
      },
      textDocument: {
        hover: { contentFormat: (options.hoverFormats ?? ['markdown', 'plaintext']) as MarkupKind[] },
        completion: { completionItem: { snippetSupport: options.snippets ?? true } },
        publishDiagnostics: { versionSupport: true },
      },
    },
    initializationOptions: options.initializationOptions ?? { debounceMs: 0 },
    workspaceFolders: options.workspaceFolders ?? null,
  });
  void conn.sendNotification(InitializedNotification.type, {});
  return client;
}
