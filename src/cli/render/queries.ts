/**
 * Human-readable tables for each query kind of the results contract. One function per kind so a
 * new kind in results.ts is a compile error here until it has a renderer.
 */
import type { QueryValues } from '../../presentation/results.js';
import { quoted, visible } from '../escape.js';
import { formatCount, formatNumber } from '../format.js';
import { renderTable } from '../table.js';
import { curveTable, type Quantity, quantityTable } from './blocks.js';

/** Tokens of φ_λ shown in the human table (a 50k vocabulary prints its most likely tokens). */
const TOP_TOKENS = 10;

type Renderers = { [K in keyof QueryValues]: (value: QueryValues[K]) => string[] };

/** Compact JSON of an unknown value, with no hidden control left raw. */
function quotedJson(value: unknown): string {
  return visible(JSON.stringify(value, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? null : x)));
}

function tiltLines(v: QueryValues['tilt']): string[] {
  const rows: Quantity[] = [
    ['λ', v.lambda, ''],
    ['β = 1/λ', v.beta, ''],
    ['KL(φ_λ‖pⁿ)', v.kl, 'nats'],
    ['KL per token', v.kl_per_token, 'nats'],
    ['E[R] under φ_λ', v.reward, 'reward'],
    ['E[r] per token', v.reward_per_token, 'reward'],
  ];
  return [...quantityTable(rows), '', ...phiTable(v.phi)];
}

function phiTable(phi: Record<string, number>): string[] {
  const entries = Object.entries(phi).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const shown = entries.slice(0, TOP_TOKENS);
  const out = renderTable(
    [
      { header: 'token', align: 'left' },
      { header: 'φ_λ(token)', align: 'right' },
    ],
    shown.map(([token, mass]) => [quoted(token), formatNumber(mass)]),
  );
  if (entries.length > shown.length)
    out.push(`  (${shown.length} most likely of ${entries.length} tokens shown)`);
  return out;
}

function frontierLines(v: QueryValues['frontier']): string[] {
  return [
    ...quantityTable([
      ['max KL', v.max_kl, 'nats'],
      ['max E[R]', v.max_reward, 'reward'],
    ]),
    '',
    ...curveTable<QueryValues['frontier']['points'][number]>(
      [
        { header: 'λ', cell: (p) => p.lambda },
        { header: 'KL (nats)', cell: (p) => p.kl },
        { header: 'E[R]', cell: (p) => p.reward },
      ],
      v.points,
    ),
  ];
}

function bonLines(v: QueryValues['bon']): string[] {
  return quantityTable([
    ['N', v.N, ''],
    ['log N', v.log_n, 'nats'],
    ['E[R] best-of-N', v.reward, 'reward'],
    ['KL(BoN‖pⁿ)', v.kl, 'nats'],
    ['bound log N − (N−1)/N', v.kl_bound, 'nats'],
    ['law of R', v.exact ? 'exact' : 'approximate', ''],
    ['RL at the same KL: λ', v.same_kl.lambda, ''],
    ['RL at the same KL: E[R]', v.same_kl.reward, 'reward'],
    ['RL at Δ = log N: λ', v.log_n_budget.lambda, ''],
    ['RL at Δ = log N: E[R]', v.log_n_budget.reward, 'reward'],
    ['KL(BoN‖φ_λ) at Δ = log N', v.log_n_budget.kl_bon_to_tilt, 'nats'],
  ]);
}

function equivalenceLines(v: QueryValues['equivalence']): string[] {
  return [
    ...quantityTable([
      ['rate δ (N = e^{nδ})', v.rate, 'nats/token'],
      ['λ* with D(λ*) = δ', v.lambda, ''],
      ['RL E[r] per token', v.rl_reward_per_token, 'reward'],
    ]),
    '',
    ...curveTable<QueryValues['equivalence']['points'][number]>(
      [
        { header: 'n', cell: (p) => formatCount(p.n) },
        { header: 'BoN E[R]/n', cell: (p) => p.bon_reward_per_token },
        { header: 'KL(BoN‖pⁿ)/n', cell: (p) => p.kl_per_token },
        { header: 'KL(BoN‖φⁿ)/n', cell: (p) => p.kl_to_rl_per_token },
      ],
      v.points,
    ),
  ];
}

function rateLines(v: QueryValues['rate']): string[] {
  return [
    ...quantityTable([
      ['λ', v.lambda, ''],
      ['mean A′(λ)', v.mean, 'reward/token'],
    ]),
    '',
    ...curveTable<QueryValues['rate']['points'][number]>(
      [
        { header: 'x', cell: (p) => p.x },
        { header: 'I_λ(x) (nats)', cell: (p) => p.rate },
        { header: 'tail rate (nats)', cell: (p) => p.tail_rate },
      ],
      v.points,
    ),
  ];
}

function cumulantLines(v: QueryValues['cumulants']): string[] {
  return quantityTable([
    ['λ', v.lambda, ''],
    ...v.kappa.map((k, i): Quantity => [`κ${subscript(i + 1)}`, k, '']),
  ]);
}

function subscript(n: number): string {
  return String(n).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);
}

function renyiLines(v: QueryValues['renyi']): string[] {
  return quantityTable([
    ['α', v.alpha, ''],
    ['H_α(p, q)', v.cross_entropy, 'nats'],
    ['log C', v.log_c, 'nats'],
  ]);
}

function compareLines(v: QueryValues['compare']): string[] {
  return quantityTable([
    ['KL(q‖pⁿ)', v.kl, 'nats'],
    ['E[R] under q', v.reward, 'reward'],
    ['frontier E[R] at that KL', v.frontier_reward, 'reward'],
    ['gap ε', v.gap, 'reward'],
    ['λ', v.lambda, ''],
    ['KL(q‖φ_Δ)', v.kl_to_optimal, 'nats'],
    ['bound λε', v.bound, 'nats'],
  ]);
}

function simulateLines(v: QueryValues['simulate']): string[] {
  return quantityTable([
    ['method', visible(String(v.method)), ''],
    ['samples', formatCount(v.samples), ''],
    ['seed', formatCount(v.seed), ''],
    ['mean R', v.reward_mean, 'reward'],
    ['standard error', v.reward_stderr, 'reward'],
  ]);
}

const renderers: Renderers = {
  tilt: tiltLines,
  frontier: frontierLines,
  bon: bonLines,
  equivalence: equivalenceLines,
  rate: rateLines,
  cumulants: cumulantLines,
  renyi: renyiLines,
  compare: compareLines,
  simulate: simulateLines,
};

/**
 * The table for one query's value. A kind this CLI does not know (a newer language layer) is
 * printed as compact JSON rather than dropped.
 */
export function renderValue(query: string, value: unknown): string[] {
  const render = (renderers as Record<string, ((v: unknown) => string[]) | undefined>)[query];
  if (render) return render(value);
  return [`  ${quotedJson(value)}`];
}
