/**
 * The preview app: receives results (latest-only, by document version), keeps the last results
 * without errors on screen, and drives the charts, formulas, sliders and diagnostics banner.
 */
import type { Analysis, Position, Range } from '../src/protocol/preview.js';
import {
  type AxisWindow,
  type ChartId,
  type HostToWebview,
  type PreviewState,
  parsePreviewState,
} from '../src/protocol/preview.js';
import { Banner, hasErrors } from './banner.js';
import { buildCharts } from './charts/index.js';
import { ChartView } from './chartView.js';
import { chartCsv } from './csv.js';
import { setText } from './dom.js';
import { FormulaPanel, formulasFor } from './formulas.js';
import type { Host } from './host.js';
import { SliderPanel } from './sliders.js';
import { readTheme, watchTheme } from './theme.js';

const CHART_ORDER: ChartId[] = ['frontier', 'bon', 'equivalence', 'rate', 'cumulants', 'renyi', 'tokens'];

export class App {
  private uri = '';
  /** Version of the newest results received (older ones are dropped). */
  private version = -1;
  /** The newest results without errors (what the charts show) and their version. */
  private good: Analysis | undefined;
  private goodVersion = -1;
  private latest: Analysis | undefined;
  private focus: number | null = null;
  private cursor: Position | null = null;
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
    const grid = div('charts');
    root.append(header, bannerEl, slidersEl, mathEl, grid);

    const reveal = host.interactive ? (range: Range) => this.reveal(range) : undefined;
    this.banner = new Banner(bannerEl, reveal);
    this.formulas = new FormulaPanel(mathEl);
    this.sliders = new SliderPanel(slidersEl, (query, spec, value) => {
      const r = this.good?.results[query];
      if (!r) return;
      host.post({
        type: 'setParameter',
        uri: this.uri,
        version: this.goodVersion,
        query: r.range,
        name: spec.name,
        value,
        ...(spec.literal ? { literal: spec.literal } : {}),
      });
    });

    const state = parsePreviewState(host.loadState());
    if (state) {
      this.uri = state.uri;
      for (const h of state.hidden) this.hidden.add(h);
    }
    const theme = readTheme();
    const hooks = {
      pointClicked: (q: number) => {
        const r = this.good?.results[q];
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
      this.goodVersion = version;
    }
    setText(this.statusEl, pending ? 'updating…' : '');
    this.statusEl.classList.toggle('pending', pending);
    this.focus = this.findFocus();
    this.render();
    return true;
  }

  private resetTo(uri: string): void {
    const switching = this.uri !== '' && uri !== this.uri;
    this.uri = uri;
    this.version = -1;
    this.good = undefined;
    this.goodVersion = -1;
    this.latest = undefined;
    this.cursor = null;
    this.focus = null;
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

  /** The innermost query whose range contains the cursor. */
  private findFocus(): number | null {
    const c = this.cursor;
    if (!c || !this.good) return null;
    let best: number | null = null;
    let bestSize = Number.POSITIVE_INFINITY;
    this.good.results.forEach((r, i) => {
      if (!contains(r.range, c)) return;
      const size =
        (r.range.end.line - r.range.start.line) * 1e6 + (r.range.end.character - r.range.start.character);
      if (size < bestSize) [best, bestSize] = [i, size];
    });
    return best;
  }

  render(): void {
    const file = (this.latest ?? this.good)?.file ?? this.uri;
    setText(this.titleEl, file ? file.replace(/^.*[\\/]/, '') : 'Align Lab');
    if (this.titleEl.title !== file) this.titleEl.title = file;
    const analysis = this.good ?? { file, diagnostics: [], results: [] };
    const t0 = performance.now();
    const models = buildCharts(analysis, this.focus);
    const t1 = performance.now();
    this.views.forEach((v, i) => {
      v.setHighlightSilently(this.focus);
      v.update(models[i]);
    });
    const t2 = performance.now();
    this.formulas.update(formulasFor(analysis, this.focus), this.focus);
    const t3 = performance.now();
    if (this.host.interactive) this.sliders.update(this.good, this.focus);
    const stale = this.latest !== undefined && this.latest !== this.good;
    this.banner.update(this.latest, stale);
    this.timings = { models: t1 - t0, charts: t2 - t1, formulas: t3 - t2, rest: performance.now() - t3 };
    document.body.classList.toggle('has-results', this.good !== undefined);
    this.renders++;
    document.body.dataset.renders = String(this.renders);
  }

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

const contains = (r: Range, p: Position): boolean =>
  (p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character)) &&
  (p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character));

function div(className: string): HTMLElement {
  const e = document.createElement('div');
  e.className = className;
  return e;
}
