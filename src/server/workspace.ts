/**
 * The open documents and their evaluations.
 *
 * Scheduling: the first change after a pause is evaluated at once (so a single edit shows its
 * diagnostics within milliseconds); further changes within `debounceMs` of the last evaluation
 * are batched into one trailing evaluation. A request that needs the analysis of the current
 * text (hover, inlay hints, …) evaluates it on demand instead of waiting.
 *
 * Versioning: every evaluation is tagged with the document version it read. After any await
 * (model files are read asynchronously) the version is checked again, and a result for a version
 * that is no longer current is dropped: diagnostics and results are never published stale.
 */
import { TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache, type DocumentAnalysis } from '../language/analyze.js';
import type { ParseResult } from '../language/parser.js';
import { ResultsClearedNotification, ResultsNotification, type ResultsParams } from '../protocol/protocol.js';
import type { ServerContext } from './context.js';
import { toLspDiagnostic } from './convert.js';
import { type EngineRun, parseText, runEngine } from './engine.js';
import { ModelFiles } from './modelFiles.js';

export interface Evaluated extends ResultsParams {
  readonly parse: ParseResult;
  /** The checked models, policies and queries behind the analysis (for hovers). */
  readonly document: DocumentAnalysis;
  /** Model files (absolute URIs) the document read; a change to one re-evaluates it. */
  readonly files: readonly string[];
}

interface DocState {
  timer: Timer | undefined;
  /** performance.now() when the last evaluation finished (for the throttle). */
  lastRun: number;
  evaluated: Evaluated | undefined;
  parsed: { version: number; parse: ParseResult } | undefined;
  /** In-flight evaluation (only while awaiting model files). */
  pending: { version: number; promise: Promise<Evaluated | undefined> } | undefined;
  /** Query results by content, so an edit re-evaluates only the queries it changed. */
  readonly cache: AnalysisCache;
}

interface Timer {
  cancel(): void;
}
/** Runs `f` after `ms`; with no wait, after the messages already queued but without
 * setTimeout's 1 ms clamp (setImmediate, which web workers lack: there, setTimeout 0). */
function after(ms: number, f: () => void): Timer {
  if (ms <= 0 && typeof setImmediate === 'function') {
    const h = setImmediate(f);
    return { cancel: () => clearImmediate(h) };
  }
  const h = setTimeout(f, ms);
  return { cancel: () => clearTimeout(h) };
}

export class Workspace {
  readonly documents = new TextDocuments(TextDocument);
  readonly files = new ModelFiles();
  private readonly states = new Map<string, DocState>();
  private ctx!: ServerContext;

  attach(ctx: ServerContext): void {
    this.ctx = ctx;
    this.documents.onDidOpen((e) => this.run(e.document.uri));
    this.documents.onDidChangeContent((e) => this.schedule(e.document.uri));
    this.documents.onDidClose((e) => this.close(e.document.uri));
    this.documents.listen(ctx.connection);
  }

  private state(uri: string): DocState {
    let s = this.states.get(uri);
    if (!s) {
      s = {
        timer: undefined,
        lastRun: -Infinity,
        evaluated: undefined,
        parsed: undefined,
        pending: undefined,
        cache: new AnalysisCache(),
      };
      this.states.set(uri, s);
    }
    return s;
  }

  get(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  /** The parse of the document's current text (cached per version; parsing is cheap). */
  parse(uri: string): ParseResult | undefined {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    const s = this.state(uri);
    if (s.parsed?.version !== doc.version)
      s.parsed = { version: doc.version, parse: parseText(doc.getText()) };
    return s.parsed.parse;
  }

  /** The evaluation of the current text, computed now if the last one is stale. */
  async current(uri: string): Promise<Evaluated | undefined> {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    const s = this.state(uri);
    if (s.evaluated?.version === doc.version) return s.evaluated;
    return this.run(uri);
  }

  /** The last published evaluation, whatever its version (for the preview's first paint). */
  latest(uri: string): Evaluated | undefined {
    return this.states.get(uri)?.evaluated;
  }

  uris(): string[] {
    return this.documents.keys();
  }

  private schedule(uri: string): void {
    const s = this.state(uri);
    if (s.timer !== undefined) return; // a trailing evaluation will read the newest text
    const wait = Math.max(0, s.lastRun + this.ctx.settings().debounceMs - performance.now());
    const fire = () => {
      s.timer = undefined;
      void this.run(uri);
    };
    s.timer = after(wait, fire);
  }

  /** Evaluates the current text now, publishes it and returns it (undefined if it went stale). */
  run(uri: string): Promise<Evaluated | undefined> {
    const doc = this.documents.get(uri);
    if (!doc) return Promise.resolve(undefined);
    const s = this.state(uri);
    if (s.timer !== undefined) {
      s.timer.cancel();
      s.timer = undefined;
    }
    if (s.pending?.version === doc.version) return s.pending.promise;
    const version = doc.version;
    const started = performance.now();
    const text = doc.getText();
    const finish = (run: EngineRun): Evaluated | undefined => {
      s.lastRun = performance.now();
      // The model-file cache keeps what open documents read, and only that.
      if (this.documents.get(uri)) this.files.retain(uri, run.files);
      else this.files.release(uri);
      if (this.documents.get(uri)?.version !== version) return undefined; // stale: never publish
      // The pipeline parsed this very text: share its tree with the parse-only features.
      const parse = run.document.parsed;
      s.parsed = { version, parse };
      const evaluated: Evaluated = {
        uri,
        version,
        analysis: run.analysis,
        elapsedMs: Math.round((performance.now() - started) * 100) / 100,
        parse,
        document: run.document,
        files: run.files,
      };
      s.evaluated = evaluated;
      this.publish(evaluated);
      return evaluated;
    };
    let result: EngineRun | Promise<EngineRun>;
    try {
      result = runEngine(uri, text, this.ctx.settings(), this.files, this.ctx.host, s.cache);
    } catch (e) {
      this.ctx.log(`evaluation of ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      s.lastRun = performance.now();
      return Promise.resolve(undefined);
    }
    // Without model files to read the engine is synchronous: publish in this same tick.
    if (!(result instanceof Promise)) return Promise.resolve(finish(result));
    const promise = result.then(finish, (e: unknown) => {
      this.ctx.log(`evaluation of ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return undefined;
    });
    s.pending = { version, promise };
    void promise.finally(() => {
      if (s.pending?.promise === promise) s.pending = undefined;
    });
    return promise;
  }

  private publish(e: Evaluated): void {
    const { connection } = this.ctx;
    void connection.sendDiagnostics({
      uri: e.uri,
      version: e.version,
      diagnostics: e.analysis.diagnostics.map(toLspDiagnostic),
    });
    const params: ResultsParams = {
      uri: e.uri,
      version: e.version,
      analysis: e.analysis,
      elapsedMs: e.elapsedMs,
    };
    void connection.sendNotification(ResultsNotification, params);
  }

  /** Re-evaluates every open document (settings changed). */
  runAll(): void {
    for (const uri of this.uris()) {
      const s = this.states.get(uri);
      if (s) {
        s.evaluated = undefined;
        s.cache.clear(); // limits may have changed
      }
      void this.run(uri);
    }
  }

  /** Model files changed on disk: forget them and re-evaluate the documents that read them. */
  filesChanged(uris: readonly string[]): void {
    const changed = new Set(this.files.changed(uris, this.ctx.host));
    for (const [doc, s] of this.states) {
      if (s.evaluated?.files.some((f) => changed.has(f))) {
        s.evaluated = undefined;
        void this.run(doc);
      }
    }
  }

  private close(uri: string): void {
    const s = this.states.get(uri);
    if (s?.timer !== undefined) s.timer.cancel();
    this.states.delete(uri);
    this.files.release(uri);
    // Clear the problems of a closed file, as other language servers do.
    void this.ctx.connection.sendDiagnostics({ uri, diagnostics: [] });
    void this.ctx.connection.sendNotification(ResultsClearedNotification, { uri });
  }
}
