/**
 * Starts the language's pipeline (parse → check → evaluate) for one document, bridging its
 * synchronous `readFile(path)` hook to the host's asynchronous file access: a first pass (parse
 * and check only) notes the model files it needs that are not cached yet (or changed on disk);
 * if there are any, they are read (from disk, or from the client in the browser; see
 * modelFiles.ts for the cache and src/node/files.ts for the confinement rules) and the pass is
 * repeated. Evaluation then proceeds in steps driven by the workspace, which answers other
 * requests in between. Without model files — the common case — the start is synchronous.
 */
import { URI, Utils } from 'vscode-uri';
import { type AnalysisCache, type AnalysisRun, startAnalysis } from '../language/analyze.js';
import { type ParseResult, parse } from '../language/syntax/parser.js';
import type { ServerSettings } from '../protocol/protocol.js';
import type { Host, ModelFileRequest } from './host.js';
import type { ModelFiles } from './modelFiles.js';

export function parseText(text: string): ParseResult {
  return parse(text);
}

/**
 * Longest document the server analyses, in UTF-16 code units (≈ 4 MB of text). Under the heap
 * the extension gives the server (128 MB) a 10 MB document already takes most of it to parse;
 * large models belong in CSV or JSON files.
 */
export const MAX_TEXT_LENGTH = 4 * 2 ** 20;

/** Tokens a tilt lists in the results notification (the full table is a request away). */
export const SUMMARY_TOKENS = 100;

/** An analysis in progress (see AnalysisRun) and the model files it reads. */
export interface EngineRun {
  readonly run: AnalysisRun;
  /** Absolute URIs of the model files the document reads. */
  readonly files: string[];
}

/** Schemes whose documents have a folder to resolve `from "x.csv"` against. */
const FOLDER_SCHEMES = new Set(['file', 'vscode-vfs', 'vscode-remote', 'vscode-test-web', 'memfs']);

export function startEngine(
  uri: string,
  text: string,
  settings: ServerSettings,
  files: ModelFiles,
  host: Host,
  cache: AnalysisCache,
  cancelled: () => boolean,
  /** Every token in per-token tables (a request for the full results), not a summary. */
  fullTables = false,
): EngineRun | Promise<EngineRun> {
  const doc = URI.parse(uri);
  const folder = FOLDER_SCHEMES.has(doc.scheme) ? Utils.dirname(doc) : undefined;
  const limits = {
    maxExactSupport: settings.maxExactSize,
    queryTimeMs: settings.queryTimeLimitMs,
    // Every query's own limit, and then some: a document is never evaluated for minutes.
    documentTimeMs: Math.max(20_000, 4 * settings.queryTimeLimitMs),
    // Results go to the client on every keystroke: large vocabularies are summarised.
    ...(fullTables ? {} : { maxTokenTable: SUMMARY_TOKENS }),
  };
  const roots = folder ? files.folders.rootsFor(folder, doc) : [];
  // The first pass sees a file changed on disk (its fingerprint moved) as missing; the second
  // takes what was just read.
  const pass = (checkStamp: boolean): { engine: EngineRun; missing: ModelFileRequest[] } => {
    const used: string[] = [];
    const missing: ModelFileRequest[] = [];
    const readFile = folder
      ? (path: string) => {
          const fileUri = Utils.joinPath(folder, path).toString();
          used.push(fileUri);
          const read = files.lookup(uri, fileUri, host, checkStamp);
          if (!read) {
            missing.push({ document: uri, path, uri: fileUri, roots });
            return undefined;
          }
          return read.ok ? read.text : { code: read.code, message: read.message };
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
  const first = pass(true);
  if (first.missing.length === 0) return first.engine;
  return files.load(first.missing, host).then(() => pass(false).engine);
}
