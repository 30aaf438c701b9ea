/**
 * Runs the language's pipeline (parse → check → evaluate) for one document, bridging its
 * synchronous `readFile(path)` hook to the host's asynchronous file access: a first pass notes
 * the model files it needs that are not cached yet; if there are any, they are read (from disk,
 * or from the client in the browser) and the pass is repeated. Without model files — the
 * common case — evaluation is synchronous, so diagnostics go out in the same tick.
 */
import { URI, Utils } from 'vscode-uri';
import { type AnalysisCache, analyzeDocument, type DocumentAnalysis } from '../language/analyze.js';
import { type ParseResult, parse } from '../language/syntax/parser.js';
import type { Analysis } from '../presentation/results.js';
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
  files: FileCache,
  host: Host,
  cache: AnalysisCache,
): EngineRun | Promise<EngineRun> {
  const doc = URI.parse(uri);
  const folder = FOLDER_SCHEMES.has(doc.scheme) ? Utils.dirname(doc) : undefined;
  const limits = { maxExactSupport: settings.maxExactSize };
  const pass = (): { run: EngineRun; missing: string[] } => {
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
    const document = analyzeDocument(text, { file: uri, readFile, limits, cache });
    return { run: { analysis: document.analysis, document, files: used }, missing };
  };
  const first = pass();
  if (first.missing.length === 0) return first.run;
  return Promise.all(
    first.missing.map((fileUri) =>
      host.readFile(fileUri).then(
        (content) => files.set(fileUri, { text: content }),
        (e: unknown) => files.set(fileUri, { error: e instanceof Error ? e.message : String(e) }),
      ),
    ),
  ).then(() => pass().run);
}
