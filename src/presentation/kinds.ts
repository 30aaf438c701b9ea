/**
 * How each query kind is shown, written once and read by every front end: the hover and inlay
 * hints of the language server, the CLI's tables, the preview's formulas, charts and sliders, and
 * the HTML report. A label, a unit or a formula changes here or nowhere.
 *
 * Per kind:
 *   title       — what the query computes, in a few words (hover and CLI heading);
 *   doc         — one line (from the query table, queries.ts);
 *   quantities  — the labelled values of a result, with units, in reading order;
 *   headline    — the two or three values shown inline after the query (→ λ = 1.42, E[R] = 33.8);
 *   notes       — sentences that qualify the values (why a bound is missing), after the table;
 *   curve       — the points of a curve result as table columns (hover, CLI);
 *   series      — the names of the chart series built from this kind (preview, report, CSV);
 *   formula     — the identity the preview typesets, and its symbols with the result's values;
 *   sliders     — which parameters the preview offers a slider for (their valid ranges come from
 *                 the parameter table, queries.ts: see `sliderBounds`).
 */
import { formatCount, formatNumber, formatValue } from './format.js';
import { type ParamSpec, paramSpec, querySpec } from './queries.js';
import type {
  MarkovTiltValue,
  MethodCurvePoint,
  MethodValue,
  Num,
  QueryKind,
  QueryResult,
  QueryValues,
} from './results.js';

export type Unit = '' | 'nats' | 'nats/token' | 'reward' | 'reward/token' | 'tokens';

/** One labelled value: a number (null = ∞), or words ("exact"). */
export interface Quantity {
  readonly label: string;
  readonly value: Num | string;
  readonly unit: Unit;
  /** An integer count (points, samples, seed): printed exactly. */
  readonly count?: boolean;
  /** How the headline joins label and value: `=` (default) or `≈` (an estimate). */
  readonly relation?: '=' | '≈';
}

export interface CurveColumn<P> {
  readonly header: string;
  readonly unit: Unit;
  readonly cell: (point: P) => Num | string;
  readonly count?: boolean;
}

export interface Curve<P> {
  readonly columns: readonly CurveColumn<P>[];
  readonly points: readonly P[];
}

export interface Formula {
  /** The identity, in TeX (no numbers: typeset once). */
  readonly tex: string;
  /** [symbol in TeX, value] pairs shown after the identity. */
  readonly values: readonly (readonly [symbol: string, value: Num | string])[];
}

export interface KindPresentation<K extends QueryKind> {
  readonly title: string;
  quantities(v: QueryValues[K]): Quantity[];
  headline(v: QueryValues[K]): Quantity[];
  curve?(v: QueryValues[K]): Curve<unknown> | undefined;
  /** Sentences that qualify the values (why a bound is missing…), shown after them. */
  notes?(v: QueryValues[K]): string[];
  readonly series: Readonly<Record<string, string>>;
  formula(v: QueryValues[K]): Formula;
  readonly sliders: readonly string[];
}

const q = (label: string, value: Num | string, unit: Unit = ''): Quantity => ({ label, value, unit });
const count = (label: string, value: number): Quantity => ({ label, value, unit: '', count: true });

function curve<P>(points: readonly P[], columns: CurveColumn<P>[]): Curve<unknown> {
  return { points, columns } as unknown as Curve<unknown>;
}

/** Superscript digits (Λ⁽⁴⁾). */
export function superscript(n: number): string {
  return String(n).replace(/\d/g, (c) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(c)]);
}

/** Subscript digits (κ₁₂). */
export function subscript(n: number): string {
  return String(n).replace(/\d/g, (c) => '₀₁₂₃₄₅₆₇₈₉'[Number(c)]);
}

const TILT_SLIDERS = ['delta', 'lambda', 'beta'] as const;

/**
 * A law of whole sequences in a label: pⁿ (qⁿ, φⁿ) for a memoryless model, whose sequences are
 * n independent tokens; for a Markov model the chain's own law of sequences p (q, φ), which is not
 * a product. Values of a markov model say `markov` (a flag, or tilt's readouts object).
 */
export function sequenceNotation(name: string, markov: unknown): string {
  return markov ? name : `${name}ⁿ`;
}

/**
 * The base model's law in the title of an axis that several results share: pⁿ when they are all
 * of memoryless models, p when all of chains, and words when both are plotted together.
 */
function sharedSequenceNotation(markov: readonly unknown[]): string {
  const chains = markov.filter(Boolean).length;
  return chains === 0 ? 'pⁿ' : chains === markov.length ? 'p' : 'the base model';
}

/** A KL axis (x of the frontier and methods charts); `markov`: the plotted values' flags. */
export function klAxisTitle(policy: string, markov: readonly unknown[]): string {
  return `KL(${policy} ‖ ${sharedSequenceNotation(markov)}) [nats]`;
}

/** A win-rate axis (the methods chart). */
export function winRateAxisTitle(markov: readonly unknown[]): string {
  return `W, win rate against ${sharedSequenceNotation(markov)}`;
}

/** The KL of a policy to the base model, `compare`'s first row. */
const policyKL = (markov: unknown) => `KL(${sequenceNotation('q', markov)}‖${sequenceNotation('p', markov)})`;

/** Labels shared by `compare` and the editor's readout of a (memoryless) policy. */
export const POLICY_KL = policyKL(false);
export const POLICY_REWARD = 'E[R] under q';
export const POLICY_FRONTIER_AT_KL = `frontier E[R] at ${POLICY_KL}`;
export const POLICY_GAP_AT_KL = `below the frontier at ${POLICY_KL}`;

/** The win rate against a fresh draw from the base model (math.md §8). */
const winRate = (markov: unknown) => `win rate against ${sequenceNotation('p', markov)}`;
/** The memoryless model's label (the methods' kinds, math.md §8). */
export const WIN_RATE = winRate(false);
/** 1 − W, summed directly: where W rounds to 1 its digits are in here. */
export const LOSS_RATE = '1 − win rate';
export const TOKENS_SAMPLED = 'tokens sampled per output';

/** A method's rows: E[R], KL, the KL to the tilt (labelled by `tiltLabel`), W, tokens. */
function methodRows(prefix: string, v: MethodValue, tiltLabel: string, markov: unknown): Quantity[] {
  return [
    q(`${prefix}E[R]`, v.reward, 'reward'),
    q(`${prefix}KL(·‖${sequenceNotation('p', markov)})`, v.kl, 'nats'),
    q(`${prefix}${tiltLabel}`, v.kl_to_tilt, 'nats'),
    q(`${prefix}${winRate(markov)}`, v.win_rate),
    q(`${prefix}${LOSS_RATE}`, v.loss_rate),
    q(`${prefix}${TOKENS_SAMPLED}`, v.tokens_sampled, 'tokens'),
  ];
}

/** `sequenceNotation` in TeX: p^n, or p for a chain. */
const texSequenceNotation = (name: string, markov: unknown) => (markov ? name : `${name}^n`);

/** The KL to the tilt with the same KL: the label every method but soft best-of-N uses. */
const SAME_KL_TILT = 'KL(·‖φ_λ), λ of the tilt with this KL';

/** The rows of a comparison's best-of-N and KL-RL objects. */
function comparisonRows(label: string, v: MethodValue, markov: unknown): Quantity[] {
  return [
    q(`${label}: E[R]`, v.reward, 'reward'),
    q(`${label}: KL`, v.kl, 'nats'),
    q(`${label}: ${winRate(markov)}`, v.win_rate),
    q(`${label}: ${LOSS_RATE}`, v.loss_rate),
    q(`${label}: ${TOKENS_SAMPLED}`, v.tokens_sampled, 'tokens'),
  ];
}

const methodHeadline = (v: MethodValue): Quantity[] => [
  q('E[R]', v.reward, 'reward'),
  q('KL', v.kl, 'nats'),
  q('W', v.win_rate),
];

/** A `methods` curve point labelled by its method, for the curve table. */
type LabelledPoint = MethodCurvePoint & { method: string; parameter: Num; parameterName: string };

/** Labels of a markov model's readouts (tilt.markov, cumulants.kappa_limit). */
export const MARKOV_LABELS = {
  logRho: 'Λ(λ) = log ρ(λ)',
  rho: 'Perron root ρ(λ)',
  rewardRate: 'Λ′(λ), E[r] per token as n → ∞',
  klRate: 'λΛ′ − Λ, KL per token as n → ∞',
  mixing: 'mixing |λ₂| of P',
  mixingTilted: 'mixing |λ₂| of P_λ',
} as const;

/** The readouts of `tilt` on a markov model (after the common quantities). */
function markovTiltQuantities(m: MarkovTiltValue | undefined): Quantity[] {
  if (!m) return [];
  const out: Quantity[] = [];
  if (m.log_rho !== undefined) out.push(q(MARKOV_LABELS.logRho, m.log_rho, 'nats/token'));
  if (m.rho !== undefined) out.push(q(MARKOV_LABELS.rho, m.rho));
  if (m.reward_rate !== undefined) out.push(q(MARKOV_LABELS.rewardRate, m.reward_rate, 'reward/token'));
  if (m.kl_rate !== undefined) out.push(q(MARKOV_LABELS.klRate, m.kl_rate, 'nats/token'));
  if (m.mixing !== undefined) out.push(q(MARKOV_LABELS.mixing, m.mixing));
  if (m.mixing_tilted !== undefined) out.push(q(MARKOV_LABELS.mixingTilted, m.mixing_tilted));
  return out;
}

export const PRESENTATION: { readonly [K in QueryKind]: KindPresentation<K> } = {
  tilt: {
    title: 'Optimal KL-constrained RL',
    quantities: (v) => [
      q('λ', v.lambda),
      q('β = 1/λ', v.beta),
      q(`KL(φ_λ‖${sequenceNotation('p', v.markov)})`, v.kl, 'nats'),
      q('E[R] under φ_λ', v.reward, 'reward'),
      q('KL per token', v.kl_per_token, 'nats/token'),
      q('E[r] per token', v.reward_per_token, 'reward/token'),
      ...(v.win_rate !== undefined ? [q(winRate(v.markov), v.win_rate)] : []),
      ...markovTiltQuantities(v.markov),
    ],
    headline: (v) => [q('λ', v.lambda), q('E[R]', v.reward, 'reward')],
    notes: (v) =>
      v.markov
        ? [
            'Markov model: φ_λ is a time-inhomogeneous chain; the token table shows its marginals averaged over the n positions, and the rates are those of the stationary tilted chain P_λ (n → ∞).',
          ]
        : [],
    series: {
      point: 'KL-RL (tilt)',
      p: 'p',
      phi: 'φ_λ',
      transition: 'P',
      tiltedTransition: 'P_λ (stationary tilted chain)',
      marginals: 'φ_λ(y_t) by position t',
      stationary: 'stationary π of P',
      stationaryTilted: 'stationary π_λ of P_λ',
    },
    formula: (v) =>
      v.markov
        ? {
            tex: '\\phi_\\lambda(y) = \\frac{p(y)\\,e^{\\lambda R(y)}}{Z_n(\\lambda)},\\quad \\tfrac{1}{n}\\log Z_n(\\lambda) \\to \\Lambda(\\lambda) = \\log \\rho(\\lambda)',
            values: [
              ['\\lambda', v.lambda],
              ['\\mathrm{KL}(\\phi_\\lambda \\,\\|\\, p)', v.kl],
              ['\\mathbb{E}_{\\phi_\\lambda} R', v.reward],
              ...(v.markov.log_rho !== undefined
                ? [['\\Lambda(\\lambda)', v.markov.log_rho] as [string, Num]]
                : []),
              ...(v.markov.reward_rate !== undefined
                ? [["\\Lambda'(\\lambda)", v.markov.reward_rate] as [string, Num]]
                : []),
            ],
          }
        : {
            tex: '\\phi_\\Delta(y) = \\frac{p(y)\\,e^{\\lambda r(y)}}{Z}',
            values: [
              ['\\lambda', v.lambda],
              ['\\beta = 1/\\lambda', v.beta],
              ['\\mathrm{KL}(\\phi_\\lambda \\,\\|\\, p^n)', v.kl],
              ['\\mathbb{E}_{\\phi_\\lambda} R', v.reward],
            ],
          },
    sliders: TILT_SLIDERS,
  },
  frontier: {
    title: 'KL–reward frontier',
    quantities: (v) => [
      count('points', v.points.length),
      q(v.markov ? 'max KL −log p(S*)' : 'max KL n·(−log p(M))', v.max_kl, 'nats'),
      q(v.markov ? 'max E[R] = max R' : 'max E[R] = n·r_max', v.max_reward, 'reward'),
    ],
    headline: (v) => [q('max KL', v.max_kl, 'nats'), q('max E[R]', v.max_reward, 'reward')],
    curve: (v) =>
      curve(v.points, [
        { header: 'λ', unit: '', cell: (p) => p.lambda },
        { header: 'KL', unit: 'nats', cell: (p) => p.kl },
        { header: 'E[R]', unit: 'reward', cell: (p) => p.reward },
      ]),
    series: { frontier: 'frontier F(Δ)' },
    formula: (v) => ({
      tex: "F(\\Delta) = n\\,A'(\\lambda(\\Delta)),\\quad F'(\\Delta) = \\frac{1}{\\lambda}",
      values: [
        v.markov
          ? ['\\max \\mathrm{KL} = -\\log p(S^*)', v.max_kl]
          : ['\\max \\mathrm{KL} = -n\\log p(M)', v.max_kl],
        v.markov ? ['\\max F = R^*', v.max_reward] : ['\\max F = n\\,r_{\\max}', v.max_reward],
      ],
    }),
    sliders: [],
  },
  bon: {
    title: 'Best-of-N against KL-constrained RL',
    quantities: (v) => [
      q('N', v.N),
      q('log N', v.log_n, 'nats'),
      q('E[R] under best-of-N', v.reward, 'reward'),
      q(`KL(BoN‖${sequenceNotation('p', v.markov)})`, v.kl, 'nats'),
      q('bound log N − (N−1)/N', v.kl_bound, 'nats'),
      q('law of R', v.exact ? 'exact' : 'approximate'),
      q('KL-RL at the same KL: λ', v.same_kl.lambda),
      q('KL-RL at the same KL: E[R]', v.same_kl.reward, 'reward'),
      q('KL-RL at Δ = log N: λ', v.log_n_budget.lambda),
      q('KL-RL at Δ = log N: E[R]', v.log_n_budget.reward, 'reward'),
      q('KL(BoN‖φ_λ) at Δ = log N', v.log_n_budget.kl_bon_to_tilt, 'nats'),
      ...(v.win_rate !== undefined ? [q(winRate(v.markov), v.win_rate)] : []),
    ],
    headline: (v) => [q('E[R]', v.reward, 'reward'), q('KL', v.kl, 'nats')],
    series: {
      point: 'best-of-N',
      curve: 'best-of-N, N = 1 … N',
      bound: 'log N − (N−1)/N',
      sameKl: 'KL-RL at the same KL',
      logNBudget: 'KL-RL at Δ = log N',
    },
    formula: (v) => ({
      tex: `\\mathrm{KL}(\\mathrm{BoN}_N \\,\\|\\, ${texSequenceNotation('p', v.markov)}) \\le \\log N - \\frac{N-1}{N}`,
      values: [
        ['N', v.N],
        [`\\mathrm{KL}(\\mathrm{BoN}_N \\,\\|\\, ${texSequenceNotation('p', v.markov)})`, v.kl],
        ['\\log N - \\tfrac{N-1}{N}', v.kl_bound],
        ['\\mathbb{E}_{\\mathrm{BoN}} R', v.reward],
        ['\\text{KL-RL at the same KL}', v.same_kl.reward],
      ],
    }),
    sliders: ['N', 'logN'],
  },
  equivalence: {
    title: 'Best-of-N and KL-RL as n grows (N = eⁿᵟ)',
    quantities: (v) => [
      q('δ (N = eⁿᵟ, Δ = nδ)', v.rate, 'nats/token'),
      q(v.markov ? 'λ* with λΛ′(λ) − Λ(λ) = δ' : 'λ* with D(λ*) = δ', v.lambda),
      q(
        v.markov ? 'KL-RL E[r] per token as n → ∞, Λ′(λ*)' : 'KL-RL E[r] per token',
        v.rl_reward_per_token,
        'reward/token',
      ),
    ],
    headline: (v) => {
      const last = v.points[v.points.length - 1];
      return [
        q('KL-RL E[R]/n', v.rl_reward_per_token, 'reward/token'),
        ...(last ? [q(`BoN E[R]/n at n = ${last.n}`, last.bon_reward_per_token, 'reward/token')] : []),
      ];
    },
    curve: (v) =>
      curve(v.points, [
        { header: 'n', unit: '', cell: (p) => p.n, count: true },
        { header: 'BoN E[R]/n', unit: 'reward/token', cell: (p) => p.bon_reward_per_token },
        ...(v.points.some((p) => p.rl_reward_per_token !== undefined)
          ? [
              {
                header: 'KL-RL E[R]/n at Δ = nδ',
                unit: 'reward/token' as const,
                cell: (p: (typeof v.points)[number]) => p.rl_reward_per_token ?? null,
              },
            ]
          : []),
        {
          header: `KL(BoN‖${sequenceNotation('p', v.markov)})/n`,
          unit: 'nats/token',
          cell: (p) => p.kl_per_token,
        },
        {
          header: `KL(BoN‖${sequenceNotation('φ', v.markov)})/n`,
          unit: 'nats/token',
          cell: (p) => p.kl_to_rl_per_token,
        },
      ]),
    series: {
      bon: 'best-of-N E[R]/n',
      rl: 'KL-RL E[r] per token',
      rlFinite: 'KL-RL E[R]/n at Δ = nδ',
      kl: 'KL(BoN‖φⁿ)/n',
      klChain: 'KL(BoN‖φ)/n',
    },
    formula: (v) => ({
      tex: v.markov
        ? "N = e^{n\\delta}:\\quad \\tfrac{1}{n}\\mathbb{E}_{\\mathrm{BoN}} R \\to \\Lambda'(\\lambda^*),\\quad \\lambda^*\\Lambda'(\\lambda^*) - \\Lambda(\\lambda^*) = \\delta"
        : "N = e^{n\\delta}:\\quad \\tfrac{1}{n}\\mathbb{E}_{\\mathrm{BoN}} R \\to A'(\\lambda^*),\\quad D(\\lambda^*) = \\delta",
      values: [
        ['\\delta', v.rate],
        ['\\lambda^*', v.lambda],
        [v.markov ? "\\Lambda'(\\lambda^*)" : "A'(\\lambda^*)", v.rl_reward_per_token],
      ],
    }),
    sliders: ['rate'],
  },
  rate: {
    title: 'Large deviations of R/n under φ_λ',
    quantities: (v) => {
      const out = [q('λ', v.lambda), q(v.markov ? 'mean Λ′(λ)' : 'mean A′(λ)', v.mean, 'reward/token')];
      if (v.points.length === 1) {
        const p = v.points[0];
        out.push(
          q('x', p.x, 'reward/token'),
          q('rate I_λ(x)', p.rate, 'nats/token'),
          q('tail exponent −(1/n) log P', p.tail_rate, 'nats/token'),
        );
      }
      return out;
    },
    headline: (v) =>
      v.points.length === 1
        ? [q(`I_λ(${formatNumber(v.points[0].x)})`, v.points[0].rate, 'nats/token')]
        : [q('λ', v.lambda), q('mean', v.mean, 'reward/token')],
    curve: (v) =>
      v.points.length > 1
        ? curve(v.points, [
            { header: 'x', unit: 'reward/token', cell: (p) => p.x },
            { header: 'I_λ(x)', unit: 'nats/token', cell: (p) => p.rate },
            { header: 'tail exponent', unit: 'nats/token', cell: (p) => p.tail_rate },
          ])
        : undefined,
    series: {
      rate: 'I_λ(x)',
      tail: 'tail exponent −(1/n) log P',
      mean: 'mean A′(λ)',
      meanChain: 'mean Λ′(λ)',
    },
    formula: (v) => ({
      tex: v.markov
        ? "I_\\lambda(x) = \\sup_t\\,[t x - \\Lambda(\\lambda + t) + \\Lambda(\\lambda)],\\quad \\Lambda = \\log\\rho,\\quad I_\\lambda(x) = 0 \\iff x = \\Lambda'(\\lambda)"
        : "I_\\lambda(x) = A^*(x) - \\lambda x + A(\\lambda),\\quad I_\\lambda(x) = 0 \\iff x = A'(\\lambda)",
      values: [
        ['\\lambda', v.lambda],
        ["A'(\\lambda)", v.mean],
      ],
    }),
    sliders: TILT_SLIDERS,
  },
  cumulants: {
    title: 'Cumulants of R under φ_λ',
    quantities: (v) => [
      q('λ', v.lambda),
      ...v.kappa.map((k, i) => q(`κ${subscript(i + 1)} of R`, k)),
      ...(v.kappa_limit ?? []).map((k, i) =>
        q(
          `${i < 3 ? `Λ${'′'.repeat(i + 1)}` : `Λ⁽${superscript(i + 1)}⁾`}(λ) = lim κ${subscript(i + 1)}/n`,
          k,
        ),
      ),
    ],
    headline: (v) => v.kappa.slice(0, 2).map((k, i) => q(`κ${subscript(i + 1)}`, k)),
    series: { cgf: 'Λ(t)', kappa: 'κₘ', cgfLimit: 'Λ(λ+t) − Λ(λ) as n → ∞', kappaLimit: 'κₘ/n as n → ∞' },
    formula: (v) => ({
      tex: v.markov
        ? '\\kappa_m = \\tfrac{d^m}{d\\lambda^m}\\log Z_n(\\lambda),\\quad \\kappa_m/n \\to \\Lambda^{(m)}(\\lambda)'
        : '\\kappa_m = n\\,A^{(m)}(\\lambda)',
      values: [
        ['\\lambda', v.lambda],
        ...v.kappa.slice(0, 4).map((x, i): [string, Num] => [`\\kappa_{${i + 1}}`, x]),
      ],
    }),
    sliders: TILT_SLIDERS,
  },
  renyi: {
    title: 'Rényi cross entropy of p and softmax(r)',
    quantities: (v) => [
      q('α', v.alpha),
      q('H_α(p, q)', v.cross_entropy, 'nats'),
      q('log C = log Σ eʳ', v.log_c, 'nats'),
    ],
    headline: (v) => [q(`H_${formatNumber(v.alpha)}`, v.cross_entropy, 'nats')],
    series: { curve: 'H_α(p, q)', point: 'queried α' },
    formula: (v) => ({
      tex: 'H_\\alpha(p, q) = \\frac{1}{1-\\alpha}\\log \\sum_y p(y)\\,q(y)^{\\alpha-1},\\quad q = \\mathrm{softmax}(r)',
      values: [
        ['\\alpha', v.alpha],
        ['H_\\alpha(p, q)', v.cross_entropy],
        ['\\log C', v.log_c],
      ],
    }),
    sliders: ['alpha'],
  },
  compare: {
    title: 'A policy against the optimum (stability)',
    quantities: (v) => [
      q(policyKL(v.markov), v.kl, 'nats'),
      q(POLICY_REWARD, v.reward, 'reward'),
      q('frontier E[R] at Δ', v.frontier_reward, 'reward'),
      q('gap ε', v.gap, 'reward'),
      ...(v.frontier_reward_at_kl !== undefined
        ? [q(`frontier E[R] at ${policyKL(v.markov)}`, v.frontier_reward_at_kl, 'reward')]
        : []),
      ...(v.gap_at_kl !== undefined
        ? [q(`below the frontier at ${policyKL(v.markov)}`, v.gap_at_kl, 'reward')]
        : []),
      q('λ', v.lambda),
      q(`KL(${sequenceNotation('q', v.markov)}‖φ_Δ)`, v.kl_to_optimal, 'nats'),
      q('bound λε', v.bound, 'nats'),
    ],
    notes: (v) => (v.bound_note ? [`No bound: ${v.bound_note}.`] : []),
    headline: (v) => [q('gap ε', v.gap, 'reward'), q('KL(q‖φ_Δ)', v.kl_to_optimal, 'nats')],
    series: { point: 'compared policy' },
    formula: (v) => ({
      tex: '\\mathrm{KL}(q \\,\\|\\, \\phi_\\Delta) \\le \\lambda\\varepsilon',
      values: [
        ['\\mathrm{KL}(q \\,\\|\\, \\phi_\\Delta)', v.kl_to_optimal],
        ['\\lambda', v.lambda],
        ['\\varepsilon', v.gap],
        ['\\lambda\\varepsilon', v.bound],
      ],
    }),
    sliders: ['delta'],
  },
  simulate: {
    title: 'Monte Carlo check',
    quantities: (v) => [
      q('method', v.method),
      count('samples', v.samples),
      count('seed', v.seed),
      q('mean of R', v.reward_mean, 'reward'),
      q('standard error', v.reward_stderr, 'reward'),
    ],
    headline: (v) => [
      { ...q('E[R]', v.reward_mean, 'reward'), relation: '≈' },
      q('standard error', v.reward_stderr, 'reward'),
    ],
    series: { point: 'Monte Carlo' },
    formula: (v) => ({
      tex: '\\hat{\\mathbb{E}}\\,R = \\frac{1}{S}\\sum_{s=1}^{S} R(y_s)',
      values: [
        ['\\hat{\\mathbb{E}}\\,R', v.reward_mean],
        ['\\text{s.e.}', v.reward_stderr],
      ],
    }),
    sliders: [],
  },
  softbon: {
    title: 'Soft best-of-N against best-of-N and KL-RL',
    quantities: (v) => [
      q('N', v.N),
      q('log N', v.log_n, 'nats'),
      q('λ (inverse temperature)', v.lambda),
      q('β = 1/λ', v.beta),
      ...methodRows('', v, 'KL(soft‖φ_λ) at this λ', v.markov),
      q('law of R', v.exact ? 'exact' : 'approximate'),
      ...comparisonRows('best-of-N, same N', v.bon, v.markov),
      ...comparisonRows('φ_λ, the limit N → ∞', v.tilt, v.markov),
    ],
    headline: methodHeadline,
    series: {
      point: 'soft best-of-N',
      bon: 'best-of-N, same N',
      tilt: 'KL-RL φ_λ',
    },
    formula: (v) => ({
      tex: 'g(x) = N e^{\\lambda x}\\,\\mathbb{E}\\left[\\frac{1}{e^{\\lambda x} + \\sum_{k=2}^{N} e^{\\lambda R_k}}\\right]',
      values: [
        ['N', v.N],
        ['\\lambda', v.lambda],
        ['\\mathbb{E} R', v.reward],
        [`\\mathrm{KL}(\\cdot \\,\\|\\, ${texSequenceNotation('p', v.markov)})`, v.kl],
        [`\\mathrm{KL}(\\cdot \\,\\|\\, ${texSequenceNotation('\\phi_\\lambda', v.markov)})`, v.kl_to_tilt],
        ['W', v.win_rate],
      ],
    }),
    sliders: ['N', 'logN', 'lambda', 'beta'],
  },
  blockbon: {
    title: 'Blockwise best-of-N against best-of-N and KL-RL',
    quantities: (v) => [
      q('N', v.N),
      q('log N', v.log_n, 'nats'),
      count('block length b', v.block),
      count('blocks n/b', v.blocks),
      ...methodRows('', v, SAME_KL_TILT, v.markov),
      q('law of R', v.exact ? 'exact' : 'approximate'),
      ...comparisonRows('best-of-N, same N', v.bon, v.markov),
      ...comparisonRows('KL-RL at the same KL', v.tilt, v.markov),
    ],
    headline: methodHeadline,
    series: {
      point: 'blockwise best-of-N',
      bon: 'best-of-N, same N',
      tilt: 'KL-RL at the same KL',
    },
    formula: (v) => ({
      // On a chain the blocks are dependent: the KL is summed over the law μ_k of each block's
      // boundary token i, KL_i that of best-of-N on the block after i (docs/math-markov.md).
      tex: v.markov
        ? '\\mathrm{KL}(\\pi \\,\\|\\, p) = \\mathrm{KL}_s + \\sum_{k,\\,i} \\mu_k(i)\\,\\mathrm{KL}_i'
        : '\\pi = \\prod_{\\text{blocks}} \\mathrm{BoN}_N(p^b),\\quad \\mathrm{KL}(\\pi \\,\\|\\, p^n) = \\tfrac{n}{b}\\,\\mathrm{KL}(\\mathrm{BoN}_N \\,\\|\\, p^b)',
      values: [
        ['N', v.N],
        ['b', v.block],
        ['\\mathbb{E} R', v.reward],
        [`\\mathrm{KL}(\\pi \\,\\|\\, ${texSequenceNotation('p', v.markov)})`, v.kl],
        ['W', v.win_rate],
      ],
    }),
    sliders: ['N', 'logN', 'block'],
  },
  reject: {
    title: 'Rejection sampling at a threshold',
    quantities: (v) => [
      q('threshold τ (smallest accepted R)', v.threshold, 'reward'),
      q('acceptance P(R ≥ τ)', v.accept),
      ...methodRows('', v, SAME_KL_TILT, v.markov),
      q('law of R', v.exact ? 'exact' : 'approximate'),
      ...comparisonRows('best-of-N, as many draws', v.bon, v.markov),
      ...comparisonRows('KL-RL at the same KL', v.tilt, v.markov),
    ],
    headline: (v) => [q('τ', v.threshold, 'reward'), ...methodHeadline(v)],
    series: {
      point: 'rejection sampling',
      bon: 'best-of-N, as many draws',
      tilt: 'KL-RL at the same KL',
    },
    formula: (v) => ({
      tex: 'g(x) = \\frac{\\mathbf{1}\\{x \\ge \\tau\\}}{P(R \\ge \\tau)},\\quad \\mathrm{KL} = -\\log P(R \\ge \\tau)',
      values: [
        ['\\tau', v.threshold],
        ['P(R \\ge \\tau)', v.accept],
        ['\\mathbb{E} R', v.reward],
        ['W', v.win_rate],
      ],
    }),
    sliders: ['threshold', 'accept', 'delta'],
  },
  winrate: {
    title: 'Win rates against the base model at one KL',
    quantities: (v) => [
      q('Δ', v.delta, 'nats'),
      q('win-rate frontier: μ', v.mu),
      q('win-rate frontier: W', v.win_rate),
      q('win-rate frontier: 1 − W', v.loss_rate),
      q('win-rate frontier: E[R]', v.reward, 'reward'),
      q('KL-RL: W', v.kl_rl.win_rate),
      q('KL-RL: 1 − W', v.kl_rl.loss_rate),
      q('KL-RL: E[R]', v.kl_rl.reward, 'reward'),
      q('best-of-N: N', v.bon.N),
      q('best-of-N: W', v.bon.win_rate),
      q('best-of-N: 1 − W', v.bon.loss_rate),
      q('best-of-N: E[R]', v.bon.reward, 'reward'),
      ...(v.softbon
        ? [
            q('soft best-of-N: λ', v.softbon.lambda),
            q('soft best-of-N: N', v.softbon.N),
            q('soft best-of-N: W', v.softbon.win_rate),
            q('soft best-of-N: 1 − W', v.softbon.loss_rate),
            q('soft best-of-N: E[R]', v.softbon.reward, 'reward'),
          ]
        : []),
      q('rejection: τ', v.reject.threshold, 'reward'),
      q('rejection: KL', v.reject.kl, 'nats'),
      q('rejection: W', v.reject.win_rate),
      q('rejection: 1 − W', v.reject.loss_rate),
      q('rejection: E[R]', v.reject.reward, 'reward'),
      q('law of R', v.exact ? 'exact' : 'approximate'),
    ],
    notes: (v) =>
      v.softbon
        ? []
        : [
            'No soft best-of-N: at this temperature even N → ∞ (the tilt φ_λ) spends less than Δ; give a larger lambda.',
          ],
    headline: (v) => [
      q('1 − W: frontier', v.loss_rate),
      q('BoN', v.bon.loss_rate),
      q('KL-RL', v.kl_rl.loss_rate),
    ],
    series: {
      frontier: 'win-rate frontier',
      klRl: 'KL-RL',
      bon: 'best-of-N',
      softbon: 'soft best-of-N',
      reject: 'rejection sampling',
    },
    formula: (v) => ({
      tex: 'W = \\sum_j \\pi_j\\,\\bigl(F_{j-1} + \\tfrac{w_j}{2}\\bigr),\\quad \\text{frontier: } \\pi_j \\propto w_j\\,e^{\\mu u_j}',
      values: [
        ['\\Delta', v.delta],
        ['\\mu', v.mu],
        ['W_{\\max}', v.win_rate],
        ['W_{\\mathrm{BoN}}', v.bon.win_rate],
        ['W_{\\text{KL-RL}}', v.kl_rl.win_rate],
      ],
    }),
    sliders: ['delta', 'lambda', 'beta'],
  },
  methods: {
    title: 'Alignment methods side by side',
    quantities: (v) => {
      const last = <P>(c: P[]) => c[c.length - 1];
      const out = [
        q('N from', Math.exp(v.log_n_from)),
        q('N to', Math.exp(v.log_n_to)),
        q('soft best-of-N: λ', v.lambda),
        count('blockwise best-of-N: block b', v.block),
      ];
      for (const [label, c] of [
        ['best-of-N', v.bon],
        ['soft best-of-N', v.softbon],
        ['blockwise best-of-N', v.blockbon],
        ['rejection', v.reject],
      ] as const) {
        const p = last(c as MethodCurvePoint[]);
        if (p)
          out.push(q(`${label} at its largest parameter: KL`, p.kl, 'nats'), q(`${label}: W`, p.win_rate));
      }
      out.push(q('law of R', v.exact ? 'exact' : 'approximate'));
      return out;
    },
    headline: (v) => {
      const b = v.bon[v.bon.length - 1];
      const s = v.softbon[v.softbon.length - 1];
      return [
        ...(b ? [q('BoN W at N max', b.win_rate)] : []),
        ...(s ? [q('soft W', s.win_rate)] : []),
        count(
          'points',
          v.bon.length +
            v.softbon.length +
            v.blockbon.length +
            v.reject.length +
            v.kl_rl.length +
            v.win_rate_frontier.length,
        ),
      ];
    },
    curve: (v) => {
      const rows: LabelledPoint[] = [];
      const add = (method: string, parameterName: string, points: (MethodCurvePoint & { p: Num })[]) => {
        for (const p of points) rows.push({ ...p, method, parameter: p.p, parameterName });
      };
      add(
        'best-of-N',
        'log N',
        v.bon.map((p) => ({ ...p, p: p.log_n })),
      );
      add(
        'soft best-of-N',
        'log N',
        v.softbon.map((p) => ({ ...p, p: p.log_n })),
      );
      add(
        'blockwise best-of-N',
        'log N',
        v.blockbon.map((p) => ({ ...p, p: p.log_n })),
      );
      add(
        'rejection',
        'τ',
        v.reject.map((p) => ({ ...p, p: p.threshold })),
      );
      add(
        'KL-RL',
        'λ',
        v.kl_rl.map((p) => ({ ...p, p: p.lambda })),
      );
      add(
        'win-rate frontier',
        'μ',
        v.win_rate_frontier.map((p) => ({ ...p, p: p.mu })),
      );
      return curve(rows, [
        { header: 'method', unit: '', cell: (p) => p.method },
        { header: 'parameter', unit: '', cell: (p) => `${p.parameterName} = ${formatNumber(p.parameter)}` },
        { header: 'KL', unit: 'nats', cell: (p) => p.kl },
        { header: 'E[R]', unit: 'reward', cell: (p) => p.reward },
        { header: 'W', unit: '', cell: (p) => p.win_rate },
        { header: '1 − W', unit: '', cell: (p) => p.loss_rate },
        { header: 'tokens', unit: 'tokens', cell: (p) => p.tokens_sampled },
      ]);
    },
    series: {
      bon: 'best-of-N',
      softbon: 'soft best-of-N',
      blockbon: 'blockwise best-of-N',
      reject: 'rejection sampling',
      klRl: 'KL-RL (reward frontier)',
      winRateFrontier: 'win-rate frontier',
      planeReward: 'E[R] against KL',
      planeWinRate: 'win rate against KL',
      planeTokens: 'E[R] against tokens sampled',
    },
    formula: (v) => ({
      tex: `W = P(R_\\pi > R') + \\tfrac12\\,P(R_\\pi = R'),\\quad R' \\sim ${texSequenceNotation('p', v.markov)}`,
      values: [
        ['\\lambda_{\\text{soft}}', v.lambda],
        ['b', v.block],
      ],
    }),
    sliders: ['lambda', 'beta', 'block'],
  },
};

/** The presentation of a result's kind (typed loosely: the caller holds a QueryResult). */
export function presentationOf(kind: QueryKind): KindPresentation<QueryKind> {
  return PRESENTATION[kind] as unknown as KindPresentation<QueryKind>;
}

/** The one-line doc of a kind (the query table's). */
export function docOf(kind: QueryKind): string {
  return querySpec(kind)?.doc ?? '';
}

/** The quantities of a result with a value (none for an error). */
export function quantitiesOf(r: QueryResult): Quantity[] {
  return r.value === undefined ? [] : presentationOf(r.query).quantities(r.value);
}

/** The headline quantities of a result with a value (none for an error). */
export function headlineOf(r: QueryResult): Quantity[] {
  return r.value === undefined ? [] : presentationOf(r.query).headline(r.value);
}

/** The notes of a result (none for an error or a kind without notes). */
export function notesOf(r: QueryResult): string[] {
  return r.value === undefined ? [] : (presentationOf(r.query).notes?.(r.value) ?? []);
}

/** The curve of a result, if its kind has one and it has points. */
export function curveOf(r: QueryResult): Curve<unknown> | undefined {
  if (r.value === undefined) return undefined;
  const c = presentationOf(r.query).curve?.(r.value);
  return c && c.points.length > 0 ? c : undefined;
}

/** A quantity's value as text. */
export function formatQuantity(
  x: Quantity | CurveColumn<unknown>,
  value: Num | string,
  digits: number,
): string {
  return x.count && typeof value === 'number' ? formatCount(value, digits) : formatValue(value, digits);
}

/** `label = value` pairs joined: the inline headline (inlay hints, preview cards, CLI). */
export function headlineText(r: QueryResult, digits: number): string | undefined {
  const h = headlineOf(r);
  if (h.length === 0) return undefined;
  return h.map((x) => `${x.label} ${x.relation ?? '='} ${formatQuantity(x, x.value, digits)}`).join(', ');
}

/** A column header with its unit: `KL (nats)`. */
export function headerWithUnit(c: { header: string; unit: Unit }): string {
  return c.unit ? `${c.header} (${c.unit})` : c.header;
}

/**
 * The values a slider for `param` of a `kind` query may take: the parameter's bounds from the
 * query table, with open bounds marked (a slider must stop short of them: β > 0, δ > 0, α > 0,
 * α ≠ 1 is allowed). `max` undefined: no upper bound in the language (the preview picks a span).
 */
export interface SliderBounds {
  readonly min: number;
  readonly max: number | undefined;
  readonly minExclusive: boolean;
  /** Moves on a logarithmic scale (N, which spans orders of magnitude). */
  readonly logScale: boolean;
}

export function sliderBounds(kind: QueryKind, param: string): SliderBounds | undefined {
  if (!(PRESENTATION[kind].sliders as readonly string[]).includes(param)) return undefined;
  const spec = querySpec(kind);
  const p: ParamSpec | undefined = spec ? paramSpec(spec, param) : undefined;
  if (!p || p.min === undefined) return undefined;
  return { min: p.min, max: p.max, minExclusive: p.minExclusive === true, logScale: p.kind === 'count' };
}
