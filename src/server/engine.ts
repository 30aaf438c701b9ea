/**
 * Runs the language's pipeline (parse → check → evaluate) for one document, bridging its
 * synchronous `readFile(path)` hook to the host's asynchronous file access: a first pass notes
 * the model files it needs that are not cached yet (or changed on disk); if there are any, they
 * are read (from disk, or from the client in the browser; see modelFiles.ts for the cache and
 * src/node/files.ts for the confinement rules) and the pass is repeated. Without model files — the
 * common case — evaluation is synchronous, so diagnostics go out in the same tick.
 */
import { URI, Utils } from 'vscode-uri';
import { type AnalysisCache, analyzeDocument, type DocumentAnalysis } from '../language/analyze.js';
import { type ParseResult, parse } from '../language/parser.js';
import type { Analysis } from '../language/results.js';
import type { ServerSettings } from '../protocol/protocol.js';
import type { Host, ModelFileRequest } from './host.js';
import type { ModelFiles } from './modelFiles.js';

export function parseText(text: string): ParseResult {
  return parse(text);
}

export interface EngineRun {
  readonly analysis: Analysis;
  readonly document: DocumentAnalysis;
  /** Absolute URIs of the model files the document reads. */
  readonly files: string[];
}

/** Schemes whose documents have a folder to resolve `from "x.csv"` against. */
const FOLDER_SCHEMES = new Set(['file', 'vscode-vfs', 'vscode-remote', 'vscode-test-web', 'memfs']);

export function runEngine(
  uri: string,
  text: string,
  settings: ServerSettings,
  files: ModelFiles,
  host: Host,
  cache: AnalysisCache,
): EngineRun | Promise<EngineRun> {
  const doc = URI.parse(uri);
  const folder = FOLDER_SCHEMES.has(doc.scheme) ? Utils.dirname(doc) : undefined;
  const limits = { maxExactSupport: settings.maxExactSize };
  const roots = folder ? files.folders.rootsFor(folder, doc) : [];
  // The first pass sees a file changed on disk (its fingerprint moved) as missing; the second
  // takes what was just read.
  const pass = (checkStamp: boolean): { run: EngineRun; missing: ModelFileRequest[] } => {
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
    const document = analyzeDocument(text, { file: uri, readFile, limits, cache });
    return { run: { analysis: document.analysis, document, files: used }, missing };
  };
  const first = pass(true);
  if (first.missing.length === 0) return first.run;
  return files.load(first.missing, host).then(() => pass(false).run);
}
