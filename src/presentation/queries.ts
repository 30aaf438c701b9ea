/**
 * The declarative table of queries and their parameters — the single source of truth for the
 * checker (which validates arguments against it), the language server (completion, signature
 * help, hover) and docs/language.md.
 */
import type { QueryKind } from './results.js';

export type ParamKind =
  | 'number' // a finite real
  | 'integer' // a whole number
  | 'count' // N of best-of-N: may be astronomically large, kept in log form (exp(1000) is fine)
  | 'range' // a..b
  | 'number-or-range' // x = 1.5 or x = 0..2
  | 'integer-or-range' // n = 64 or n = 1..256
  | 'enum' // one of `values`, written as a bare word
  | 'policy'; // the name of a `policy`

export interface ParamSpec {
  readonly name: string;
  readonly kind: ParamKind;
  readonly doc: string;
  /** Shown in completion and docs; the evaluator applies the same default. */
  readonly default?: number | string;
  /** Inclusive bounds on the value (and on both ends of a range). */
  readonly min?: number;
  readonly max?: number;
  /** When true, the value must be strictly greater than `min`. */
  readonly minExclusive?: boolean;
  readonly values?: readonly string[];
  readonly unit?: string;
}

/** Parameters of which at most one may be given; `required` says when exactly one must be. */
export interface ParamGroup {
  readonly names: readonly string[];
  /** true: always required; an object: required when another parameter has that value. */
  readonly required: boolean | { readonly param: string; readonly value: string };
  /** Used when none is given and it is not required. */
  readonly defaultDoc?: string;
}

export interface QuerySpec {
  readonly name: QueryKind;
  readonly doc: string;
  readonly example: string;
  readonly params: readonly ParamSpec[];
  readonly groups: readonly ParamGroup[];
}

const delta: ParamSpec = {
  name: 'delta',
  kind: 'number',
  min: 0,
  unit: 'nats',
  doc: 'KL budget Δ for the whole sequence: the aligned model φ_Δ maximises E R subject to KL(φ‖pⁿ) ≤ Δ.',
};
const lambda: ParamSpec = {
  name: 'lambda',
  kind: 'number',
  min: 0,
  doc: 'Tilt λ ≥ 0 of φ_λ(y) ∝ p(y)·exp(λ r(y)) (the inverse of β); λ = 0 is the base model.',
};
const beta: ParamSpec = {
  name: 'beta',
  kind: 'number',
  min: 0,
  minExclusive: true,
  doc: 'RLHF penalty β > 0 of max E r − β KL; the same family with λ = 1/β.',
};
const N: ParamSpec = {
  name: 'N',
  kind: 'count',
  min: 1,
  doc: 'Number of candidates N ≥ 1 (need not be an integer; exp(…) and 1e300 are kept in log form).',
};
const logN: ParamSpec = {
  name: 'logN',
  kind: 'number',
  min: 0,
  unit: 'nats',
  doc: 'log N, for N too large to write.',
};
const softLambda: ParamSpec = {
  name: 'lambda',
  kind: 'number',
  min: 0,
  doc: 'Inverse temperature λ ≥ 0 of soft best-of-N: candidate i is returned with probability ∝ exp(λ R_i); λ = 0 is the base model, large λ best-of-N.',
};
const softBeta: ParamSpec = {
  name: 'beta',
  kind: 'number',
  min: 0,
  minExclusive: true,
  doc: 'Temperature β = 1/λ > 0 of soft best-of-N.',
};
const block: ParamSpec = {
  name: 'block',
  kind: 'integer',
  min: 1,
  max: 1_000_000_000,
  doc: 'Block length b: each block of b tokens is the best of N candidates by its own reward; b must divide the model’s length n (b = n is best-of-N, b = 1 token-level).',
};
const tiltGroup = (required: boolean): ParamGroup => ({
  names: ['delta', 'lambda', 'beta'],
  required,
  defaultDoc: required ? undefined : 'lambda = 0 (the base model)',
});

export const QUERIES: readonly QuerySpec[] = [
  {
    name: 'tilt',
    doc: 'Optimal KL-constrained RL: the tilted model φ_λ solving max E R s.t. KL ≤ Δ, its KL, reward and per-token distribution.',
    example: 'tilt(toy, delta = 4)',
    params: [delta, lambda, beta],
    groups: [tiltGroup(true)],
  },
  {
    name: 'frontier',
    doc: 'The KL–reward frontier F(Δ) = n A′(λ(Δ)), traced parametrically in λ.',
    example: 'frontier(toy, steps = 64)',
    params: [
      {
        name: 'steps',
        kind: 'integer',
        default: 64,
        min: 2,
        max: 10000,
        doc: 'Number of points on the curve.',
      },
      {
        ...delta,
        kind: 'range',
        doc: 'Restrict the curve to budgets Δ in a..b (default: 0 to the maximum KL).',
      },
    ],
    groups: [],
  },
  {
    name: 'bon',
    doc: 'Best-of-N over whole sequences: exact reward and KL(BoN‖pⁿ), the log N − (N−1)/N bound, and the KL-RL solution at the same KL and at Δ = log N.',
    example: 'bon(toy, N = 16)',
    params: [N, logN],
    groups: [{ names: ['N', 'logN'], required: true }],
  },
  {
    name: 'equivalence',
    doc: 'The paper’s main result: best-of-N with N = eⁿᵟ against KL-RL at Δ = nδ, per token, as n grows.',
    example: 'equivalence(toy, rate = 0.5, n = 1..256)',
    params: [
      {
        name: 'rate',
        kind: 'number',
        min: 0,
        minExclusive: true,
        unit: 'nats per token',
        doc: 'Per-token budget δ: N = eⁿᵟ, Δ = nδ.',
      },
      {
        name: 'n',
        kind: 'integer-or-range',
        min: 1,
        max: 100000,
        default: '1..64',
        doc: 'Sequence lengths: one n, or a range a..b sampled geometrically (`steps` points).',
      },
      {
        name: 'steps',
        kind: 'integer',
        min: 1,
        max: 200,
        default: 12,
        doc: 'How many lengths to sample from a range.',
      },
    ],
    groups: [{ names: ['rate'], required: true }],
  },
  {
    name: 'rate',
    doc: 'Large deviations of R/n under φ_λ: the rate function I_λ(x) and the exact finite-n tail exponent.',
    example: 'rate(toy, delta = 4, x = 0..3, steps = 31)',
    params: [
      delta,
      lambda,
      beta,
      {
        name: 'x',
        kind: 'number-or-range',
        doc: 'Per-token reward level(s) x (default: the whole range [r_min, r_max]).',
      },
      { name: 'steps', kind: 'integer', min: 2, max: 10000, default: 33, doc: 'Points when x is a range.' },
    ],
    groups: [tiltGroup(false)],
  },
  {
    name: 'cumulants',
    doc: 'Cumulants κ₁…κₘ of the total reward R under φ_λ (exactly n A⁽ʲ⁾(λ)).',
    example: 'cumulants(toy, lambda = 1, order = 4)',
    params: [
      delta,
      lambda,
      beta,
      { name: 'order', kind: 'integer', min: 1, max: 8, default: 4, doc: 'Highest cumulant m.' },
    ],
    groups: [tiltGroup(false)],
  },
  {
    name: 'renyi',
    doc: 'Rényi cross entropy H_α(p, q) with q = softmax(r), and log C = log Σ eʳ.',
    example: 'renyi(toy, alpha = 2)',
    params: [
      {
        name: 'alpha',
        kind: 'number',
        min: 0,
        minExclusive: true,
        default: 2,
        doc: 'Order α > 0 (α = 1: cross entropy).',
      },
    ],
    groups: [],
  },
  {
    name: 'compare',
    doc: 'Stability: how far a policy is from the optimal φ_Δ — its KL and reward, the frontier gap and KL(q‖φ_Δ) ≤ λ·gap.',
    example: 'compare(toy, policy = q, delta = 4)',
    params: [
      { name: 'policy', kind: 'policy', doc: 'A `policy … of <model>` over the same vocabulary.' },
      { ...delta, doc: 'Budget Δ of the optimal model to compare with (default: the policy’s own KL).' },
    ],
    groups: [{ names: ['policy'], required: true }],
  },
  {
    name: 'simulate',
    doc: 'Monte Carlo estimate of E R for the base model, the tilted model or best-of-N (seeded, reproducible).',
    example: 'simulate(toy, method = bon, N = 16, samples = 10000, seed = 1)',
    params: [
      {
        name: 'method',
        kind: 'enum',
        values: ['base', 'tilt', 'bon'],
        default: 'base',
        doc: 'Which model to sample.',
      },
      N,
      logN,
      delta,
      lambda,
      beta,
      {
        name: 'samples',
        kind: 'integer',
        min: 2,
        max: 10000000,
        default: 10000,
        doc: 'Number of sequences drawn.',
      },
      { name: 'seed', kind: 'integer', min: 0, max: 4294967295, default: 1, doc: 'PRNG seed.' },
    ],
    groups: [
      { names: ['N', 'logN'], required: { param: 'method', value: 'bon' } },
      { names: ['delta', 'lambda', 'beta'], required: { param: 'method', value: 'tilt' } },
    ],
  },
  {
    name: 'softbon',
    doc: 'Soft best-of-N: N candidates, one returned with probability ∝ exp(λ R) — reward, KL, KL to φ_λ, win rate and tokens, next to best-of-N and φ_λ.',
    example: 'softbon(toy, N = 16, lambda = 2)',
    params: [N, logN, softLambda, softBeta],
    groups: [
      { names: ['N', 'logN'], required: true },
      { names: ['lambda', 'beta'], required: true },
    ],
  },
  {
    name: 'blockbon',
    doc: 'Blockwise best-of-N: the best of N candidates for every block of b tokens — reward, KL, win rate and tokens, next to best-of-N and KL-RL at the same KL.',
    example: 'blockbon(toy, N = 4, block = 8)',
    params: [N, logN, block],
    groups: [
      { names: ['N', 'logN'], required: true },
      { names: ['block'], required: true },
    ],
  },
  {
    name: 'reject',
    doc: 'Rejection sampling: draw until R reaches a threshold — reward, KL = −log P(R ≥ τ), win rate and tokens, next to best-of-N with as many draws and KL-RL at the same KL.',
    example: 'reject(toy, threshold = 12)',
    params: [
      {
        name: 'threshold',
        kind: 'number',
        doc: 'Threshold τ on the sequence reward R (at most n·r_max): sequences with R ≥ τ are accepted.',
      },
      {
        name: 'accept',
        kind: 'number',
        min: 0,
        minExclusive: true,
        max: 1,
        doc: 'Acceptance probability a ∈ (0, 1]: the highest threshold with P(R ≥ τ) ≥ a (R is discrete).',
      },
      {
        ...delta,
        doc: 'KL budget Δ: the highest threshold whose KL −log P(R ≥ τ) is at most Δ.',
      },
    ],
    groups: [{ names: ['threshold', 'accept', 'delta'], required: true }],
  },
  {
    name: 'winrate',
    doc: 'Win rates at one KL: the win-rate frontier (the best win rate against pⁿ at KL ≤ Δ) and KL-RL, best-of-N, soft best-of-N and rejection sampling tuned to the same KL.',
    example: 'winrate(toy, delta = 4)',
    params: [
      { ...delta, doc: 'KL budget Δ every method is tuned to.' },
      { ...softLambda, doc: 'Inverse temperature λ of the soft best-of-N compared (its N is tuned to Δ).' },
      softBeta,
    ],
    groups: [
      { names: ['delta'], required: true },
      { names: ['lambda', 'beta'], required: false, defaultDoc: 'the KL-RL λ at the budget 2Δ' },
    ],
  },
  {
    name: 'methods',
    doc: 'Every method across its parameter — best-of-N, soft and blockwise best-of-N over N, rejection over thresholds, KL-RL — in the (KL, E[R]), (KL, win rate) and (tokens, E[R]) planes, with both frontiers.',
    example: 'methods(toy, N = 1..1024, steps = 32)',
    params: [
      {
        name: 'N',
        kind: 'range',
        min: 1,
        default: '1..1024',
        doc: 'Range of N for best-of-N, soft and blockwise best-of-N (points geometric in N); rejection thresholds accept at least 1/N_max.',
      },
      {
        name: 'logN',
        kind: 'range',
        min: 0,
        unit: 'nats',
        doc: 'Range of log N instead of N, for N too large to write (logN = 0..2000).',
      },
      { name: 'steps', kind: 'integer', min: 2, max: 1000, default: 32, doc: 'Points per method.' },
      { ...softLambda, doc: 'Inverse temperature λ of soft best-of-N on its curve.' },
      softBeta,
      { ...block, doc: 'Block length b of blockwise best-of-N on its curve (must divide n).' },
    ],
    groups: [
      { names: ['N', 'logN'], required: false, defaultDoc: 'N = 1..1024' },
      { names: ['lambda', 'beta'], required: false, defaultDoc: 'the KL-RL λ at the budget log N_max' },
    ],
  },
];

export const QUERY_BY_NAME: ReadonlyMap<string, QuerySpec> = new Map(QUERIES.map((q) => [q.name, q]));

export function querySpec(name: string): QuerySpec | undefined {
  return QUERY_BY_NAME.get(name);
}

export function paramSpec(query: QuerySpec, name: string): ParamSpec | undefined {
  // A plain loop (a handful of parameters; no callback allocated per look-up).
  for (const p of query.params) if (p.name === name) return p;
  return undefined;
}

/**
 * Fields of a `model`, `markov` and `policy` body, with docs for hover and completion.
 * `inMarkov`: a field of a `markov` body; `markovOnly`: of nothing else (a policy of a markov
 * model takes `p` for a memoryless policy, or `start` and `next` rows for a chain).
 */
export const MODEL_FIELDS: readonly {
  name: string;
  doc: string;
  inPolicy: boolean;
  inMarkov: boolean;
  markovOnly?: boolean;
}[] = [
  {
    name: 'vocab',
    doc: 'The tokens: identifiers, numbers or quoted strings.',
    inPolicy: false,
    inMarkov: true,
  },
  {
    name: 'p',
    doc: 'Next-token probabilities (numbers or expressions); they should sum to 1.',
    inPolicy: true,
    inMarkov: false,
  },
  {
    name: 'start',
    doc: 'markov: the distribution of the first token (numbers, `stationary`, or `from "s.csv"`).',
    inPolicy: true,
    inMarkov: true,
    markovOnly: true,
  },
  {
    name: 'next',
    doc: 'markov: one transition row per token, `next a -> P(·|a)` in vocab order (or `next from "P.csv"`: dense rows or from,to,count triples).',
    inPolicy: true,
    inMarkov: true,
    markovOnly: true,
  },
  {
    name: 'reward',
    doc: 'Per-token reward weights r(y); the sequence reward is R = Σ r(yᵢ). In a markov model `reward a -> …` adds transition rewards c(a, ·).',
    inPolicy: false,
    inMarkov: true,
  },
  {
    name: 'length',
    doc: 'Sequence length n (a positive integer, default 1).',
    inPolicy: false,
    inMarkov: true,
  },
];

/** Queries defined for memoryless models only, and why (the checker reports `memoryless-only`). */
export const MEMORYLESS_ONLY: Readonly<Record<string, string>> = {
  renyi:
    'the Rényi cross entropy H_α(p, softmax r) and its identity with A(s) (math.md §5) are statements about one token’s distribution p; a markov model has no single next-token distribution, and the tilted chain’s growth rate Λ(s) = log ρ(s) is not a Rényi cross entropy of any fixed pair of distributions (use cumulants for Λ and its derivatives)',
};

/** Queries whose value rests on the asymptotics of a markov model (one recurrent class needed). */
export const ASYMPTOTIC_QUERIES: ReadonlySet<string> = new Set(['equivalence', 'rate']);

/** Built-in functions and constants of expressions. */
export const FUNCTIONS: readonly { name: string; doc: string }[] = [
  { name: 'exp', doc: 'eˣ (kept in log form when it overflows a double, so N = exp(1000) works).' },
  { name: 'log', doc: 'Natural logarithm (exact for values held in log form: log(exp(1000)) = 1000).' },
  { name: 'sqrt', doc: 'Square root.' },
];
export const CONSTANTS: readonly { name: string; value: number; doc: string }[] = [
  { name: 'e', value: Math.E, doc: 'Euler’s number; e^x is computed in log form like exp(x).' },
  { name: 'pi', value: Math.PI, doc: 'π' },
];
