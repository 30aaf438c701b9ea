/**
 * Sliders for the numeric arguments (Δ, λ, β, N, log N, α, δ, the block b, the threshold τ and
 * the acceptance P(R ≥ τ)) of the query under the cursor.
 *
 * Ranges: each slider spans only valid values of its parameter (`sliderBounds` of the presentation
 * layer): Δ from 0 to the model's maximum KL, λ and log N from 0, N from 1 on a log scale; the
 * parameters that must be strictly positive (β, α, δ, P(R ≥ τ)) move on a log scale that never
 * reaches 0; a block length steps through the divisors of the model's length n, and a rejection
 * threshold spans the sequence rewards [n·r_min, n·r_max].
 * The value written is rounded to 4 significant digits towards the inside of the range, so a
 * slider at either end writes a valid value.
 *
 * Dragging shows the value and asks for a live preview (`preview`, throttled by the app): the
 * charts and formulas follow without the source being written. Releasing writes the source once
 * (`commit`: one undo step). Arrow keys, Page Up/Down, Home and End move a focused slider; the
 * value is written once the keys rest. When the argument is not a plain number, a note under the
 * slider says beforehand what moving it rewrites (a `let` it moves, or a reference or expression
 * it replaces with a number).
 */
import { PRESENTATION, sliderBounds } from '../src/presentation/kinds.js';
import type { Analysis, QueryParamSource, QueryResult, Range } from '../src/protocol/preview.js';
import { formatParameter, SLIDER_PARAMS, type SliderParam } from '../src/protocol/preview.js';
import type { Format } from './charts/model.js';
import { itemsOf } from './charts/select.js';
import { setText } from './dom.js';
import { queryParams } from './extras.js';

export interface SliderSpec {
  name: SliderParam;
  label: string;
  /** Slider positions: the value, or its logarithm on a log scale. */
  min: number;
  max: number;
  position: number;
  logScale: boolean;
  /** The values at the slider's ends (valid values: what the ends write). */
  bounds: { min: number; max: number };
  /**
   * The only values the parameter may take, ascending (block: the divisors of the model's length):
   * the slider's positions are then their indices.
   */
  values?: number[];
  /** The literal's range in the source, when the argument is a number literal. */
  literal?: Range;
  /** How the argument is written when it is not a number literal. */
  source?: QueryParamSource;
  /** What dragging rewrites, when more than the number itself (shown under the slider). */
  note?: { text: string; breaksLink: boolean };
}

const LABELS: Record<SliderParam, string> = {
  delta: 'Δ',
  lambda: 'λ',
  beta: 'β',
  N: 'N',
  logN: 'log N',
  alpha: 'α',
  rate: 'δ',
  block: 'b',
  threshold: 'τ',
  accept: 'P(R ≥ τ)',
};

/** The value a slider position writes (4 significant digits, inside the slider's bounds). */
export function valueAt(s: SliderSpec, position: number): number {
  if (s.values && s.values.length > 0)
    return s.values[Math.min(s.values.length - 1, Math.max(0, Math.round(position)))];
  const raw = s.logScale ? Math.exp(position) : position;
  const clamped = Math.min(s.bounds.max, Math.max(s.bounds.min, raw));
  return Number(formatParameter(s.name, clamped, s.bounds));
}

/** The main parameter of each kind and its current value, from the stable results contract. */
function fallbackParams(r: QueryResult): { name: SliderParam; value: number }[] {
  if (r.value === undefined) return [];
  switch (r.query) {
    case 'tilt':
      return [{ name: 'delta', value: r.value.kl }];
    case 'bon':
      return r.value.N === null
        ? [{ name: 'logN', value: r.value.log_n }]
        : [{ name: 'N', value: r.value.N }];
    case 'renyi':
      return [{ name: 'alpha', value: r.value.alpha }];
    case 'equivalence':
      return [{ name: 'rate', value: r.value.rate }];
    case 'rate':
    case 'cumulants':
      return r.value.lambda === null ? [] : [{ name: 'lambda', value: r.value.lambda }];
    case 'methods':
      return [
        ...(r.value.lambda === null ? [] : [{ name: 'lambda' as const, value: r.value.lambda }]),
        { name: 'block', value: r.value.block },
      ];
    default:
      return [];
  }
}

/**
 * The sliders of result `query` of `analysis`. `literals`: the params' source ranges belong to the
 * document version the sliders write to (else no literal ranges are offered).
 */
export function sliderSpecs(analysis: Analysis, query: number, literals = true): SliderSpec[] {
  const result = analysis.results[query];
  if (!result || result.value === undefined) return [];
  // The largest useful Δ: from the model summary when the evaluator gives one, else a frontier.
  const summary = analysis.models?.find((m) => m.name === result.model);
  const maxKl =
    summary?.max_kl ?? itemsOf(analysis, 'frontier').find((i) => i.model === result.model)?.value.max_kl;
  const n = summary?.length;
  const limits: Limits = {
    maxKl: maxKl ?? undefined,
    maxKlPerToken: maxKl !== undefined && maxKl !== null && n ? maxKl / n : undefined,
    length: n,
    // The sequence reward R lies in [n·r_min, n·r_max].
    reward:
      n && summary?.r_min != null && summary.r_max != null
        ? [n * summary.r_min, n * summary.r_max]
        : undefined,
  };
  const given = queryParams(result).flatMap((p) => {
    const name = SLIDER_PARAMS.find((n) => n === p.name);
    if (!name) return [];
    return [{ name, value: p.value, literal: p.source || !literals ? undefined : p.range, source: p.source }];
  });
  const params: { name: SliderParam; value: number; literal?: Range; source?: QueryParamSource }[] =
    given.length > 0 ? given : fallbackParams(result);
  // methods: its optional λ (or β) and block have sliders even when not written (they are appended).
  if (result.query === 'methods' && given.length > 0)
    for (const p of fallbackParams(result))
      if (!params.some((g) => g.name === p.name || (p.name === 'lambda' && g.name === 'beta')))
        params.push(p);
  return params.flatMap((p) => {
    const s = spec(result.query, p.name, p.value, limits);
    if (!s) return [];
    const withSource = { ...s, literal: p.literal, source: p.source };
    const line = (r: Range | undefined) => (r ? ` (line ${r.start.line + 1})` : '');
    const note = p.source ? noteFor(s.label, p.source, line) : undefined;
    return [note ? { ...withSource, note } : withSource];
  });
}

/** What moving a slider rewrites when its argument is not a number literal (said before a drag). */
function noteFor(
  label: string,
  source: QueryParamSource,
  line: (r: Range | undefined) => string,
): SliderSpec['note'] {
  const name = source.let ?? '';
  switch (source.kind) {
    case 'let':
      return {
        text: `Moves the value of let ${name}${line(source.definition)}; this query keeps its reference to it.`,
        breaksLink: false,
      };
    case 'reference':
      return (source.uses ?? 0) > 1
        ? {
            text: `${label} = ${name}, which is used in ${source.uses} places: moving this slider writes a number here instead of ${name} (the other uses keep it).`,
            breaksLink: true,
          }
        : {
            text: `${label} = ${name}, defined by an expression${line(source.definition)}: moving this slider writes a number here instead of ${name}.`,
            breaksLink: true,
          };
    case 'expression':
      return {
        text: `${label} is written as an expression: moving this slider replaces it with a number.`,
        breaksLink: true,
      };
  }
}

/** What the model says about the valid ranges: its maximum KL, its length n and the range of R. */
interface Limits {
  maxKl?: number;
  maxKlPerToken?: number;
  length?: number;
  reward?: [number, number];
}

/** The divisors of n, ascending (the block lengths a model of length n allows). */
export function divisors(n: number): number[] {
  const lo: number[] = [];
  const hi: number[] = [];
  for (let d = 1; d * d <= n; d++)
    if (n % d === 0) {
      lo.push(d);
      if (d * d !== n) hi.unshift(n / d);
    }
  return [...lo, ...hi];
}

/** The slider of parameter `name` of a `kind` query at `value`, over the parameter's valid range. */
function spec(
  kind: QueryResult['query'],
  name: SliderParam,
  value: number,
  limits: Limits,
): Omit<SliderSpec, 'literal' | 'source' | 'note'> | undefined {
  if (name === 'threshold') return thresholdSpec(kind, value, limits);
  const b = sliderBounds(kind, name);
  if (!b) return undefined;
  if (name === 'block') {
    // b must divide n: the slider steps through the divisors.
    const n = limits.length;
    if (!n || !Number.isInteger(n) || n < 1) return undefined;
    const values = divisors(n).filter((d) => d >= b.min && (b.max === undefined || d <= b.max));
    if (values.length < 2) return undefined;
    let at = 0;
    values.forEach((d, i) => {
      if (Math.abs(d - value) < Math.abs(values[at] - value)) at = i;
    });
    return {
      name,
      label: LABELS[name],
      min: 0,
      max: values.length - 1,
      position: at,
      logScale: false,
      bounds: { min: values[0], max: values[values.length - 1] },
      values,
    };
  }
  const v = Number.isFinite(value) ? value : b.min;
  const usable = (x: number | undefined) => (x !== undefined && Number.isFinite(x) && x > 0 ? x : undefined);
  let lo = b.min;
  let hi: number;
  let logScale = b.logScale;
  switch (name) {
    case 'delta':
      hi = usable(limits.maxKl) ?? Math.max(1, 4 * v);
      break;
    case 'lambda':
      hi = Math.max(5, 3 * v);
      break;
    case 'logN':
      hi = Math.max(10, 2 * v);
      break;
    case 'N':
      hi = Math.max(1e4, v * v);
      break;
    case 'beta':
      [lo, hi] = [Math.min(0.01, v / 2), Math.max(100, 2 * v)];
      break;
    case 'alpha':
      [lo, hi] = [Math.min(0.1, v / 2), Math.max(10, 2 * v)];
      break;
    case 'rate': {
      hi = usable(limits.maxKlPerToken) ?? Math.max(1, 3 * v);
      lo = Math.min(hi / 1000, v / 2);
      break;
    }
    case 'accept':
      hi = 1;
      lo = Math.min(1e-3, v / 2);
      break;
    default:
      return undefined;
  }
  // An open lower bound is never reached: those parameters move on a log scale above it.
  if (b.minExclusive) {
    logScale = true;
    if (!(lo > b.min)) lo = hi / 1000;
  }
  if (b.max !== undefined) hi = Math.min(hi, b.max);
  // The ends are written as values: make them exactly what 4 digits write (inside the range).
  const bounds = { min: lo, max: hi };
  bounds.min = Number(formatParameter(name, lo, { min: lo, max: hi }));
  bounds.max = Number(formatParameter(name, hi, { min: lo, max: hi }));
  if (b.minExclusive && !(bounds.min > b.min)) bounds.min = lo;
  const toPos = (x: number) => (logScale ? Math.log(x) : x);
  const clamped = Math.min(bounds.max, Math.max(bounds.min, v));
  return {
    name,
    label: LABELS[name],
    min: toPos(bounds.min),
    max: toPos(bounds.max),
    position: toPos(clamped),
    logScale,
    bounds,
  };
}

/**
 * The threshold τ of `reject`: a level of the sequence reward R, from n·r_min (every sequence is
 * accepted) to n·r_max (only the best); the language has no fixed bounds for it.
 */
function thresholdSpec(
  kind: QueryResult['query'],
  value: number,
  limits: Limits,
): Omit<SliderSpec, 'literal' | 'source' | 'note'> | undefined {
  if (!(PRESENTATION[kind].sliders as readonly string[]).includes('threshold') || !limits.reward)
    return undefined;
  const [lo, hi] = limits.reward;
  if (!(hi > lo)) return undefined;
  const bounds = {
    min: Number(formatParameter('threshold', lo, { min: lo, max: hi })),
    max: Number(formatParameter('threshold', hi, { min: lo, max: hi })),
  };
  const v = Number.isFinite(value) ? value : lo;
  return {
    name: 'threshold',
    label: LABELS.threshold,
    min: bounds.min,
    max: bounds.max,
    position: Math.min(bounds.max, Math.max(bounds.min, v)),
    logScale: false,
    bounds,
  };
}

/** How far a key moves a slider, as a fraction of its track. */
const KEY_STEP = 0.01;
const PAGE_STEP = 0.1;
/** Keyboard moves are written once the keys rest this long (one undo step per burst). */
const KEY_COMMIT_MS = 700;

export interface SliderHooks {
  /** The slider moved (dragging or keys): preview this value without writing. */
  preview(spec: SliderSpec, value: number): void;
  /** Write this value into the source (released, or keys at rest). */
  commit(spec: SliderSpec, value: number): void;
  /** Released where it started: nothing to write, drop the preview. */
  cancel(spec: SliderSpec): void;
}

interface Row {
  spec: SliderSpec;
  /** The value last written from this slider (until new results move it). */
  written?: number;
  row: HTMLElement;
  input: HTMLInputElement;
  out: HTMLOutputElement;
  note: HTMLElement;
}

export class SliderPanel {
  private key = '';
  private version = -1;
  private rows: Row[] = [];
  private active: Row | undefined;
  /** The slider moved last (a refusal of its value is said under it). */
  private moved: Row | undefined;
  private keyTimer: ReturnType<typeof setTimeout> | undefined;
  private format: Format = String;

  constructor(
    private readonly root: HTMLElement,
    private readonly hooks: SliderHooks,
  ) {}

  /** A slider is being moved (pointer down, or keys not yet written): the app holds its updates. */
  get busy(): boolean {
    return this.active !== undefined;
  }

  /** Shows the sliders of one query (`key` identifies it); keeps the DOM when only values changed. */
  update(key: string, specs: SliderSpec[], format: Format, version: number): void {
    this.format = format;
    // Never rebuild under the user's pointer or keys; the next update after the write catches up.
    if (this.active) return;
    // New results: a value written before is now in them (or was not written at all).
    if (version !== this.version) for (const r of this.rows) r.written = undefined;
    this.version = version;
    const sameShape =
      key === this.key &&
      specs.length === this.rows.length &&
      specs.every((s, i) => s.name === this.rows[i].spec.name);
    this.key = key;
    this.root.hidden = specs.length === 0;
    if (sameShape) {
      specs.forEach((s, i) => {
        this.refresh(this.rows[i], s);
      });
      return;
    }
    this.rows = specs.map((s) => this.slider(s));
    this.root.replaceChildren(...this.rows.map((r) => r.row));
  }

  /** The server refused a value: say why under the slider (until the next move). */
  showRefusal(message: string): void {
    const row = this.active ?? this.moved ?? this.rows[0];
    if (!row || !this.rows.includes(row)) return;
    if (!this.active) {
      // Back to the document's value.
      row.written = undefined;
      row.input.value = String(row.spec.position);
      this.show(row, valueAt(row.spec, row.spec.position));
    }
    row.note.hidden = false;
    row.note.className = 'note refused';
    row.note.setAttribute('role', 'alert');
    setText(row.note, message);
  }

  private refresh(r: Row, s: SliderSpec): void {
    r.spec = s;
    const set = (attr: 'min' | 'max', v: number) => {
      if (r.input[attr] !== String(v)) r.input[attr] = String(v);
    };
    set('min', s.min);
    set('max', s.max);
    // A value just written stays where the user left it until the results that carry it arrive.
    if (r.written === undefined && Number(r.input.value) !== s.position) r.input.value = String(s.position);
    this.show(r, r.written ?? valueAt(s, s.position));
    this.showNote(r);
  }

  private show(r: Row, value: number): void {
    const text = this.format(value);
    setText(r.out, text);
    r.input.setAttribute('aria-valuetext', `${r.spec.label} = ${text}`);
  }

  private showNote(r: Row): void {
    const note = r.spec.note;
    r.note.hidden = !note;
    r.note.removeAttribute('role');
    r.note.className = `note${note?.breaksLink ? ' breaks-link' : ''}`;
    setText(r.note, note?.text ?? '');
  }

  private slider(s: SliderSpec): Row {
    const row = document.createElement('div');
    row.className = 'slider';
    row.dataset.param = s.name;
    const name = document.createElement('label');
    name.className = 'name';
    name.textContent = s.label;
    const input = document.createElement('input');
    input.type = 'range';
    input.id = `slider-${s.name}`;
    name.htmlFor = input.id;
    // Any position: the written value is rounded to 4 significant digits anyway.
    input.step = 'any';
    const out = document.createElement('output');
    out.htmlFor.add(input.id);
    const note = document.createElement('p');
    note.id = `slider-${s.name}-note`;
    input.setAttribute('aria-describedby', note.id);
    const r: Row = { spec: s, row, input, out, note };
    input.min = String(s.min);
    input.max = String(s.max);
    input.value = String(s.position);
    this.show(r, valueAt(s, s.position));
    this.showNote(r);
    input.title = `${s.label}: drag (or use the arrow keys) to preview, release to write the value into the source (one undo step)`;

    const moved = () => {
      this.moved = r;
      const value = valueAt(r.spec, Number(input.value));
      this.show(r, value);
      this.showNote(r);
      this.hooks.preview(r.spec, value);
    };
    const commit = () => {
      clearTimeout(this.keyTimer);
      this.keyTimer = undefined;
      this.active = undefined;
      const value = valueAt(r.spec, Number(input.value));
      // Written once: the release and the `change` that follows it are one gesture.
      if (value === r.written) return;
      if (value !== valueAt(r.spec, r.spec.position)) {
        r.written = value;
        this.hooks.commit(r.spec, value);
      } else this.hooks.cancel(r.spec);
    };
    input.addEventListener('pointerdown', () => {
      this.active = r;
    });
    // A press released without moving fires no `change`, so the release itself ends the gesture.
    const released = () => {
      if (this.keyTimer === undefined && this.active === r) commit();
    };
    input.addEventListener('pointerup', released);
    input.addEventListener('pointercancel', released);
    input.addEventListener('input', () => {
      this.active = r;
      moved();
    });
    // `change` fires on release (pointer) — and after keyboard moves, which wait for the keys to rest.
    input.addEventListener('change', () => {
      if (this.keyTimer === undefined) commit();
    });
    input.addEventListener('keydown', (e) => {
      const span = r.spec.max - r.spec.min;
      // A slider over a few allowed values (block) moves one value per key.
      const key = r.spec.values ? 1 / span : KEY_STEP;
      const page = r.spec.values ? Math.max(1, Math.round(span / 4)) / span : PAGE_STEP;
      const steps: Record<string, number> = {
        ArrowRight: key,
        ArrowUp: key,
        ArrowLeft: -key,
        ArrowDown: -key,
        PageUp: page,
        PageDown: -page,
      };
      let position: number;
      if (e.key in steps) position = Number(input.value) + steps[e.key] * span;
      else if (e.key === 'Home') position = r.spec.min;
      else if (e.key === 'End') position = r.spec.max;
      else return;
      e.preventDefault();
      input.value = String(Math.min(r.spec.max, Math.max(r.spec.min, position)));
      this.active = r;
      moved();
      clearTimeout(this.keyTimer);
      this.keyTimer = setTimeout(commit, KEY_COMMIT_MS);
    });
    input.addEventListener('blur', () => {
      if (this.keyTimer !== undefined) commit();
    });
    const track = document.createElement('div');
    track.className = 'track';
    track.append(input, out);
    row.append(name, track, note);
    return r;
  }
}
