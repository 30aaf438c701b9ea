/**
 * Optional fields the charts use when the results contract provides them (docs/preview.md lists
 * them). Each reader validates what it finds, so an older or newer evaluator never breaks a chart:
 * a missing or malformed field just means the chart falls back to what the stable contract offers.
 */
import { finiteTokenTable, type TokenRecord } from '../src/presentation/tokens.js';
import type { BonCurvePoint, QueryParamSource, Range } from '../src/protocol/preview.js';

export type { BonCurvePoint };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Rows of `value[key]` whose listed fields are all finite numbers (others are dropped). */
function rows<K extends string>(value: unknown, key: string, fields: readonly K[]): Record<K, number>[] {
  if (!isObject(value)) return [];
  const list = value[key];
  if (!Array.isArray(list)) return [];
  return list.filter((r): r is Record<K, number> => isObject(r) && fields.every((f) => finite(r[f])));
}

/** `bon.curve`: the best-of-N curve for N = 1…N_max (the KL-RL rewards only when finite). */
export function bonCurve(value: unknown): BonCurvePoint[] {
  return rows(value, 'curve', ['log_n', 'reward', 'kl', 'kl_bound'] as const).map((r) => {
    const raw = r as Record<string, unknown>;
    return {
      ...r,
      same_kl_reward: finite(raw.same_kl_reward) ? raw.same_kl_reward : undefined,
      log_n_budget_reward: finite(raw.log_n_budget_reward) ? raw.log_n_budget_reward : undefined,
    };
  });
}

/** `cumulants.cgf`: samples of the scaled CGF Λ(t). */
export function cgfSamples(value: unknown): { t: number; value: number }[] {
  return rows(value, 'cgf', ['t', 'value'] as const);
}

/** `renyi.curve`: H_α(p, q) over a grid of α. */
export function renyiCurve(value: unknown): { alpha: number; cross_entropy: number }[] {
  return rows(value, 'curve', ['alpha', 'cross_entropy'] as const);
}

/** `tilt.p` / `tilt.r`: the base model and reward per token. */
export function tokenTable(value: unknown, key: 'p' | 'r'): TokenRecord | undefined {
  return isObject(value) ? finiteTokenTable(value[key]) : undefined;
}

/** `simulate.kl` / `simulate.log_n` / `simulate.exact_reward`: where a Monte Carlo estimate sits. */
export function simulatePlacement(value: unknown): { kl?: number; log_n?: number; exact_reward?: number } {
  if (!isObject(value)) return {};
  return {
    kl: finite(value.kl) ? value.kl : undefined,
    log_n: finite(value.log_n) ? value.log_n : undefined,
    exact_reward: finite(value.exact_reward) ? value.exact_reward : undefined,
  };
}

/** A query's numeric argument, the source range of its value and how it is written (`result.params`). */
export interface QueryParam {
  name: string;
  value: number;
  range: Range;
  source?: QueryParamSource;
}
const isPos = (p: unknown) => isObject(p) && finite(p.line) && finite(p.character);
const isRange = (r: unknown): r is Range => isObject(r) && isPos(r.start) && isPos(r.end);
const SOURCE_KINDS = new Set(['let', 'reference', 'expression']);

/** `param.source`, when well formed (anything else is treated as "unknown": no note, no literal). */
function paramSource(x: unknown): QueryParamSource | undefined {
  if (!isObject(x) || typeof x.kind !== 'string' || !SOURCE_KINDS.has(x.kind)) return undefined;
  return {
    kind: x.kind as QueryParamSource['kind'],
    ...(typeof x.let === 'string' ? { let: x.let } : {}),
    ...(isRange(x.definition) ? { definition: x.definition } : {}),
    ...(finite(x.uses) ? { uses: x.uses } : {}),
  };
}

export function queryParams(result: unknown): QueryParam[] {
  if (!isObject(result) || !Array.isArray(result.params)) return [];
  return result.params.flatMap((p): QueryParam[] => {
    if (!isObject(p) || typeof p.name !== 'string' || !finite(p.value) || !isRange(p.range)) return [];
    const source = p.source === undefined ? undefined : (paramSource(p.source) ?? { kind: 'expression' });
    return [{ name: p.name, value: p.value, range: p.range, ...(source ? { source } : {}) }];
  });
}
