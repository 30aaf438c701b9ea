/**
 * The preview app: receives results (latest-only, by document version), decides what the charts
 * show when the document has errors, and drives the charts, formulas, sliders and diagnostics
 * banner.
 *
 * With errors: when the document still has the same queries as the last results without errors
 * (the usual case — a typo in a number, an error elsewhere), the charts show the new results and
 * each query that cannot be computed now keeps its last value; when the queries differ (a line
 * being typed), the charts keep the last results without errors; when there were none (a report,
 * a file opened with errors), they show the queries that could be computed.
 *
 * Sliders write to the document version of the newest results, so they keep working while the
 * document has errors. While one is dragged, the query is evaluated with the slider's value
 * (`previewParameter`, one request in flight, always the newest value) and drawn in place; the
 * release writes the source once.
 */
import {
  DEFAULT_SIGNIFICANT_DIGITS,
  MAX_SIGNIFICANT_DIGITS,
  MIN_SIGNIFICANT_DIGITS,
} from '../src/presentation/format.js';
import type { Analysis, Position, QueryKind, QueryResult, Range } from '../src/protocol/preview.js';
import {
  type AxisWindow,
  CHART_IDS,
  type ChartId,
  type HostToWebview,
  type PreviewState,
  parsePreviewState,
} from '../src/protocol/preview.js';
import { Banner, hasErrors } from './banner.js';
import { buildCharts } from './charts/index.js';
import { formatWith } from './charts/model.js';
import { ChartView } from './chartView.js';
import { chartCsv } from './csv.js';
import { setText } from './dom.js';
import { FormulaPanel, formulasFor } from './formulas.js';
import type { Host } from './host.js';
import { SliderPanel, type SliderSpec, sliderSpecs } from './sliders.js';
import { readTheme, watchTheme } from './theme.js';

const CHART_ORDER: readonly ChartId[] = CHART_IDS;

/** The chart that shows a query kind best ("Show in preview" scrolls to it). */
const CHART_OF: Record<QueryKind, ChartId> = {
  tilt: 'frontier',
  frontier: 'frontier',
  bon: 'bon',
  equivalence: 'equivalence',
  rate: 'rate',
  cumulants: 'cumulants',
  renyi: 'renyi',
  compare: 'frontier',
  simulate: 'frontier',
  softbon: 'methodsReward',
  blockbon: 'methodsReward',
  reject: 'methodsReward',
  winrate: 'methodsWinRate',
  methods: 'methodsReward',
};

/** A live preview request without an answer after this long is given up (the server may restart). */
const PREVIEW_TIMEOUT_MS = 3000;

/** Which query the sliders act on, and the document version their ranges refer to. */
interface SliderTarget {
  /** The analysis the sliders read (its query `index`). */
  readonly analysis: Analysis;
  readonly index: number;
  readonly version: number;
  /** The query's range in that version. */
  readonly query: Range;
  /** Whether the params' literal ranges belong to that version. */
  readonly literals: boolean;
  /** The index of the same query in what the charts draw (for the live preview), if it is there. */
  readonly drawnIndex: number | undefined;
}

export class App {
  private uri = '';
  /** Version of the newest results received (older ones are dropped). */
  private version = -1;
  /** The newest results without errors and their version. */
  private good: Analysis | undefined;
  private latest: Analysis | undefined;
  /** What the charts draw (see the module comment) and what the banner says about it. */
  private drawn: Analysis | undefined;
  private drawnIsLatest = false;
  private staleNote: string | undefined;
  /** Indices of drawn results that are kept from older results (their ranges may be stale). */
  private staleResults = new Set<number>();
  private digits = DEFAULT_SIGNIFICANT_DIGITS;
  private focus: number | null = null;
  private cursor: Position | null = null;
  /** A "Show in preview" waiting for its query to be drawn. */
  private pendingShow: Range | undefined;
  private target: SliderTarget | undefined;
  /** The target of the slider being moved: fixed from its first move to its write. */
  private dragTarget: SliderTarget | undefined;
  /** The slider target of the preview request in flight (its answer is drawn there). */
  private previewFor: SliderTarget | undefined;
  /** The dragged slider's value, evaluated by the server, drawn in place of the query's value. */
  private override:
    | { index: number; kind: QueryKind; value: NonNullable<QueryResult['value']>; version: number }
    | undefined;
  /** Live preview requests: the one in flight, and the newest value waiting for it. */
  private seq = 0;
  private inFlight: { seq: number; timer: ReturnType<typeof setTimeout> } | undefined;
  private queued: { target: SliderTarget; spec: SliderSpec; value: number } | undefined;
  /** The version a slider wrote to: its preview stays until newer results arrive. */
  private committed: number | undefined;
  private readonly hidden = new Set<string>();
  private readonly views: ChartView[];
  private readonly formulas: FormulaPanel;
  private readonly sliders: SliderPanel;
  private readonly banner: Banner;
  private readonly titleEl: HTMLElement;
  private readonly statusEl: HTMLElement;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Where the last render spent its time (ms), for the benchmark. */
  timings = { models: 0, charts: 0, formulas: 0, rest: 0 };
  /** Number of completed renders (tests and the benchmark wait on it via body[data-renders]). */
  renders = 0;

  constructor(
    root: HTMLElement,
    private readonly host: Host,
  ) {
    root.replaceChildren();
    const header = div('top-bar');
    this.titleEl = document.createElement('h1');
    this.statusEl = div('status');
    this.statusEl.setAttribute('aria-live', 'polite');
    header.append(this.titleEl, this.statusEl);
    const bannerEl = div('banner');
    bannerEl.hidden = true;
    const mathEl = div('formulas');
    const slidersEl = div('sliders');
    slidersEl.hidden = true;
    slidersEl.setAttribute('role', 'group');
    slidersEl.setAttribute('aria-label', 'Parameters of the query under the cursor');
    const grid = div('charts');
    root.append(header, bannerEl, slidersEl, mathEl, grid);

    const reveal = host.interactive ? (range: Range) => this.reveal(range) : undefined;
    this.banner = new Banner(bannerEl, reveal);
    this.formulas = new FormulaPanel(mathEl);
    this.sliders = new SliderPanel(slidersEl, {
      preview: (spec, value) => this.previewSlider(spec, value),
      commit: (spec, value) => this.commitSlider(spec, value),
      cancel: () => {
        this.queued = undefined;
        this.dragTarget = undefined;
        if (this.committed === undefined && this.override) {
          this.override = undefined;
          this.render();
        }
      },
    });

    const state = parsePreviewState(host.loadState());
    if (state) {
      this.uri = state.uri;
      for (const h of state.hidden) this.hidden.add(h);
    }
    const theme = readTheme();
    const hooks = {
      pointClicked: (q: number) => {
        const r = this.drawn?.results[q];
        if (r) this.reveal(r.range);
      },
      viewChanged: () => this.scheduleSave(),
      exportPng: (id: ChartId) => this.export(id, 'png'),
      exportCsv: (id: ChartId) => this.export(id, 'csv'),
    };
    this.views = CHART_ORDER.map((id) => new ChartView(grid, id, theme, this.hidden, hooks));
    if (state) for (const v of this.views) v.setWindow(state.zoom[v.id]);
    if (!host.interactive) document.body.classList.add('is-report');
    watchTheme(() => {
      const t = readTheme();
      for (const v of this.views) v.setTheme(t);
    });
    this.render();
  }

  receive(message: HostToWebview): void {
    switch (message.type) {
      case 'analysis':
        this.showAnalysis(message.uri, message.version, message.analysis, message.pending);
        break;
      case 'cursor':
        if (message.uri !== this.uri) return;
        this.cursor = message.position;
        this.refocus();
        break;
      case 'reset':
        this.resetTo(message.uri);
        break;
      case 'settings': {
        const d = Math.round(message.digits);
        const digits = Number.isFinite(d)
          ? Math.min(MAX_SIGNIFICANT_DIGITS, Math.max(MIN_SIGNIFICANT_DIGITS, d))
          : DEFAULT_SIGNIFICANT_DIGITS;
        if (digits === this.digits) return;
        this.digits = digits;
        this.render();
        break;
      }
      case 'showQuery':
        if (message.uri !== this.uri) return;
        this.pendingShow = message.range;
        this.cursor = message.range.start;
        this.focus = this.findFocus();
        this.render();
        break;
      case 'parameterPreview':
        if (message.uri === this.uri) this.previewAnswered(message.seq, message.result, message.refused);
        break;
      case 'parameterRefused':
        if (message.uri !== this.uri) return;
        this.committed = undefined;
        this.override = undefined;
        this.dragTarget = undefined;
        this.render();
        this.sliders.showRefusal(message.message);
        break;
    }
  }

  /** Applies new results unless they are older than what is shown; returns whether they were used. */
  showAnalysis(uri: string, version: number, analysis: Analysis, pending: boolean): boolean {
    if (uri !== this.uri) this.resetTo(uri);
    else if (version < this.version) return false;
    this.version = version;
    this.latest = analysis;
    if (!hasErrors(analysis)) {
      this.good = analysis;
    }
    // Results of what a slider wrote have arrived (or the document moved on): its preview goes.
    if (
      this.override &&
      (this.committed === undefined ? this.override.version !== version : version > this.committed)
    ) {
      this.override = undefined;
      this.committed = undefined;
    }
    this.compose();
    setText(this.statusEl, pending ? 'updating…' : '');
    this.statusEl.classList.toggle('pending', pending);
    this.focus = this.findFocus();
    this.render();
    return true;
  }

  /** Decides what the charts draw (see the module comment). */
  private compose(): void {
    const { latest, good } = this;
    this.staleResults = new Set();
    this.staleNote = undefined;
    if (!latest || !hasErrors(latest)) {
      this.drawn = latest ?? good;
      this.drawnIsLatest = latest !== undefined;
      return;
    }
    if (good && sameQueries(good, latest)) {
      const results = latest.results.map((r, i) => {
        const old = good.results[i];
        if (r.value !== undefined || old.value === undefined) return r;
        this.staleResults.add(i);
        // The last value, at the query's current place.
        return { ...old, range: r.range } as QueryResult;
      });
      this.drawn = { ...latest, results };
      this.drawnIsLatest = true;
      if (this.staleResults.size > 0)
        this.staleNote =
          'The document has errors: the queries that cannot be computed show their last results.';
      return;
    }
    if (good) {
      this.drawn = good;
      this.drawnIsLatest = false;
      this.staleNote = 'The document has errors: the charts show the last results without errors.';
      return;
    }
    this.drawn = latest;
    this.drawnIsLatest = true;
    this.staleNote = 'The document has errors: the charts show the queries that could be computed.';
  }

  private resetTo(uri: string): void {
    const switching = this.uri !== '' && uri !== this.uri;
    this.uri = uri;
    this.version = -1;
    this.good = undefined;
    this.latest = undefined;
    this.drawn = undefined;
    this.staleResults = new Set();
    this.staleNote = undefined;
    this.cursor = null;
    this.focus = null;
    this.override = undefined;
    this.committed = undefined;
    this.queued = undefined;
    this.pendingShow = undefined;
    // Another document: its charts have other ranges, so the old zoom would be meaningless.
    if (switching) for (const v of this.views) v.setWindow(undefined);
    this.render();
    this.scheduleSave();
  }

  private refocus(): void {
    const focus = this.findFocus();
    if (focus === this.focus) return;
    this.focus = focus;
    this.render();
  }

  /** The innermost query of `analysis` (default: what is drawn) whose range contains the cursor. */
  private findFocus(analysis = this.drawn): number | null {
    return this.cursor && analysis ? queryAt(analysis, this.cursor) : null;
  }

  /** The query the sliders act on (see SliderTarget), from the cursor. */
  private sliderTarget(): SliderTarget | undefined {
    const drawn = this.drawn;
    if (!drawn || this.focus === null) return undefined;
    if (this.drawnIsLatest) {
      const r = drawn.results[this.focus];
      if (!r || r.value === undefined) return undefined;
      return {
        analysis: drawn,
        index: this.focus,
        version: this.version,
        query: r.range,
        literals: !this.staleResults.has(this.focus),
        drawnIndex: this.focus,
      };
    }
    // The charts keep older results: the sliders read the newest ones (if the query has a value).
    const latest = this.latest;
    const index = latest ? this.findFocus(latest) : null;
    const r = index === null ? undefined : latest?.results[index];
    if (!latest || index === null || !r || r.value === undefined) return undefined;
    return {
      analysis: latest,
      index,
      version: this.version,
      query: r.range,
      literals: true,
      drawnIndex: undefined,
    };
  }

  /** What the charts draw now: the composed results with a dragged slider's preview in place. */
  private shown(): Analysis {
    const drawn = this.drawn ?? { file: this.uri, diagnostics: [], results: [] };
    const o = this.override;
    const r = o ? drawn.results[o.index] : undefined;
    if (!o || !r || r.query !== o.kind) return drawn;
    const results = drawn.results.slice();
    results[o.index] = { ...r, value: o.value, error: undefined } as QueryResult;
    return { ...drawn, results };
  }

  render(): void {
    const file = (this.latest ?? this.good)?.file ?? this.uri;
    setText(this.titleEl, file ? file.replace(/^.*[\\/]/, '') : 'Align Lab');
    if (this.titleEl.title !== file) this.titleEl.title = file;
    const analysis = this.shown();
    const t0 = performance.now();
    const models = buildCharts(analysis, this.focus, this.digits);
    const t1 = performance.now();
    this.views.forEach((v, i) => {
      v.setHighlightSilently(this.focus);
      v.update(models[i]);
    });
    const t2 = performance.now();
    this.formulas.update(formulasFor(analysis, this.focus, this.digits), this.focus);
    const t3 = performance.now();
    if (this.host.interactive) {
      this.target = this.sliderTarget();
      const t = this.target;
      const specs = t ? sliderSpecs(t.analysis, t.index, t.literals) : [];
      this.sliders.update(
        t ? `${t.index}:${t.analysis.results[t.index].query}` : '',
        specs,
        formatWith(this.digits),
        t?.version ?? -1,
      );
    }
    this.banner.update(this.latest, this.staleNote, this.digits);
    this.timings = { models: t1 - t0, charts: t2 - t1, formulas: t3 - t2, rest: performance.now() - t3 };
    document.body.classList.toggle('has-results', this.drawn !== undefined);
    if (this.pendingShow) this.showPending();
    this.renders++;
    document.body.dataset.renders = String(this.renders);
  }

  // ---- "Show in preview" ----

  /** Scrolls the chart of the query asked for into view, once it is drawn. */
  private showPending(): void {
    const range = this.pendingShow;
    const drawn = this.drawn;
    if (!range || !drawn) return;
    const index = queryAt(drawn, range.start);
    if (index === null) return;
    this.pendingShow = undefined;
    const kind = drawn.results[index].query;
    const hasQuery = (v: ChartView) =>
      v.currentModel()?.series.some((s) => s.queries.includes(index)) ?? false;
    const view = [this.views.find((v) => v.id === CHART_OF[kind]), ...this.views].find(
      (v) => v && hasQuery(v),
    );
    const target = view?.card ?? this.formulas.card(kind);
    if (!target) return;
    view?.flush();
    target.scrollIntoView({ block: target.offsetHeight < window.innerHeight ? 'center' : 'start' });
    target.classList.remove('is-shown');
    // Restart the highlight animation (a class toggled within one frame would not restart it).
    void target.offsetWidth;
    target.classList.add('is-shown');
    target.addEventListener('animationend', () => target.classList.remove('is-shown'), { once: true });
  }

  // ---- sliders ----

  /** A slider moved: evaluate the query with this value (newest value only, one request at a time). */
  private previewSlider(spec: SliderSpec, value: number): void {
    this.dragTarget ??= this.target;
    const target = this.dragTarget;
    if (!target) return;
    this.queued = { target, spec, value };
    this.pump();
  }

  private pump(): void {
    if (this.inFlight || !this.queued) return;
    const { target, spec, value } = this.queued;
    this.queued = undefined;
    const seq = ++this.seq;
    const timer = setTimeout(() => {
      if (this.inFlight?.seq === seq) this.inFlight = undefined;
      this.pump();
    }, PREVIEW_TIMEOUT_MS);
    this.inFlight = { seq, timer };
    this.previewFor = target;
    this.host.post({
      type: 'previewParameter',
      uri: this.uri,
      version: target.version,
      query: target.query,
      name: spec.name,
      value,
      seq,
    });
  }

  private previewAnswered(
    seq: number,
    result: QueryResult | undefined,
    refused: { message: string } | undefined,
  ): void {
    if (this.inFlight?.seq !== seq) return;
    clearTimeout(this.inFlight.timer);
    this.inFlight = undefined;
    const target = this.previewFor;
    if (refused) this.sliders.showRefusal(refused.message);
    else if (result?.error !== undefined) this.sliders.showRefusal(`${result.query}: ${result.error}`);
    else if (
      result?.value !== undefined &&
      target &&
      target.version === this.version &&
      target.drawnIndex !== undefined
    ) {
      this.override = {
        index: target.drawnIndex,
        kind: result.query,
        value: result.value,
        version: target.version,
      };
      this.render();
    }
    this.pump();
  }

  /** A slider was released (or its keys rested): write the value into the source, once. */
  private commitSlider(spec: SliderSpec, value: number): void {
    // The query the slider belonged to when it started moving (the cursor may have moved since).
    const t = this.dragTarget ?? this.target;
    this.dragTarget = undefined;
    if (!t) return;
    // The charts show the released value until the document's new results arrive.
    this.queued = { target: t, spec, value };
    this.pump();
    this.committed = t.version;
    this.host.post({
      type: 'setParameter',
      uri: this.uri,
      version: t.version,
      query: t.query,
      name: spec.name,
      value,
      ...(spec.literal ? { literal: spec.literal } : {}),
    });
  }

  // ---- the rest ----

  private reveal(range: Range): void {
    this.host.post({ type: 'reveal', uri: this.uri, range });
  }

  private export(id: ChartId, format: 'png' | 'csv'): void {
    const view = this.views.find((v) => v.id === id);
    const model = view?.currentModel();
    if (!view || !model) return;
    this.host.save(id, format, format === 'png' ? view.toPngBase64() : chartCsv(model));
  }

  private scheduleSave(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.host.saveState(this.state()), 200);
  }

  state(): PreviewState {
    const zoom: Partial<Record<ChartId, AxisWindow>> = {};
    for (const v of this.views) {
      const w = v.getWindow();
      if (w) zoom[v.id] = w;
    }
    return { uri: this.uri, zoom, hidden: [...this.hidden] };
  }

  /** Draws every chart now, including the off-screen ones that would otherwise wait (tests). */
  flush(): void {
    for (const v of this.views) v.flush();
  }

  /** Whether any off-screen chart still waits for its update. */
  get pending(): boolean {
    return this.views.some((v) => v.isPending);
  }

  view(id: ChartId): ChartView | undefined {
    return this.views.find((v) => v.id === id);
  }
}

/** Whether two analyses have the same queries, in order (so their results correspond by index). */
function sameQueries(a: Analysis, b: Analysis): boolean {
  return a.results.length === b.results.length && a.results.every((r, i) => r.query === b.results[i].query);
}

/** The innermost query whose range contains `p`. */
function queryAt(analysis: Analysis, p: Position): number | null {
  let best: number | null = null;
  let bestSize = Number.POSITIVE_INFINITY;
  analysis.results.forEach((r, i) => {
    if (!contains(r.range, p)) return;
    const size =
      (r.range.end.line - r.range.start.line) * 1e6 + (r.range.end.character - r.range.start.character);
    if (size < bestSize) [best, bestSize] = [i, size];
  });
  return best;
}

const contains = (r: Range, p: Position): boolean =>
  (p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character)) &&
  (p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character));

function div(className: string): HTMLElement {
  const e = document.createElement('div');
  e.className = className;
  return e;
}
