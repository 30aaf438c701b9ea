/**
 * One chart card: a chart.js chart drawn from a `ChartModel`. Updates replace the datasets but keep
 * the chart (and therefore its zoom window, stored as scale min/max) and the legend visibility, which
 * lives in a set shared by all charts keyed by `chart/series`.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartDataset,
  type ChartOptions,
  Interaction,
  type InteractionItem,
  type InteractionModeFunction,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { AxisWindow, ChartId } from '../src/protocol/preview.js';
import {
  type ChartModel,
  hasData,
  isMarkerStyle,
  type Point,
  type Series,
  tickLabel,
} from './charts/model.js';
import { sameValue, setText } from './dom.js';
import { Legend } from './legend.js';
import { backgroundPlugin, errorBarsPlugin, heatmapPlugin } from './plugins.js';
import { colorAt, readableOn, type Theme, withAlpha } from './theme.js';
import { attachZoomPan, type ZoomTarget } from './zoomPan.js';

// Tree-shaking: register only what the charts use (keeps chart.js at a fraction of its full size).
Chart.register(
  LineController,
  BarController,
  LineElement,
  PointElement,
  BarElement,
  LinearScale,
  LogarithmicScale,
  CategoryScale,
  Tooltip,
);

declare module 'chart.js' {
  interface InteractionModeMap {
    alignLabMarkers: InteractionModeFunction;
  }
}

/**
 * Hover and click targets: of the elements under the pointer, a query's marker (tilt, best-of-N,
 * a compared policy, …) wins over the invisible hit points of a curve passing under it, then the
 * nearest wins. Chart.js's own `nearest` mode let the frontier's hover dot cover the tilt marker
 * and a click on the marker reveal the frontier query.
 */
Interaction.modes.alignLabMarkers = (chart, e, _options, useFinalPosition) => {
  if (e.x === null || e.y === null) return [];
  const at = { x: e.x, y: e.y };
  let best: { item: InteractionItem; marker: boolean; distance: number } | undefined;
  Interaction.evaluateInteractionItems(
    chart,
    'xy',
    at,
    (element, datasetIndex, index) => {
      const series = (chart.data.datasets[datasetIndex] as AnyDataset).seriesRef;
      if (!series) return; // the highlight rings
      const marker = isMarkerStyle(series.style) || series.style === 'bar';
      const c = element.getCenterPoint(useFinalPosition);
      const distance = Math.hypot((c.x ?? 0) - at.x, (c.y ?? 0) - at.y);
      if (!best || (marker && !best.marker) || (marker === best.marker && distance < best.distance))
        best = { item: { element, datasetIndex, index }, marker, distance };
    },
    true,
  );
  return best ? [best.item] : [];
};

/** Pixels between two ticks, at least (the tick count follows the axis length). */
const TICK_SPACING = { x: 64, y: 36 };

/**
 * Round-number ticks inside the axis window: 1, 2, 2.5 or 5 × 10ᵏ apart, as many as the axis
 * length allows (3 to 9). A zoomed window's ends (8.73146, 22.265) are not labelled; round ticks between
 * them are. Exported for the tests.
 */
export function niceTicks(min: number, max: number, lengthPx: number, spacing: number): number[] {
  if (!(max > min) || !Number.isFinite(min) || !Number.isFinite(max)) return [];
  const most = Math.max(2, Math.min(8, Math.floor(lengthPx / spacing))) + 1;
  const magnitude = 10 ** Math.floor(Math.log10((max - min) / most));
  const ticksFor = (step: number) => {
    const out: number[] = [];
    for (let k = Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9 && out.length <= most; k++)
      // k·step written as its decimal (0.1 × 3 is 0.3, not 0.30000000000000004).
      out.push(Number((k * step).toPrecision(12)));
    return out;
  };
  // The finest round step that fits: as many ticks as the axis has room for, never more.
  for (const m of [1, 2, 2.5, 5, 10, 20, 25, 50, 100]) {
    const ticks = ticksFor(m * magnitude);
    if (ticks.length <= most) return ticks;
  }
  return [];
}

/**
 * Ticks of a logarithmic axis: the powers of ten inside the window, with 2× and 5× between them
 * when there are few; every other power when there are too many for the axis length.
 */
export function logTicks(min: number, max: number, lengthPx: number, spacing: number): number[] {
  if (!(max > min) || !(min > 0) || !Number.isFinite(max)) return [];
  const most = Math.max(2, Math.min(8, Math.floor(lengthPx / spacing))) + 1;
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const inside = (x: number) => x >= min * (1 - 1e-9) && x <= max * (1 + 1e-9);
  const powers: number[] = [];
  for (let e = lo; e <= hi; e++) powers.push(Number(`1e${e}`));
  let ticks = powers.filter(inside);
  if (ticks.length < 3) {
    const finer = powers.flatMap((p) => [p, 2 * p, 5 * p]).filter(inside);
    if (finer.length <= most) ticks = finer;
  }
  for (let step = 2; ticks.length > most; step++)
    ticks = powers.filter((p, i) => inside(p) && (lo + i) % step === 0);
  return ticks;
}

/** Explicit ticks (a heatmap's tokens) thinned to fit: every k-th, so labels do not overlap. */
function fitTicks(
  ticks: { value: number; label: string }[],
  min: number,
  max: number,
  lengthPx: number,
  labelPx: (label: string) => number,
): { value: number }[] {
  const inside = ticks.filter((t) => t.value >= min && t.value <= max);
  if (inside.length === 0) return [];
  const widest = Math.max(...inside.map((t) => labelPx(t.label)));
  const per = lengthPx / (max - min || 1);
  const step = Math.max(1, Math.ceil(widest / Math.max(1, per)));
  return inside.filter((_, i) => i % step === 0).map((t) => ({ value: t.value }));
}

/** A tick label of a heatmap, shortened when long (the tooltip has the whole token). */
const shortLabel = (label: string) => (label.length > 10 ? `${label.slice(0, 9)}…` : label);

export interface ChartHooks {
  /** A point was clicked (not dragged): the query it came from. */
  pointClicked(query: number): void;
  /** Zoom or legend visibility changed (to persist it). */
  viewChanged(): void;
  exportPng(id: ChartId): void;
  exportCsv(id: ChartId): void;
}

type AnyDataset = ChartDataset<'line' | 'bar', unknown[]> & { seriesRef?: Series };

export class ChartView implements ZoomTarget {
  readonly card: HTMLElement;
  readonly chart: Chart<'line' | 'bar', unknown[]>;
  private model: ChartModel | undefined;
  /** What the chart last drew: the model, highlight and theme (unchanged → nothing to do). */
  private drawn: { model: ChartModel; highlight: number | null; theme: number } | undefined;
  /** Whether the card is on screen (or near it); off-screen charts update lazily. */
  private visible = true;
  private pending: ChartModel | undefined;
  private idleHandle: number | undefined;
  private themeStamp = 0;
  private appliedTheme = -1;
  private readonly titleEl: HTMLElement;
  private readonly noteEl: HTMLElement;
  private readonly emptyEl: HTMLElement;
  private readonly wrap: HTMLElement;
  private readonly legend: Legend;
  /** Labels of explicit ticks (a heatmap's tokens), by axis and value. */
  private tickLabels: Partial<Record<'x' | 'y' | 'y1', Map<number, string>>> = {};

  constructor(
    parent: HTMLElement,
    readonly id: ChartId,
    private theme: Theme,
    private readonly hidden: Set<string>,
    private readonly hooks: ChartHooks,
    private highlight: number | null = null,
  ) {
    this.card = el('section', 'card');
    this.card.id = `chart-${id}`;
    this.card.dataset.chart = id;
    const header = el('header');
    this.titleEl = el('h2');
    this.noteEl = el('span', 'note');
    const actions = el('div', 'actions');
    actions.append(
      button('PNG', 'Save this chart as a PNG image', () => hooks.exportPng(id), 'png'),
      button('CSV', 'Save the data behind this chart as CSV', () => hooks.exportCsv(id), 'csv'),
      button('Reset zoom', 'Reset zoom and pan (or double-click the chart)', () => this.resetZoom(), 'reset'),
    );
    header.append(this.titleEl, this.noteEl, actions);
    this.wrap = el('div', 'canvas-wrap');
    const canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    this.wrap.append(canvas);
    this.emptyEl = el('p', 'empty');
    this.legend = new Legend(el('div'), (key) => this.toggleSeries(key));
    this.card.append(header, this.wrap, this.legend.root, this.emptyEl);
    parent.append(this.card);

    const isBar = id === 'tokens';
    // The heatmap's axes are its rows and columns: no zoom or pan there.
    const isMatrix = id === 'transitions';
    this.chart = new Chart(canvas, {
      type: isBar ? 'bar' : 'line',
      data: { labels: [], datasets: [] },
      options: this.baseOptions(isBar, id === 'methodsTokens'),
      plugins: [errorBarsPlugin, backgroundPlugin, heatmapPlugin],
    });
    if (!isBar && !isMatrix) attachZoomPan(canvas, this);
    else if (isMatrix) (actions.querySelector('[data-action="reset"]') as HTMLElement).hidden = true;
    // Live updates redraw only the charts in view within the frame; the others catch up when
    // scrolled to or when the browser is idle (charts cost a few ms each to lay out).
    new IntersectionObserver(
      (entries) => {
        this.visible = entries[entries.length - 1]?.isIntersecting ?? true;
        if (this.visible) this.flush();
      },
      { rootMargin: '100px' },
    ).observe(this.card);
  }

  /** True while a newer model waits to be drawn (the chart is off screen). */
  get isPending(): boolean {
    return this.pending !== undefined;
  }

  /** Draws a model that was deferred while off screen. */
  flush(): void {
    const m = this.pending;
    if (!m) return;
    this.pending = undefined;
    if (this.idleHandle !== undefined) cancelIdleCallback(this.idleHandle);
    this.idleHandle = undefined;
    this.update(m, true);
  }

  private baseOptions(isBar: boolean, logX: boolean): ChartOptions<'line' | 'bar'> {
    const axis = (id: 'x' | 'y' | 'y1', log = false) => ({
      type: log ? ('logarithmic' as const) : ('linear' as const),
      title: { display: true, text: '' },
      grid: {},
      // Round-number ticks never need skipping or rotating (and those passes cost a layout each).
      ticks: {
        maxTicksLimit: 8,
        autoSkip: false,
        maxRotation: 0,
        callback: (value: number | string) => {
          if (typeof value !== 'number') return value;
          const label = this.tickLabels[id]?.get(value);
          return label === undefined ? tickLabel(value) : shortLabel(label);
        },
      },
      afterBuildTicks: (scale: {
        min: number;
        max: number;
        width: number;
        height: number;
        isHorizontal(): boolean;
        ticks: { value: number }[];
      }) => {
        const horizontal = scale.isHorizontal();
        const length = horizontal ? scale.width : scale.height;
        const spacing = horizontal ? TICK_SPACING.x : TICK_SPACING.y;
        const explicit = id === 'y1' ? undefined : this.model?.[id].ticks;
        if (explicit) {
          const size = this.theme.fontSize;
          // A line of text per tick: horizontal labels turn upright when they are wider (below).
          const labelPx = () => size * 1.4;
          scale.ticks = fitTicks(explicit, scale.min, scale.max, length, labelPx);
          return;
        }
        const ticks = log
          ? logTicks(scale.min, scale.max, length, spacing)
          : niceTicks(scale.min, scale.max, length, spacing);
        if (ticks.length >= 2) scale.ticks = ticks.map((value) => ({ value }));
      },
    });
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: isBar ? undefined : false,
      interaction: { mode: isBar ? 'nearest' : 'alignLabMarkers', intersect: true },
      scales: {
        x: isBar
          ? { type: 'category', title: { display: true, text: '' }, grid: {}, ticks: {} }
          : axis('x', logX),
        y: { ...axis('y'), beginAtZero: isBar },
        y1: { ...axis('y1'), position: 'right', display: false, grid: { drawOnChartArea: false } },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items) => (items[0] ? String(items[0].dataset.label ?? '') : ''),
            label: (item) => (item.dataset as AnyDataset).seriesRef?.points[item.dataIndex]?.tip ?? '',
          },
        },
      },
      onClick: (event, elements) => {
        // Clicks on a point reveal its query; drags are handled (and swallowed) by zoomPan.
        const hit = elements.find((e) => (this.chart.data.datasets[e.datasetIndex] as AnyDataset).seriesRef);
        const native = event.native as (MouseEvent & { alignLabDragged?: boolean }) | null;
        if (!hit || native?.alignLabDragged) return;
        const ds = this.chart.data.datasets[hit.datasetIndex] as AnyDataset;
        const q = ds.seriesRef?.points[hit.index]?.q;
        if (q !== undefined && q >= 0) this.hooks.pointClicked(q);
      },
    };
  }

  /** Legend click: show/hide a series (remembered across updates and reloads). */
  private toggleSeries(key: string): void {
    const hiddenKey = `${this.id}/${key}`;
    if (this.hidden.has(hiddenKey)) this.hidden.delete(hiddenKey);
    else this.hidden.add(hiddenKey);
    this.drawn = undefined;
    if (this.model) this.update(this.model, true);
    this.hooks.viewChanged();
  }

  private hiddenKey(s: Series): string {
    return `${this.id}/${s.key}`;
  }

  /** Redraws from a new model (same chart object: zoom and visibility survive). */
  update(model: ChartModel, now = false): void {
    // Unchanged charts are not touched: chart.js's update is the expensive part of a redraw.
    const d = this.drawn;
    if (d && d.highlight === this.highlight && d.theme === this.themeStamp && sameValue(d.model, model)) {
      this.pending = undefined;
      return;
    }
    const empty = !hasData(model);
    // A chart of an optional group shows its card only when it has something to draw.
    const hide = Boolean(model.optional) && empty;
    if (this.card.hidden !== hide) this.card.hidden = hide;
    if (!this.visible && !now) {
      this.pending = model;
      this.idleHandle ??= requestIdleCallback(
        () => {
          this.idleHandle = undefined;
          this.flush();
        },
        { timeout: 250 },
      );
      return;
    }
    this.pending = undefined;
    this.drawn = { model, highlight: this.highlight, theme: this.themeStamp };
    this.model = model;
    this.card.classList.toggle('is-empty', empty);
    setText(this.titleEl, model.title);
    setText(this.noteEl, model.note ?? '');
    setText(this.emptyEl, empty ? model.emptyText : '');
    const chart = this.chart;
    chart.data.labels = model.categories ?? [];
    // Reuse the dataset objects of series that persist: chart.js then keeps their controllers
    // and elements instead of rebuilding them, which is most of the cost of an update.
    const previous = new Map<string, AnyDataset>();
    for (const d of chart.data.datasets as AnyDataset[]) if (d.seriesRef) previous.set(d.seriesRef.key, d);
    const next: AnyDataset[] = model.series.map((s) => {
      const fresh = this.dataset(s);
      const old = previous.get(s.key);
      return old && old.type === fresh.type ? Object.assign(old, fresh) : fresh;
    });
    const overlay = this.highlightOverlay(model);
    if (overlay) next.push(overlay);
    chart.data.datasets = next;
    const scales = chart.options.scales as Record<string, { title: { text: string }; display?: boolean }>;
    scales.x.title.text = model.x.title;
    scales.y.title.text = model.y.title;
    scales.y1.title.text = model.y1?.title ?? '';
    scales.y1.display = model.series.some((s) => s.axis === 'y1' && s.points.length > 0);
    this.tickLabels = {
      x: model.x.ticks && new Map(model.x.ticks.map((t) => [t.value, t.label])),
      y: model.y.ticks && new Map(model.y.ticks.map((t) => [t.value, t.label])),
    };
    // Token labels under a heatmap turn upright when they do not fit side by side.
    (scales.x as unknown as { ticks: { maxRotation: number } }).ticks.maxRotation = model.x.ticks ? 90 : 0;
    // A heatmap: no grid lines (the cells are the grid), fixed ranges (its cells), rows downwards.
    for (const a of ['x', 'y'] as const)
      (scales[a] as unknown as { grid: { display: boolean } }).grid.display = !model[a].ticks;
    const fixed = scales as unknown as Record<string, { min?: number; max?: number; reverse?: boolean }>;
    for (const a of ['x', 'y'] as const) {
      const range = model[a].range;
      if (range) [fixed[a].min, fixed[a].max] = range;
      fixed[a].reverse = Boolean(model[a].reverse);
    }
    if (this.appliedTheme !== this.themeStamp) this.applyTheme();
    chart.update('none');
    this.legend.update(
      model.series
        .filter((s) => s.points.length > 0)
        .map((s) => ({
          key: s.key,
          label: s.label,
          color: this.colorOf(s),
          style: s.style,
          hidden: this.hidden.has(this.hiddenKey(s)),
        })),
    );
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.themeStamp++;
    const m = this.pending ?? this.model;
    if (m) this.update(m);
  }

  /** Sets the highlighted query; takes effect at the next `update`. */
  setHighlightSilently(query: number | null): void {
    this.highlight = query;
  }

  /** A series' colour, with enough contrast against the background for its line style. */
  private colorOf(s: Series): string {
    const thin = s.style === 'dashed' || s.style === 'dotted';
    return readableOn(colorAt(this.theme, s.color), this.theme.bg, thin ? 4.5 : 3);
  }

  private dataset(s: Series): AnyDataset {
    const t = this.theme;
    const color = this.colorOf(s);
    const lit = this.highlight !== null && s.queries.includes(this.highlight);
    const dim = this.highlight !== null && !lit && this.highlightedHere();
    const stroke = dim ? withAlpha(color, 0.35) : color;
    // Dotted lines are drawn a little thicker: dots of a thin line all but vanish.
    const width = (t.highContrast ? 2.5 : s.style === 'dotted' ? 2.25 : 1.75) * (lit ? 1.8 : 1);
    const hidden = this.hidden.has(this.hiddenKey(s));
    if (s.style === 'bar') {
      return {
        type: 'bar',
        label: s.label,
        data: s.points.map((p) => p.y),
        backgroundColor: withAlpha(color, 0.6),
        borderColor: color,
        borderWidth: t.highContrast ? 2 : 1,
        hidden,
        seriesRef: s,
      } as AnyDataset;
    }
    // With `parsing: false` chart.js takes the data as sorted by x (it reads the x range from the
    // first and last points and draws lines column by column), so unsorted point sets are sorted
    // here; the dataset's series then refers to the sorted points so tooltips and clicks match.
    const points = sortedByX(s.points);
    if (points !== s.points) s = { ...s, points };
    if (s.style === 'cell') {
      // Heatmap cells: drawn by heatmapPlugin; the points are only the hover and click targets
      // (as large as a cell, from the last layout).
      return {
        type: 'line',
        label: s.label,
        data: s.points as unknown[],
        showLine: false,
        borderColor: color,
        backgroundColor: color,
        pointStyle: 'rect',
        pointRadius: 0,
        pointHoverRadius: 0,
        pointHitRadius: this.cellHitRadius(),
        order: 3,
        hidden,
        seriesRef: s,
      } as unknown as AnyDataset;
    }
    const showLine = s.style !== 'points';
    // Plain (non-scriptable) options let chart.js share one resolved option set per dataset,
    // which is what keeps an update within a frame; the highlight is a separate overlay dataset.
    const radius = s.style === 'line' || s.style === 'dashed' || s.style === 'dotted' ? 0 : 4;
    return {
      type: 'line',
      label: s.label,
      data: s.points as unknown[],
      showLine,
      borderColor: stroke,
      backgroundColor: stroke,
      borderWidth: width,
      borderDash: s.style === 'dashed' ? [6, 4] : s.style === 'dotted' ? [2.5, 3] : [],
      pointStyle: s.marker ?? 'circle',
      pointRadius: radius,
      pointHitRadius: 6,
      pointHoverRadius: 7,
      yAxisID: s.axis ?? 'y',
      // Markers are drawn over curves (chart.js draws lower `order` on top).
      order: isMarkerStyle(s.style) ? 1 : 2,
      hidden,
      seriesRef: s,
    } as unknown as AnyDataset;
  }

  /** Rings around the points of the query under the cursor (not in the legend, not clickable). */
  private highlightOverlay(model: ChartModel): AnyDataset | undefined {
    if (this.highlight === null || model.categories) return undefined;
    const q = this.highlight;
    const points = model.series
      .filter(
        (s) =>
          !this.hidden.has(this.hiddenKey(s)) &&
          s.style !== 'line' &&
          s.style !== 'dashed' &&
          s.style !== 'dotted' &&
          s.style !== 'cell',
      )
      .flatMap((s) => s.points.filter((p) => p.q === q).map((p) => ({ ...p, axis: s.axis ?? 'y' })));
    const onY = points.filter((p) => p.axis === 'y');
    if (onY.length === 0) return undefined;
    return {
      type: 'line',
      label: '',
      data: onY as unknown[],
      showLine: false,
      borderColor: this.theme.fg,
      backgroundColor: 'transparent',
      borderWidth: 2,
      pointRadius: 9,
      pointHitRadius: 0,
      pointHoverRadius: 9,
      yAxisID: 'y',
      order: 0,
      overlay: true,
    } as unknown as AnyDataset;
  }

  /** Half a heatmap cell in pixels (from the last layout; a guess before the first). */
  private cellHitRadius(): number {
    const area = this.chart?.chartArea;
    const range = this.model?.x.range;
    if (!area || !range) return 12;
    return Math.max(3, (area.right - area.left) / (range[1] - range[0]) / 2);
  }

  /** Whether the highlighted query has any series on this chart (only then dim the others). */
  private highlightedHere(): boolean {
    return (
      this.model?.series.some((s) => this.highlight !== null && s.queries.includes(this.highlight)) ?? false
    );
  }

  private applyTheme(): void {
    this.appliedTheme = this.themeStamp;
    const t = this.theme;
    Chart.defaults.font.family = t.font;
    Chart.defaults.font.size = t.fontSize;
    Chart.defaults.color = t.fg;
    const o = this.chart.options;
    for (const scale of Object.values(o.scales ?? {})) {
      const s = scale as {
        grid: { color?: string };
        ticks: { color?: string };
        title: { color?: string };
        border?: { color?: string };
      };
      s.grid.color = withAlpha(t.grid, t.highContrast ? 0.9 : 0.5);
      s.ticks.color = t.fg;
      s.title.color = t.fg;
      s.border = { color: t.grid };
    }
    const plugins = o.plugins as Record<string, Record<string, unknown>>;
    plugins.tooltip.backgroundColor = t.bg;
    plugins.tooltip.titleColor = t.fg;
    plugins.tooltip.bodyColor = t.fg;
    plugins.tooltip.borderColor = t.grid;
    plugins.tooltip.borderWidth = 1;
    plugins.alignLabBackground = { color: t.bg };
    plugins.alignLabHeatmap = { fg: t.fg, bg: t.bg, font: t.font, fontSize: t.fontSize };
  }

  // ---- zoom (ZoomTarget) ----

  getWindow(): AxisWindow | undefined {
    const s = this.chart.options.scales as Record<string, { min?: number; max?: number }>;
    const pair = (a: { min?: number; max?: number }) =>
      a.min !== undefined && a.max !== undefined ? ([a.min, a.max] as const) : undefined;
    const w = { x: pair(s.x), y: pair(s.y) };
    return w.x || w.y ? w : undefined;
  }

  setWindow(w: AxisWindow | undefined): void {
    const s = this.chart.options.scales as Record<string, { min?: number; max?: number }>;
    s.x.min = w?.x?.[0];
    s.x.max = w?.x?.[1];
    s.y.min = w?.y?.[0];
    s.y.max = w?.y?.[1];
    this.chart.update('none');
  }

  resetZoom(): void {
    const s = this.chart.options.scales as Record<string, { min?: number; max?: number }>;
    for (const a of Object.values(s)) {
      a.min = undefined;
      a.max = undefined;
    }
    this.chart.update('none');
    this.hooks.viewChanged();
  }

  zoomed(): void {
    this.hooks.viewChanged();
  }

  /**
   * PNG of the chart as drawn, with its title above and its legend (the visible series) below,
   * on the theme background; base64 without the data: prefix.
   */
  toPngBase64(): string {
    this.flush();
    const chart = this.chart;
    const t = this.theme;
    const scale = chart.currentDevicePixelRatio || 1;
    const source = chart.canvas;
    const pad = 10 * scale;
    const font = (px: number, weight = '') => `${weight} ${px * scale}px ${t.font}`.trim();
    const entries = (this.model?.series ?? []).filter(
      (s) => s.points.length > 0 && !this.hidden.has(this.hiddenKey(s)),
    );
    const measure = document.createElement('canvas').getContext('2d');
    if (!measure) return chart.toBase64Image('image/png', 1).replace(/^data:image\/png;base64,/, '');
    // Legend rows: entries flow left to right and wrap at the chart's width.
    measure.font = font(t.fontSize);
    const swatch = 18 * scale;
    const rowHeight = t.fontSize * 1.6 * scale;
    const rows: { s: Series; x: number }[][] = [[]];
    let x = pad;
    for (const s of entries) {
      const w = swatch + 6 * scale + measure.measureText(s.label).width + 16 * scale;
      if (x + w > source.width - pad && rows[rows.length - 1].length > 0) {
        rows.push([]);
        x = pad;
      }
      rows[rows.length - 1].push({ s, x });
      x += w;
    }
    const titleHeight = (t.fontSize + 14) * scale;
    const legendHeight = entries.length > 0 ? rows.length * rowHeight + pad : 0;
    const out = document.createElement('canvas');
    out.width = source.width;
    out.height = titleHeight + source.height + legendHeight;
    const ctx = out.getContext('2d');
    if (!ctx) return chart.toBase64Image('image/png', 1).replace(/^data:image\/png;base64,/, '');
    ctx.fillStyle = t.bg;
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = t.fg;
    ctx.textBaseline = 'middle';
    ctx.font = font(t.fontSize + 1, '600');
    ctx.fillText(this.model?.title ?? '', pad, titleHeight / 2);
    ctx.drawImage(source, 0, titleHeight);
    ctx.font = font(t.fontSize);
    rows.forEach((row, i) => {
      const y = titleHeight + source.height + pad / 2 + (i + 0.5) * rowHeight;
      for (const { s, x } of row) {
        const color = this.colorOf(s);
        ctx.strokeStyle = color;
        ctx.fillStyle = color;
        if (isMarkerStyle(s.style) || s.style === 'bar' || s.style === 'cell') {
          ctx.beginPath();
          if (s.style === 'bar' || s.style === 'cell')
            ctx.rect(x + swatch / 2 - 4 * scale, y - 4 * scale, 8 * scale, 8 * scale);
          else ctx.arc(x + swatch / 2, y, 4 * scale, 0, 2 * Math.PI);
          ctx.fill();
        } else {
          ctx.lineWidth = 2 * scale;
          ctx.setLineDash(
            s.style === 'dashed'
              ? [6 * scale, 4 * scale]
              : s.style === 'dotted'
                ? [2.5 * scale, 3 * scale]
                : [],
          );
          ctx.beginPath();
          ctx.moveTo(x, y);
          ctx.lineTo(x + swatch, y);
          ctx.stroke();
          ctx.setLineDash([]);
        }
        ctx.fillStyle = t.fg;
        ctx.fillText(s.label, x + swatch + 6 * scale, y);
      }
    });
    return out.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
  }

  currentModel(): ChartModel | undefined {
    return this.pending ?? this.model;
  }

  destroy(): void {
    this.chart.destroy();
    this.card.remove();
  }
}

/** The points in ascending x (the same array when they already are). */
function sortedByX(points: Point[]): Point[] {
  for (let i = 1; i < points.length; i++)
    if (points[i].x < points[i - 1].x) return [...points].sort((a, b) => a.x - b.x);
  return points;
}

function el(tag: string, className?: string): HTMLElement {
  const e = document.createElement(tag);
  if (className) e.className = className;
  return e;
}

function button(text: string, title: string, onClick: () => void, action: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.title = title;
  b.dataset.action = action;
  b.addEventListener('click', onClick);
  return b;
}
