/**
 * The Align Lab language server, independent of how it is hosted: main.ts (node, stdio or IPC)
 * and browserMain.ts (web worker) create the connection and the Host, then call startServer.
 * Each feature lives in its own file under features/ and is listed once in `features` below.
 */
import {
  type Connection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  type InitializeParams,
  type InitializeResult,
  type ServerCapabilities,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import { MODEL_FILE_GLOB } from '../protocol/modelFiles.js';
import { GetResultsRequest, type ServerSettings, settingsSection } from '../protocol/protocol.js';
import { type ClientSupport, type Feature, type ServerContext, safe } from './context.js';
import { codeActions } from './features/codeActions.js';
import { codeLens } from './features/codeLens.js';
import { completion } from './features/completion.js';
import { definition } from './features/definition.js';
import { documentSymbols } from './features/documentSymbols.js';
import { folding } from './features/folding.js';
import { formatting } from './features/formatting.js';
import { hover } from './features/hover.js';
import { inlayHints } from './features/inlayHints.js';
import { previewParameter } from './features/previewParameter.js';
import { references } from './features/references.js';
import { rename } from './features/rename.js';
import { semanticTokens } from './features/semanticTokens.js';
import { setParameter } from './features/setParameter.js';
import { signatureHelp } from './features/signatureHelp.js';
import type { Host } from './host.js';
import { normaliseSettings } from './settings.js';
import { Workspace } from './workspace.js';

export const features: readonly Feature[] = [
  hover,
  inlayHints,
  codeLens,
  completion,
  signatureHelp,
  documentSymbols,
  folding,
  definition,
  references,
  rename,
  formatting,
  semanticTokens,
  codeActions,
  setParameter,
  previewParameter,
];

export const serverInfo = { name: 'align-lab-language-server', version: '0.1.0' };

export interface StartOptions {
  /** Called when `initialize` is answered (the transport's InitializeGate opens then). */
  readonly onInitialize?: () => void;
}

export function startServer(connection: Connection, host: Host, options: StartOptions = {}): ServerContext {
  const workspace = new Workspace();
  let settings: ServerSettings = normaliseSettings(undefined);
  let support: ClientSupport = {
    configuration: false,
    inlayHintRefresh: false,
    codeLensRefresh: false,
    markdownHover: true,
    snippets: false,
  };
  /** The client can register file watchers for us (else cached model files are checked by fingerprint). */
  let watchRegistration = false;
  let workspaceFolderEvents = false;
  const ctx: ServerContext = {
    connection,
    host,
    workspace,
    settings: () => settings,
    support: () => support,
    log: (message) => connection.console.log(message),
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    support = {
      configuration: caps.workspace?.configuration === true,
      inlayHintRefresh: caps.workspace?.inlayHint?.refreshSupport === true,
      codeLensRefresh: caps.workspace?.codeLens?.refreshSupport === true,
      markdownHover: caps.textDocument?.hover?.contentFormat?.includes('markdown') ?? true,
      snippets: caps.textDocument?.completion?.completionItem?.snippetSupport === true,
    };
    settings = normaliseSettings(params.initializationOptions);
    watchRegistration = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    workspaceFolderEvents = caps.workspace?.workspaceFolders === true;
    // Model files are confined to the workspace folder that contains the document.
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    workspace.files.folders.set(folders);
    let capabilities: ServerCapabilities = {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    };
    for (const f of features) if (f.capabilities) capabilities = { ...capabilities, ...f.capabilities(ctx) };
    options.onInitialize?.();
    return { capabilities, serverInfo };
  });

  connection.onInitialized(() => {
    // Edits to model files on disk re-evaluate the documents that read them: clients that can
    // (VS Code, Neovim, …) are asked to watch them; for the others the cache compares fingerprints.
    if (watchRegistration) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: MODEL_FILE_GLOB }] })
        .catch((e: unknown) => ctx.log(`could not register the model-file watcher: ${String(e)}`));
    }
    if (workspaceFolderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const f of e.removed) workspace.files.folders.remove(f.uri);
        for (const f of e.added) workspace.files.folders.add(f.uri);
        // The roots moved: what was read (or refused) under the old ones is read again.
        workspace.filesChanged(workspace.files.clear());
      });
    }
    if (support.configuration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: settingsSection });
      void pullSettings().then(() => workspace.runAll());
    }
  });

  /** Reads `alignLab.*` from the client; keeps the current settings if the client fails. */
  async function pullSettings(): Promise<void> {
    if (!support.configuration) return;
    try {
      const raw: unknown = await connection.workspace.getConfiguration({ section: settingsSection });
      settings = normaliseSettings(raw, settings);
    } catch (e) {
      ctx.log(`could not read the settings: ${String(e)}`);
    }
  }

  connection.onDidChangeConfiguration(async (change) => {
    if (support.configuration) await pullSettings();
    else {
      const raw = (change.settings as Record<string, unknown> | null)?.[settingsSection];
      settings = normaliseSettings(raw, settings);
    }
    workspace.runAll();
    if (support.inlayHintRefresh) void connection.languages.inlayHint.refresh();
    if (support.codeLensRefresh) void connection.sendRequest('workspace/codeLens/refresh');
  });

  connection.onDidChangeWatchedFiles((change) => {
    workspace.filesChanged(change.changes.map((c) => c.uri));
    if (support.inlayHintRefresh) void connection.languages.inlayHint.refresh();
  });

  connection.onRequest(
    GetResultsRequest,
    safe(ctx, 'getResults', null, async ({ uri, full }) => {
      const e = (await workspace.current(uri)) ?? workspace.latest(uri);
      return e ? await workspace.resultsOf(e, full === true) : null;
    }),
  );

  workspace.attach(ctx);
  for (const f of features) f.register(ctx);
  connection.listen();
  return ctx;
}
