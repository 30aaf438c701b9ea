/**
 * What each query's values look like in the editor: the rows of the hover table and the short
 * headline of the inlay hint. One table per query kind, so the two never disagree.
 */
import type { QueryResult, QueryValues } from '../presentation/results.js';
import { fmt } from './numbers.js';

export interface Row {
  readonly name: string;
  readonly value: string;
  readonly unit?: string;
}

type Readout<K extends keyof QueryValues> = {
  rows(v: QueryValues[K], d: number): Row[];
  headline(v: QueryValues[K], d: number): string;
  /** An optional second table (curves): header and rows of cells, at most ~12 rows. */
  series?(v: QueryValues[K], d: number): { header: string[]; rows: string[][] } | undefined;
};

const nats = 'nats';
const perTok = 'per token';

/** Evenly spaced sample of at most `max` entries (first and last included). */
function sample<T>(xs: readonly T[], max: number): T[] {
  if (xs.length <= max) return [...xs];
  return Array.from({ length: max }, (_, i) => xs[Math.round((i * (xs.length - 1)) / (max - 1))]);
}

const readouts: { [K in keyof QueryValues]: Readout<K> } = {
  tilt: {
    rows: (v, d) => [
      { name: 'λ (tilt)', value: fmt(v.lambda, d) },
      { name: 'β = 1/λ', value: fmt(v.beta, d) },
      { name: 'KL(φ‖pⁿ)', value: fmt(v.kl, d), unit: nats },
      { name: 'E_φ[R]', value: fmt(v.reward, d) },
      { name: 'KL per token', value: fmt(v.kl_per_token, d), unit: nats },
      { name: 'E_φ[r] per token', value: fmt(v.reward_per_token, d) },
    ],
    headline: (v, d) => `λ=${fmt(v.lambda, d)}, E[R]=${fmt(v.reward, d)}`,
  },
  frontier: {
    rows: (v, d) => [
      { name: 'points', value: String(v.points.length) },
      { name: 'max KL n·(−log p(M))', value: fmt(v.max_kl, d), unit: nats },
      { name: 'max E[R] = n·r_max', value: fmt(v.max_reward, d) },
    ],
    headline: (v, d) => `max KL=${fmt(v.max_kl, d)}, max E[R]=${fmt(v.max_reward, d)}`,
    series: (v, d) => ({
      header: ['λ', 'KL (nats)', 'E[R]'],
      rows: sample(v.points, 9).map((p) => [fmt(p.lambda, d), fmt(p.kl, d), fmt(p.reward, d)]),
    }),
  },
  bon: {
    rows: (v, d) => [
      { name: 'N', value: fmt(v.N, d) },
      { name: 'log N', value: fmt(v.log_n, d), unit: nats },
      { name: 'E_BoN[R]', value: fmt(v.reward, d) },
      { name: 'KL(BoN‖pⁿ)', value: fmt(v.kl, d), unit: nats },
      { name: 'bound log N − (N−1)/N', value: fmt(v.kl_bound, d), unit: nats },
      { name: 'KL-RL at the same KL: λ', value: fmt(v.same_kl.lambda, d) },
      { name: 'KL-RL at the same KL: E[R]', value: fmt(v.same_kl.reward, d) },
      { name: 'KL-RL at Δ = log N: λ', value: fmt(v.log_n_budget.lambda, d) },
      { name: 'KL-RL at Δ = log N: E[R]', value: fmt(v.log_n_budget.reward, d) },
      { name: 'KL(BoN‖φ_λ) at Δ = log N', value: fmt(v.log_n_budget.kl_bon_to_tilt, d), unit: nats },
      { name: 'law of R', value: v.exact ? 'exact' : 'approximate' },
    ],
    headline: (v, d) => `E[R]=${fmt(v.reward, d)}, KL=${fmt(v.kl, d)}`,
  },
  equivalence: {
    rows: (v, d) => [
      { name: 'δ (rate)', value: fmt(v.rate, d), unit: `${nats} ${perTok}` },
      { name: 'λ* with D(λ*) = δ', value: fmt(v.lambda, d) },
      { name: 'KL-RL E[r] per token', value: fmt(v.rl_reward_per_token, d) },
    ],
    headline: (v, d) => {
      const last = v.points[v.points.length - 1];
      const bon = last ? `, BoN E[R]/n=${fmt(last.bon_reward_per_token, d)} @n=${last.n}` : '';
      return `RL E[R]/n=${fmt(v.rl_reward_per_token, d)}${bon}`;
    },
    series: (v, d) => ({
      header: ['n', 'BoN E[R]/n', 'KL/n (nats)', 'KL(BoN‖φ)/n'],
      rows: sample(v.points, 10).map((p) => [
        String(p.n),
        fmt(p.bon_reward_per_token, d),
        fmt(p.kl_per_token, d),
        fmt(p.kl_to_rl_per_token, d),
      ]),
    }),
  },
  rate: {
    rows: (v, d) => {
      const rows: Row[] = [
        { name: 'λ', value: fmt(v.lambda, d) },
        { name: 'mean A′(λ)', value: fmt(v.mean, d), unit: perTok },
      ];
      if (v.points.length === 1) {
        const p = v.points[0];
        rows.push(
          { name: 'x', value: fmt(p.x, d), unit: perTok },
          { name: 'rate I_λ(x)', value: fmt(p.rate, d), unit: `${nats} ${perTok}` },
          { name: 'tail exponent −(1/n) log P', value: fmt(p.tail_rate, d), unit: `${nats} ${perTok}` },
        );
      }
      return rows;
    },
    headline: (v, d) =>
      v.points.length === 1
        ? `I(${fmt(v.points[0].x, d)})=${fmt(v.points[0].rate, d)}`
        : `λ=${fmt(v.lambda, d)}, mean=${fmt(v.mean, d)}`,
    series: (v, d) =>
      v.points.length > 1
        ? {
            header: ['x', 'I_λ(x)', 'tail exponent'],
            rows: sample(v.points, 9).map((p) => [fmt(p.x, d), fmt(p.rate, d), fmt(p.tail_rate, d)]),
          }
        : undefined,
  },
  cumulants: {
    rows: (v, d) => [
      { name: 'λ', value: fmt(v.lambda, d) },
      ...v.kappa.map((k, i) => ({ name: `κ${subscript(i + 1)} of R`, value: fmt(k, d) })),
    ],
    headline: (v, d) =>
      v.kappa
        .slice(0, 2)
        .map((k, i) => `κ${subscript(i + 1)}=${fmt(k, d)}`)
        .join(', '),
  },
  renyi: {
    rows: (v, d) => [
      { name: 'α', value: fmt(v.alpha, d) },
      { name: 'H_α(p, q)', value: fmt(v.cross_entropy, d), unit: nats },
      { name: 'log C = log Σ e^r', value: fmt(v.log_c, d) },
    ],
    headline: (v, d) => `H_${fmt(v.alpha, d)}=${fmt(v.cross_entropy, d)}`,
  },
  compare: {
    rows: (v, d) => [
      { name: 'KL(q‖pⁿ)', value: fmt(v.kl, d), unit: nats },
      { name: 'E_q[R]', value: fmt(v.reward, d) },
      { name: 'frontier E[R] at that KL', value: fmt(v.frontier_reward, d) },
      { name: 'gap ε', value: fmt(v.gap, d) },
      { name: 'λ', value: fmt(v.lambda, d) },
      { name: 'KL(q‖φ_Δ)', value: fmt(v.kl_to_optimal, d), unit: nats },
      { name: 'bound λ·ε', value: fmt(v.bound, d), unit: nats },
    ],
    headline: (v, d) => `gap=${fmt(v.gap, d)}, KL(q‖φ)=${fmt(v.kl_to_optimal, d)}`,
  },
  simulate: {
    rows: (v, d) => [
      { name: 'method', value: v.method },
      { name: 'samples', value: String(v.samples) },
      { name: 'seed', value: String(v.seed) },
      { name: 'mean of R', value: fmt(v.reward_mean, d) },
      { name: 'standard error', value: fmt(v.reward_stderr, d) },
    ],
    headline: (v, d) => `E[R]≈${fmt(v.reward_mean, d)} ± ${fmt(v.reward_stderr, 2)}`,
  },
};

function subscript(n: number): string {
  return String(n).replace(/\d/g, (c) => '₀₁₂₃₄₅₆₇₈₉'[Number(c)]);
}

// The mapped type above guarantees one readout per kind; this narrows a result to its readout.
function readoutOf(r: QueryResult): Readout<keyof QueryValues> {
  return readouts[r.query] as unknown as Readout<keyof QueryValues>;
}

export function headline(r: QueryResult, digits: number): string | undefined {
  if (r.value === undefined) return undefined;
  return readoutOf(r).headline(r.value as never, digits);
}

export function rows(r: QueryResult, digits: number): Row[] {
  if (r.value === undefined) return [];
  return readoutOf(r).rows(r.value as never, digits);
}

export function series(r: QueryResult, digits: number): { header: string[]; rows: string[][] } | undefined {
  if (r.value === undefined) return undefined;
  return readoutOf(r).series?.(r.value as never, digits);
}
