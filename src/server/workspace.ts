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
 *
 * Responsiveness: queries are evaluated in slices of SLICE_MS; between two slices the server
 * handles whatever messages arrived (hovers, completions, a newer version, shutdown). A newer
 * version abandons the evaluation at the next slice (and stops a running query at the next
 * check of its work budget); one query never computes longer than `queryTimeLimitMs`.
 *
 * Memory: the full evaluation (tree, checked models, results) is kept for the RETAINED most
 * recently used documents; others keep only their text and are evaluated again on demand.
 */
import type { Connection } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache, type DocumentAnalysis } from '../language/analyze.js';
import type { ParseResult } from '../language/syntax/parser.js';
import { wireAnalysis } from '../presentation/wire.js';
import {
  ResultsClearedNotification,
  ResultsNotification,
  type ResultsParams,
  type ServerSettings,
} from '../protocol/protocol.js';
import { toLspDiagnostic } from './convert.js';
import { DocumentStore } from './documents.js';
import { type EngineRun, MAX_TEXT_LENGTH, parseText, startEngine } from './engine.js';
import type { Host } from './host.js';
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
  /** Model files the last evaluation read (kept when the evaluation itself is released). */
  files: readonly string[];
  /** performance.now() of the last use (evaluation, request): the retention order. */
  lastUsed: number;
  /** In-flight evaluation (while awaiting model files or between two slices). */
  pending: { version: number; promise: Promise<Evaluated | undefined> } | undefined;
  /**
   * Evaluations started; one that is not the newest is stale even at the same version (the
   * settings or the model-file roots changed under it) and never publishes.
   */
  runs: number;
  /** Query results by content, so an edit re-evaluates only the queries it changed. */
  readonly cache: AnalysisCache;
}

interface Timer {
  cancel(): void;
}

/**
 * Runs `f` once the messages that arrived meanwhile have reached their handlers. The JSON-RPC
 * connection needs two hops for that: bytes read from the transport are decoded in one
 * setImmediate (vscode-jsonrpc's read semaphore), and the decoded message is dispatched in
 * another (its message queue). A bare setImmediate or setTimeout(0) would run the next slice of
 * a stale evaluation between the two hops, so a newer version — or a request — would wait for
 * the slice after. Two immediates, then a timer (which also lets the poll phase read new input).
 */
function afterPendingMessages(f: () => void): void {
  if (typeof setImmediate !== 'function') {
    setTimeout(f, 0); // web worker: messages arrive as events between tasks anyway
    return;
  }
  setImmediate(() => setImmediate(() => setTimeout(f, 0)));
}

/** Longest stretch of query evaluation before the server looks at its messages again. */
const SLICE_MS = 12;
/**
 * When model files were read, or reading and checking took this long already, the problems found
 * so far go out before any query is evaluated: after a 50,000-token model the first query alone
 * can take longer than the user should wait to see a typo.
 */
const EARLY_DIAGNOSTICS_MS = 50;
/** Documents whose full evaluation is kept in memory (others are re-evaluated on demand). */
const RETAINED = 24;
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

/** What the workspace needs of the server (a part of ServerContext, which holds the workspace). */
export interface WorkspaceContext {
  readonly connection: Connection;
  readonly host: Host;
  settings(): ServerSettings;
  log(message: string): void;
}

export class Workspace {
  readonly documents = new DocumentStore();
  readonly files = new ModelFiles();
  private readonly states = new Map<string, DocState>();
  private ctx!: WorkspaceContext;

  attach(ctx: WorkspaceContext): void {
    this.ctx = ctx;
    this.documents.onDidOpen((doc) => void this.run(doc.uri));
    this.documents.onDidChangeContent((doc) => this.schedule(doc.uri));
    this.documents.onDidClose((doc) => this.close(doc.uri));
    this.documents.listen(ctx.connection, ctx.log);
  }

  private state(uri: string): DocState {
    let s = this.states.get(uri);
    if (!s) {
      s = {
        timer: undefined,
        lastRun: Number.NEGATIVE_INFINITY,
        lastUsed: performance.now(),
        files: [],
        evaluated: undefined,
        parsed: undefined,
        pending: undefined,
        runs: 0,
        cache: new AnalysisCache(),
      };
      this.states.set(uri, s);
    }
    return s;
  }

  get(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  /**
   * The parse of the document's current text (cached per version; parsing is cheap), or
   * undefined for a document too large to analyse (its one diagnostic says so).
   */
  parse(uri: string): ParseResult | undefined {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    const s = this.state(uri);
    s.lastUsed = performance.now();
    if (s.parsed?.version !== doc.version) {
      const text = doc.getText();
      if (text.length > MAX_TEXT_LENGTH) return undefined;
      s.parsed = { version: doc.version, parse: parseText(text) };
    }
    return s.parsed.parse;
  }

  /** The evaluation of the current text, computed now if the last one is stale. */
  async current(uri: string): Promise<Evaluated | undefined> {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    const s = this.state(uri);
    s.lastUsed = performance.now();
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

  /**
   * Evaluates the current text, publishes it and returns it (undefined if it went stale). A small
   * document is done within the first slice, in this same tick; a long one continues slice by
   * slice, and is abandoned as soon as the document changes.
   */
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
    const runId = ++s.runs;
    const started = performance.now();
    const text = doc.getText();
    const stale = () => s.runs !== runId || this.documents.get(uri)?.version !== version;
    const fail = (e: unknown): undefined => {
      this.ctx.log(`evaluation of ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      s.lastRun = performance.now();
      return undefined;
    };
    const finish = (engine: EngineRun): Evaluated | undefined => {
      s.lastRun = performance.now();
      // The model-file cache keeps what open documents read, and only that.
      if (this.documents.get(uri)) this.files.retain(uri, engine.files);
      else this.files.release(uri);
      if (stale()) return undefined; // never publish a stale version
      const document = engine.run.result();
      // The pipeline parsed this very text: share its tree with the parse-only features.
      const parse = document.parsed;
      s.parsed = { version, parse };
      const evaluated: Evaluated = {
        uri,
        version,
        analysis: document.analysis,
        elapsedMs: Math.round((performance.now() - started) * 100) / 100,
        parse,
        document,
        files: engine.files,
      };
      s.evaluated = evaluated;
      s.files = engine.files;
      s.lastUsed = performance.now();
      this.publish(evaluated);
      this.release();
      return evaluated;
    };
    /** Steps the evaluation; the rest continues after the server has looked at its messages. */
    const proceed = (
      engine: EngineRun,
      readFiles: boolean,
    ): Evaluated | undefined | Promise<Evaluated | undefined> => {
      const early = readFiles || performance.now() - started >= EARLY_DIAGNOSTICS_MS;
      if (early) {
        // Sent before the first step, which then waits for the write to leave (a step blocks).
        if (stale()) return undefined;
        this.publishDiagnostics(uri, version, engine.run.result().analysis.diagnostics);
      } else {
        if (engine.run.step(performance.now() + SLICE_MS)) return finish(engine);
        // A long evaluation: the problems found so far (syntax, names, models, the queries done)
        // go out now, so a mistake shows while the rest computes; the full set follows.
        this.publishDiagnostics(uri, version, engine.run.result().analysis.diagnostics);
      }
      return new Promise<Evaluated | undefined>((resolve) => {
        const slice = () => {
          if (stale()) return resolve(undefined);
          try {
            if (engine.run.step(performance.now() + SLICE_MS)) resolve(finish(engine));
            else afterPendingMessages(slice);
          } catch (e) {
            resolve(fail(e));
          }
        };
        afterPendingMessages(slice);
      });
    };
    let result: Evaluated | undefined | Promise<Evaluated | undefined>;
    try {
      const engine = startEngine(uri, text, this.ctx.settings(), this.files, this.ctx.host, s.cache, stale);
      result = engine instanceof Promise ? engine.then((e) => proceed(e, true)) : proceed(engine, false);
    } catch (e) {
      return Promise.resolve(fail(e));
    }
    // Small documents without model files: published in this same tick.
    if (!(result instanceof Promise)) return Promise.resolve(result);
    const promise = result.catch(fail);
    s.pending = { version, promise };
    void promise.finally(() => {
      if (s.pending?.promise === promise) s.pending = undefined;
    });
    return promise;
  }

  /** Keeps the full evaluations of the RETAINED most recently used documents only. */
  private release(): void {
    const held = [...this.states.values()].filter((s) => s.evaluated !== undefined || s.parsed !== undefined);
    if (held.length <= RETAINED) return;
    held.sort((a, b) => b.lastUsed - a.lastUsed);
    for (const s of held.slice(RETAINED)) {
      s.evaluated = undefined;
      s.parsed = undefined;
      s.cache.clear();
    }
  }

  private publishDiagnostics(
    uri: string,
    version: number,
    diagnostics: Evaluated['analysis']['diagnostics'],
  ): void {
    void this.ctx.connection.sendDiagnostics({ uri, version, diagnostics: diagnostics.map(toLspDiagnostic) });
  }

  private publish(e: Evaluated): void {
    const { connection } = this.ctx;
    this.publishDiagnostics(e.uri, e.version, e.analysis.diagnostics);
    void connection.sendNotification(ResultsNotification, {
      uri: e.uri,
      version: e.version,
      analysis: wireAnalysis(e.analysis),
      elapsedMs: e.elapsedMs,
    });
  }

  /**
   * The results of an evaluation as sent to the client: as evaluated (large per-token tables
   * summarised, see SUMMARY_TOKENS) or, with `full`, with every token — evaluated again on
   * request, from the same text and model files (only when a table was summarised).
   */
  async resultsOf(e: Evaluated, full: boolean): Promise<ResultsParams> {
    const summarised = e.analysis.results.some((r) => r.value !== undefined && 'tokens_total' in r.value);
    const asEvaluated = {
      uri: e.uri,
      version: e.version,
      analysis: wireAnalysis(e.analysis),
      elapsedMs: e.elapsedMs,
    };
    if (!full || !summarised) return asEvaluated;
    const doc = this.documents.get(e.uri);
    if (!doc || doc.version !== e.version) return asEvaluated;
    const s = this.state(e.uri);
    const started = performance.now();
    const engine = await startEngine(
      e.uri,
      doc.getText(),
      this.ctx.settings(),
      this.files,
      this.ctx.host,
      s.cache,
      () => false,
      true,
    );
    engine.run.step(Number.POSITIVE_INFINITY);
    const analysis = engine.run.result().analysis;
    return {
      uri: e.uri,
      version: e.version,
      analysis: wireAnalysis(analysis),
      elapsedMs: Math.round((performance.now() - started) * 100) / 100,
    };
  }

  /** Re-evaluates every open document (settings changed). */
  runAll(): void {
    for (const uri of this.uris()) {
      const s = this.states.get(uri);
      if (s) s.cache.clear(); // limits may have changed
      this.restart(uri);
    }
  }

  /**
   * Model files changed on disk (or the roots they are read under): forget them and re-evaluate
   * the documents that read them — and those still evaluating, whose files are not known yet
   * (the evaluation in flight may have read the old ones).
   */
  filesChanged(uris: readonly string[]): void {
    const changed = new Set(this.files.changed(uris, this.ctx.host));
    for (const [doc, s] of this.states) {
      if (s.pending !== undefined || s.files.some((f) => changed.has(f))) this.restart(doc);
    }
  }

  /** Evaluates `uri` afresh: an evaluation in flight is abandoned (it no longer publishes). */
  private restart(uri: string): void {
    const s = this.states.get(uri);
    if (s) {
      s.evaluated = undefined;
      s.pending = undefined;
    }
    void this.run(uri);
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
