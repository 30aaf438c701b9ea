/**
 * Starts the language's pipeline (parse → check → evaluate) for one document, bridging its
 * synchronous `readFile(path)` hook to the host's asynchronous file access: a first pass (parse
 * and check only) notes the model files it needs that are not cached yet; if there are any, they
 * are read (from disk, or from the client in the browser) and the pass is repeated. Evaluation
 * then proceeds in steps driven by the workspace, which answers other requests in between.
 */
import { URI, Utils } from 'vscode-uri';
import { type AnalysisCache, type AnalysisRun, startAnalysis } from '../language/analyze.js';
import { type ParseResult, parse } from '../language/syntax/parser.js';
import type { ServerSettings } from '../protocol/protocol.js';
import type { Host } from './host.js';

export function parseText(text: string): ParseResult {
  return parse(text);
}

type Entry = { readonly text: string } | { readonly error: string };

/** Model files read so far, by absolute URI (forgotten when the file changes on disk). */
export class FileCache {
  private readonly entries = new Map<string, Entry>();
  get(uri: string): Entry | undefined {
    return this.entries.get(uri);
  }
  set(uri: string, entry: Entry): void {
    this.entries.set(uri, entry);
  }
  forget(uri: string): void {
    this.entries.delete(uri);
  }
}

/** Longest document the server analyses (UTF-16 code units; ≈ 4 MB of text): see MAX_TEXT_LENGTH. */
export const MAX_TEXT_LENGTH = 4 * 2 ** 20;

/** An analysis in progress (see AnalysisRun) and the model files it reads. */
export interface EngineRun {
  readonly run: AnalysisRun;
  /** Absolute URIs of the model files the document reads. */
  readonly files: string[];
}

/** Schemes whose documents have a folder to resolve `from "x.csv"` against. */
const FOLDER_SCHEMES = new Set(['file', 'vscode-vfs', 'vscode-remote', 'vscode-test-web', 'memfs']);

/**
 * Parses and checks the document (reading the model files it names first, if they are not
 * cached), and returns the analysis ready to evaluate in steps. Without model files to read —
 * the common case — this is synchronous.
 */
export function startEngine(
  uri: string,
  text: string,
  settings: ServerSettings,
  files: FileCache,
  host: Host,
  cache: AnalysisCache,
  cancelled: () => boolean,
): EngineRun | Promise<EngineRun> {
  const doc = URI.parse(uri);
  const folder = FOLDER_SCHEMES.has(doc.scheme) ? Utils.dirname(doc) : undefined;
  const limits = {
    maxExactSupport: settings.maxExactSize,
    queryTimeMs: settings.queryTimeLimitMs,
    // Every query's own limit, and then some: a document is never evaluated for minutes.
    documentTimeMs: Math.max(20_000, 4 * settings.queryTimeLimitMs),
  };
  const pass = (): { engine: EngineRun; missing: string[] } => {
    const used: string[] = [];
    const missing: string[] = [];
    const readFile = folder
      ? (path: string): string | undefined => {
          const fileUri = Utils.joinPath(folder, path).toString();
          used.push(fileUri);
          const entry = files.get(fileUri);
          if (!entry) missing.push(fileUri);
          return entry && 'text' in entry ? entry.text : undefined;
        }
      : undefined;
    // Parsing and checking happen here; queries are evaluated only when the run is stepped.
    const run = startAnalysis(text, {
      file: uri,
      readFile,
      limits,
      cache,
      cancelled,
      maxTextLength: MAX_TEXT_LENGTH,
    });
    return { engine: { run, files: used }, missing };
  };
  const first = pass();
  if (first.missing.length === 0) return first.engine;
  return Promise.all(
    first.missing.map((fileUri) =>
      host.readFile(fileUri).then(
        (content) => files.set(fileUri, { text: content }),
        (e: unknown) => files.set(fileUri, { error: e instanceof Error ? e.message : String(e) }),
      ),
    ),
  ).then(() => pass().engine);
}
