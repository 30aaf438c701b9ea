/**
 * Sliders for the numeric arguments (Δ, λ, β, N, log N, α, δ) of the query under the cursor.
 * Dragging only updates the read-out; releasing sends ONE setParameter message, so each drag is one
 * undo step in the editor. Which parameters the query was written with comes from `result.params`
 * when the evaluator provides it; otherwise each query kind offers its main parameter, with the
 * current value read from the results.
 */
import type { Analysis, QueryResult, Range } from '../src/protocol/preview.js';
import { formatParameter, SLIDER_PARAMS, type SliderParam } from '../src/protocol/preview.js';
import { fmt } from './charts/model.js';
import { itemsOf } from './charts/select.js';
import { queryParams } from './extras.js';

export interface SliderSpec {
  name: SliderParam;
  label: string;
  /** Slider position ↔ parameter value (N moves on a log scale). */
  min: number;
  max: number;
  position: number;
  toValue(position: number): number;
  /** The literal's range in the source, when known. */
  literal?: Range;
}

const LABELS: Record<SliderParam, string> = {
  delta: 'Δ',
  lambda: 'λ',
  beta: 'β',
  N: 'N',
  logN: 'log N',
  alpha: 'α',
  rate: 'δ',
};

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
    default:
      return [];
  }
}

export function sliderSpecs(analysis: Analysis, query: number): SliderSpec[] {
  const result = analysis.results[query];
  if (!result || result.value === undefined) return [];
  // The largest useful Δ: from the model summary when the evaluator gives one, else a frontier.
  const summary = analysis.models?.find((m) => m.name === result.model)?.max_kl;
  const maxKl = summary ?? itemsOf(analysis, 'frontier').find((f) => f.model === result.model)?.value.max_kl;
  const given = queryParams(result).flatMap((p) => {
    const name = SLIDER_PARAMS.find((n) => n === p.name);
    return name ? [{ name, value: p.value, literal: p.range }] : [];
  });
  const params: { name: SliderParam; value: number; literal?: Range }[] =
    given.length > 0 ? given : fallbackParams(result);
  return params.map((p) => spec(p.name, p.value, p.literal, maxKl));
}

function spec(
  name: SliderParam,
  value: number,
  literal: Range | undefined,
  maxKl: number | undefined,
): SliderSpec {
  const base = { name, label: LABELS[name], literal };
  const linear = (max: number) => ({ ...base, min: 0, max, position: value, toValue: (x: number) => x });
  switch (name) {
    case 'delta':
      return linear(
        maxKl !== undefined && maxKl > 0 && Number.isFinite(maxKl)
          ? Math.max(maxKl, value)
          : Math.max(1, 4 * value),
      );
    case 'lambda':
    case 'beta':
    case 'alpha':
      return linear(Math.max(5, 3 * value));
    case 'rate':
      return linear(Math.max(1, 3 * value));
    case 'logN':
      return linear(Math.max(10, 2 * value));
    case 'N': {
      const logN = Math.log(Math.max(1, value));
      return {
        ...base,
        min: 0,
        max: Math.max(Math.log(1e4), 2 * logN),
        position: logN,
        toValue: (x) => Math.exp(x),
      };
    }
  }
}

export class SliderPanel {
  private key = '';
  private dragging = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly set: (query: number, spec: SliderSpec, value: number) => void,
  ) {}

  update(analysis: Analysis | undefined, query: number | null): void {
    const specs = analysis && query !== null ? sliderSpecs(analysis, query) : [];
    const key = JSON.stringify([query, specs.map((s) => [s.name, s.position, s.literal])]);
    // Never rebuild under the user's pointer; the next update after release catches up.
    if (this.dragging || key === this.key) return;
    this.key = key;
    this.root.replaceChildren();
    this.root.hidden = specs.length === 0;
    if (query === null) return;
    for (const s of specs) this.root.append(this.slider(query, s));
  }

  private slider(query: number, s: SliderSpec): HTMLElement {
    const row = document.createElement('label');
    row.className = 'slider';
    row.dataset.param = s.name;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = s.label;
    const input = document.createElement('input');
    input.type = 'range';
    input.min = String(s.min);
    input.max = String(s.max);
    // Any value: the written literal is rounded to 4 significant digits anyway.
    input.step = 'any';
    input.value = String(s.position);
    const out = document.createElement('output');
    const value = () => Number(formatParameter(s.name, s.toValue(Number(input.value))));
    const show = () => {
      out.textContent = formatParameter(s.name, s.toValue(Number(input.value)));
    };
    show();
    input.addEventListener('pointerdown', () => {
      this.dragging = true;
    });
    input.addEventListener('input', show);
    input.addEventListener('change', () => {
      this.dragging = false;
      this.set(query, s, value());
    });
    input.title = `${s.label} = ${fmt(s.toValue(s.position))}: drag, then release to write the new value into the source (one undo step)`;
    row.append(name, input, out);
    return row;
  }
}
