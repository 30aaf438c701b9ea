/**
 * One function per query: parameters (already checked) → core calls → the JSON value.
 * Defaults here are those of the query table (queries.ts).
 */

import {
  type BonSize,
  bestOfNForLength,
  bestOfNSummary,
  comparePolicy,
  frontier as coreFrontier,
  simulate as coreSimulate,
  equivalenceSeries,
  exactLawFits,
  guard,
  lambdaForBudget,
  type Result,
  rateFunctionGrid,
  renyiCrossEntropy,
  type SequenceRewardLaw,
  sequenceCumulants,
  sequenceRewardLaw,
  type TiltSolution,
  type TokenRewardLaw,
  tailExponents,
  tiltAtBeta,
  tiltAtLambda,
  tiltedLaw,
  tiltWinRate,
  tokenTilt,
  withWorkBudget,
} from '../../core/index.js';
import { formatCount, formatNumber } from '../../presentation/format.js';
import { paramSpec } from '../../presentation/queries.js';
import type { BonCurvePoint, QueryKind, QueryValues } from '../../presentation/results.js';
import type { ResolvedModel } from '../checking/models.js';
import type { CheckedQuery, ParamValue } from '../checking/params.js';
import { bonCurve, cgfCurve, MAX_TOKEN_TABLE, renyiCurve } from './enrichment.js';
import { finite, num } from './jsonValues.js';
import { type EvaluationLimits, type EvaluationNote, unwrapCore } from './outcome.js';
import { tiltTokenTables } from './tokenTables.js';

export interface EvaluationContext {
  readonly query: CheckedQuery;
  readonly model: ResolvedModel;
  readonly law: TokenRewardLaw;
  readonly limits: EvaluationLimits;
  readonly notes: EvaluationNote[];
}

/** The kinds evaluated in methodEvaluators.ts (math.md §8). */
export type MethodKind = 'softbon' | 'blockbon' | 'reject' | 'winrate' | 'methods';

/** One evaluator per query kind (these here and the methods' in methodEvaluators.ts). */
export type Evaluators<Kinds extends QueryKind = QueryKind> = {
  [K in Kinds]: (ctx: EvaluationContext) => QueryValues[K];
};

export function numberParam(ctx: Pick<EvaluationContext, 'query'>, name: string): number | undefined {
  const v: ParamValue | undefined = ctx.query.params.get(name);
  return v?.kind === 'number' ? v.value : undefined;
}

/** A parameter's value, or its default from the query table. */
export function numberOrDefault(ctx: Pick<EvaluationContext, 'query'>, name: string): number {
  const v = numberParam(ctx, name);
  if (v !== undefined) return v;
  const d = ctx.query.spec ? paramSpec(ctx.query.spec, name)?.default : undefined;
  if (typeof d !== 'number') throw new Error(`parameter '${name}' has no default`);
  return d;
}

/** The KL-RL solution selected by delta | lambda | beta (λ = 0 when none is given). */
export function tiltSolution(ctx: EvaluationContext): TiltSolution {
  const { law, model } = ctx;
  const delta = numberParam(ctx, 'delta');
  if (delta !== undefined) return unwrapCore(lambdaForBudget(law, model.n, delta));
  const beta = numberParam(ctx, 'beta');
  if (beta !== undefined) return unwrapCore(tiltAtBeta(law, model.n, beta));
  return unwrapCore(tiltAtLambda(law, model.n, numberParam(ctx, 'lambda') ?? 0));
}

function tilt(ctx: EvaluationContext): QueryValues['tilt'] {
  const s = tiltSolution(ctx);
  const { model } = ctx;
  // The model's own law: building it again from p and r would sort 50,000 rewards per keystroke.
  const phiValues = unwrapCore(tokenTilt(model.p, model.reward, s.lambda, ctx.law));
  const tables = tiltTokenTables(
    model.vocab,
    phiValues,
    model.p,
    model.reward,
    ctx.limits.maxTokenTable,
    MAX_TOKEN_TABLE,
    finite,
  );
  return {
    lambda: num(s.lambda, 'λ'),
    beta: num(s.beta, 'β'),
    kl: finite(s.kl, 'KL'),
    reward: finite(s.reward, 'reward'),
    kl_per_token: finite(s.klPerToken, 'KL per token'),
    reward_per_token: finite(s.rewardPerToken, 'reward per token'),
    ...tables,
    ...optional(
      'win_rate',
      tryOptional(() => tiltWinRateIfExact(ctx, s.lambda)),
    ),
  };
}

/** Most work for `tilt.win_rate` (the law of R): beyond it the optional key is left out. */
export const TILT_WIN_RATE_WORK = 4e6;

/**
 * The win rate of φ_λⁿ (math.md (8.5)) when the exact law of R costs at most TILT_WIN_RATE_WORK
 * (tilt queries stay cheap on every keystroke); undefined otherwise — never approximated.
 */
function tiltWinRateIfExact(ctx: EvaluationContext, lambda: number): number | undefined {
  const limits = { maxSupport: ctx.limits.maxExactSupport, maxWork: TILT_WIN_RATE_WORK };
  // Decided from the sizes first: a law that does not fit is never built (tilt stays cheap).
  const fits = exactLawFits(ctx.law, ctx.model.n, limits);
  if (!(fits.ok && fits.value)) return undefined;
  const r = withWorkBudget({ maxUnits: 2 * TILT_WIN_RATE_WORK }, () =>
    tiltWinRate(ctx.law, ctx.model.n, lambda, limits),
  );
  return r.ok && r.value.exact && Number.isFinite(r.value.winRate) ? r.value.winRate : undefined;
}

/** `{ [key]: value }`, or nothing when value is undefined (optional result fields). */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** An optional field's value, or undefined when computing it throws (never fails the query). */
export function tryOptional<V>(f: () => V | undefined): V | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

function cumulants(ctx: EvaluationContext): QueryValues['cumulants'] {
  const s = tiltSolution(ctx);
  const order = numberOrDefault(ctx, 'order');
  const kappa = unwrapCore(sequenceCumulants(ctx.law, ctx.model.n, s.lambda, order));
  return {
    lambda: num(s.lambda, 'λ'),
    kappa: Array.from(kappa, (k, j) => finite(k, `κ${j + 1}`)),
    ...optional(
      'cgf',
      tryOptional(() => cgfCurve(ctx.law, s.lambda)),
    ),
  };
}

function frontier(ctx: EvaluationContext): QueryValues['frontier'] {
  const range = ctx.query.params.get('delta');
  const f = unwrapCore(
    coreFrontier(ctx.law, ctx.model.n, {
      steps: numberOrDefault(ctx, 'steps'),
      ...(range?.kind === 'range' ? { deltaFrom: range.from, deltaTo: range.to } : {}),
    }),
  );
  return {
    points: f.points.map((pt, i) => ({
      lambda: num(pt.lambda, `λ of point ${i}`),
      kl: finite(pt.kl, `KL of point ${i}`),
      reward: finite(pt.reward, `reward of point ${i}`),
    })),
    max_kl: finite(f.maxKL, 'maximum KL'),
    max_reward: finite(f.maxReward, 'maximum reward'),
  };
}

/** N from the `N` (log form) or `logN` parameter. */
export function bonSize(ctx: Pick<EvaluationContext, 'query'>): BonSize {
  const N = ctx.query.params.get('N');
  if (N?.kind === 'count') return N.value !== null ? { N: N.value } : { logN: N.log };
  const logN = numberParam(ctx, 'logN');
  if (logN === undefined) throw new Error('bon needs N or logN (the checker should have said so)');
  return { logN };
}

/** What a query reports about an approximated law of R: the core's method and bounds. */
export interface Approximation {
  readonly exact: boolean;
  readonly method: string;
  /** Units of R: the fine lattice's n·h/2; for 'fourier', the bound on E_BoN R (bon,
   * equivalence) or the level shift that brackets the tails (rate). */
  readonly errorBound: number;
  readonly klErrorBound?: number | undefined;
  readonly klToTiltErrorBound?: number | null | undefined;
  readonly exponentError?: number | undefined;
}

/** Records that the law of R was approximated, with the core's error bounds. */
export function noteApproximation(ctx: EvaluationContext, r: Approximation): void {
  if (r.exact) return;
  if (r.method === 'fourier') {
    const parts = [
      `E_BoN R and the tail levels are within ±${formatNumber(r.errorBound, 3)} of their exact values`,
    ];
    if (r.klErrorBound !== undefined)
      parts.push(`KL(BoN‖pⁿ) within ±${formatNumber(r.klErrorBound, 3)} nats`);
    if (r.klToTiltErrorBound !== undefined && r.klToTiltErrorBound !== null)
      parts.push(`KL(BoN‖φ) within ±${formatNumber(r.klToTiltErrorBound, 3)} nats`);
    if (r.exponentError !== undefined)
      parts.push(`the finite-n tail exponents within ±${formatNumber(r.exponentError, 3)}`);
    ctx.notes.push({
      code: 'approximation',
      message:
        `the rewards are not on a small lattice (n = ${formatCount(ctx.model.n)}); the law of R was computed by ` +
        `Fourier inversion of its exact characteristic function ('fourier'), with rigorous bounds: ${parts.join(', ')}`,
      data: {
        method: r.method,
        errorBound: r.errorBound,
        ...(r.klErrorBound !== undefined ? { klErrorBound: r.klErrorBound } : {}),
        ...(r.klToTiltErrorBound !== undefined && r.klToTiltErrorBound !== null
          ? { klToTiltErrorBound: r.klToTiltErrorBound }
          : {}),
        ...(r.exponentError !== undefined ? { exponentError: r.exponentError } : {}),
      },
    });
    return;
  }
  ctx.notes.push({
    code: 'approximation',
    message:
      `the exact law of R has more than ${formatCount(ctx.limits.maxExactSupport)} points (n = ${formatCount(ctx.model.n)}); ` +
      `rewards were rounded to a fine lattice ('${r.method}'), so every sequence reward R is within ` +
      `±${formatNumber(r.errorBound, 3)} of its exact value and E R is off by at most that`,
    data: { method: r.method, errorBound: r.errorBound },
  });
}

/** The worst of several approximations (the largest bound in units of R), or undefined. */
function worstApproximation(rs: readonly Approximation[]): Approximation | undefined {
  let worst: Approximation | undefined;
  const max = (a: number | null | undefined, b: number | null | undefined) =>
    a === undefined || a === null ? (b ?? undefined) : b === undefined || b === null ? a : Math.max(a, b);
  for (const r of rs) {
    if (r.exact) continue;
    if (worst === undefined) worst = r;
    else
      worst = {
        exact: false,
        method: r.errorBound > worst.errorBound ? r.method : worst.method,
        errorBound: Math.max(worst.errorBound, r.errorBound),
        klErrorBound: max(worst.klErrorBound, r.klErrorBound),
        klToTiltErrorBound: max(worst.klToTiltErrorBound, r.klToTiltErrorBound),
        exponentError: max(worst.exponentError, r.exponentError),
      };
  }
  return worst;
}

function bon(ctx: EvaluationContext): QueryValues['bon'] {
  const { law, model } = ctx;
  const size = bonSize(ctx);
  const maxSupport = ctx.limits.maxExactSupport;
  const logN = 'logN' in size ? size.logN : Math.log(size.N);
  // KL-RL at a budget, solved once per Δ: the curve's last point asks for the query's own two
  // budgets again (an exact solve on a 50,000-value law is a few milliseconds).
  const solved = new Map<number, ReturnType<typeof lambdaForBudget>>();
  const tiltAtBudget = (delta: number) => {
    let r = solved.get(delta);
    if (r === undefined) solved.set(delta, (r = lambdaForBudget(law, model.n, delta)));
    return r;
  };
  // KL-RL at Δ = log N, and KL(BoN ‖ φ_Δ) for that Δ (the paper's comparison).
  const atLogN = unwrapCore(tiltAtBudget(logN));
  // The curve needs the whole law of R; the core uses it for the query's own value too wherever
  // that needs the whole law, so it is built once per query.
  const seqLaw = tryOptional(() => {
    const r = sharedSequenceLaw(law, model.n, maxSupport);
    return r.ok ? r.value : undefined;
  });
  const b = unwrapCore(
    bestOfNForLength(law, model.n, size, {
      maxSupport,
      lambda: atLogN.lambda,
      ...(seqLaw !== undefined ? { sequenceLaw: seqLaw } : {}),
    }),
  );
  // The curve's points state their bounds too (the Fourier method's, or the fine lattice's where
  // a point fell back to it): the note gives the worst of the query's and theirs.
  const pointBounds: Approximation[] = [];
  const curve =
    seqLaw &&
    tryOptional(() =>
      bonCurve(seqLaw, size, {
        bestOfN: (s) => {
          const r = bestOfNSummary(seqLaw, law, s);
          if (r.ok) pointBounds.push(r.value);
          return r;
        },
        tiltAtBudget,
      }),
    );
  const worst = worstApproximation(curve === undefined ? [b] : [b, ...pointBounds]);
  if (worst !== undefined) noteApproximation(ctx, worst);
  const sameKL = unwrapCore(tiltAtBudget(Math.max(0, b.kl)));
  return bonValue(b, sameKL, atLogN, curve);
}

/** A `bon` result from the core's best-of-N and the KL-RL tilts it is compared with (every model kind). */
export function bonValue(
  b: {
    N: number;
    logN: number;
    reward: number;
    kl: number;
    klBound: number;
    exact: boolean;
    klToTilt: number | null;
    winRate: number;
  },
  sameKL: { lambda: number; reward: number },
  atLogN: { lambda: number; reward: number },
  curve: BonCurvePoint[] | undefined,
): QueryValues['bon'] {
  return {
    N: num(b.N, 'N'),
    log_n: finite(b.logN, 'log N'),
    reward: finite(b.reward, 'BoN reward'),
    kl: finite(b.kl, 'KL(BoN‖base)'),
    kl_bound: finite(b.klBound, 'KL bound'),
    exact: b.exact,
    same_kl: {
      lambda: num(sameKL.lambda, 'λ at the BoN KL'),
      reward: finite(sameKL.reward, 'KL-RL reward at the BoN KL'),
    },
    log_n_budget: {
      lambda: num(atLogN.lambda, 'λ at Δ = log N'),
      reward: finite(atLogN.reward, 'KL-RL reward at Δ = log N'),
      kl_bon_to_tilt: num(b.klToTilt ?? Number.NaN, 'KL(BoN‖φ_Δ)'),
    },
    win_rate: finite(b.winRate, 'BoN win rate'),
    ...optional('curve', curve),
  };
}

/**
 * Laws of R already built for a token law, by n and maxSupport. Several queries on one model
 * (two `bon` queries, say) share its resolved law object, so each law of R is built once; both
 * the token law and the law of R are immutable, and the WeakMap lets them go with the model.
 */
const SEQUENCE_LAWS = new WeakMap<TokenRewardLaw, Map<string, Result<SequenceRewardLaw>>>();

export function sharedSequenceLaw(
  law: TokenRewardLaw,
  n: number,
  maxSupport: number,
): Result<SequenceRewardLaw> {
  let byKey = SEQUENCE_LAWS.get(law);
  if (byKey === undefined) {
    byKey = new Map();
    SEQUENCE_LAWS.set(law, byKey);
  }
  const key = `${n}/${maxSupport}`;
  let r = byKey.get(key);
  if (r === undefined) {
    r = sequenceRewardLaw(law, n, { maxSupport });
    byKey.set(key, r);
  }
  return r;
}

/** `steps` evenly spaced points from a to b (both included; one point when steps = 1). */
export function grid(a: number, b: number, steps: number): number[] {
  if (steps <= 1 || a === b) return [a];
  const out: number[] = [];
  for (let i = 0; i < steps; i++) out.push(i === steps - 1 ? b : a + ((b - a) * i) / (steps - 1));
  return out;
}

function rate(ctx: EvaluationContext): QueryValues['rate'] {
  const { law, model } = ctx;
  const s = tiltSolution(ctx);
  const x = ctx.query.params.get('x');
  const steps = numberOrDefault(ctx, 'steps');
  const xs =
    x?.kind === 'number'
      ? [x.value]
      : x?.kind === 'range'
        ? grid(x.from, x.to, steps)
        : grid(law.rMin, law.rMax, steps);
  const rates = unwrapCore(rateFunctionGrid(law, s.lambda, xs));
  // Exact finite-n tails under φ_λⁿ: the sequence law of the tilted token law.
  const tilted = unwrapCore(guard(() => tiltedLaw(law, s.lambda)));
  const seq = unwrapCore(sequenceRewardLaw(tilted, model.n, { maxSupport: ctx.limits.maxExactSupport }));
  const tails = unwrapCore(tailExponents(seq, xs));
  // Each tail states its own bound ('fourier': the level shift and the exponent's error).
  const worst = worstApproximation(
    tails.map((t) => ({
      exact: t.method === 'lattice' || t.method === 'types',
      method: t.method,
      errorBound: t.errorBound,
      exponentError: t.exponentError,
    })),
  );
  if (worst !== undefined) noteApproximation(ctx, worst);
  return {
    lambda: num(s.lambda, 'λ'),
    mean: finite(s.rewardPerToken, 'mean A′(λ)'),
    points: xs.map((xi, i) => ({
      x: finite(xi, `x[${i}]`),
      rate: num(rates[i], `I_λ(${xi})`),
      tail_rate: num(tails[i].exponent, `tail exponent at ${xi}`),
    })),
  };
}

/** The lengths of an equivalence series: one n, or `steps` geometrically spaced integers of a..b. */
export function equivalenceLengths(ctx: Pick<EvaluationContext, 'query'>): number[] {
  const n = ctx.query.params.get('n');
  if (n?.kind === 'number') return [n.value];
  const [a, b] =
    n?.kind === 'range'
      ? [n.from, n.to]
      : String(paramSpec(ctx.query.spec!, 'n')?.default).split('..').map(Number);
  const steps = numberOrDefault(ctx, 'steps');
  const out = new Set<number>();
  for (let i = 0; i < steps; i++) {
    const t = steps === 1 ? 1 : i / (steps - 1);
    out.add(Math.min(b, Math.max(a, Math.round(a * (b / a) ** t))));
  }
  return [...out].sort((u, v) => u - v);
}

function equivalence(ctx: EvaluationContext): QueryValues['equivalence'] {
  const delta = numberParam(ctx, 'rate')!;
  const series = unwrapCore(
    equivalenceSeries(ctx.law, delta, equivalenceLengths(ctx), { maxSupport: ctx.limits.maxExactSupport }),
  );
  const worst = worstApproximation(
    series.points.map((pt) => ({
      exact: pt.exact,
      method: pt.method,
      errorBound: pt.errorBound,
      klErrorBound: pt.klErrorBound,
      klToTiltErrorBound: pt.klToRLErrorBound,
    })),
  );
  if (worst !== undefined) noteApproximation(ctx, worst);
  return {
    rate: finite(series.rate, 'rate δ'),
    lambda: num(series.lambda, 'λ*'),
    rl_reward_per_token: finite(series.rlRewardPerToken, 'KL-RL reward per token'),
    points: series.points.map((pt) => ({
      n: pt.n,
      bon_reward_per_token: finite(pt.bonRewardPerToken, `BoN reward per token at n = ${pt.n}`),
      kl_per_token: finite(pt.klPerToken, `KL per token at n = ${pt.n}`),
      kl_to_rl_per_token: num(pt.klToRLPerToken, `KL(BoN‖φ)/n at n = ${pt.n}`),
    })),
  };
}

function renyi(ctx: EvaluationContext): QueryValues['renyi'] {
  const h = unwrapCore(renyiCrossEntropy(ctx.model.p, ctx.model.reward, numberOrDefault(ctx, 'alpha')));
  return {
    alpha: finite(h.alpha, 'α'),
    cross_entropy: finite(h.crossEntropy, 'H_α'),
    log_c: finite(h.logC, 'log C'),
    ...optional(
      'curve',
      tryOptional(() => renyiCurve(ctx.model.p, ctx.model.reward, h.alpha)),
    ),
  };
}

function compare(ctx: EvaluationContext): QueryValues['compare'] {
  const policy = ctx.query.params.get('policy');
  if (policy?.kind !== 'policy') throw new Error('compare needs a policy (the checker should have said so)');
  const { model } = ctx;
  const c = unwrapCore(
    comparePolicy(model.p, model.reward, policy.policy.q, model.n, numberParam(ctx, 'delta')),
  );
  // The frontier at q's own KL (the core's comparison without a budget): how far q is below the
  // best possible at the KL it spends, whatever Δ the query names.
  const own = Number.isFinite(c.kl)
    ? comparePolicy(model.p, model.reward, policy.policy.q, model.n)
    : undefined;
  return {
    kl: num(c.kl, 'KL(qⁿ‖pⁿ)'),
    reward: finite(c.reward, 'policy reward'),
    frontier_reward: finite(c.frontierReward, 'frontier reward'),
    gap: finite(c.gap, 'reward gap'),
    lambda: num(c.lambda, 'λ'),
    kl_to_optimal: num(c.klToOptimal, 'KL(qⁿ‖φ_Δ)'),
    bound: num(c.bound, 'λ·gap'),
    ...optional('bound_note', BOUND_NOTES[c.boundStatus]),
    ...(own?.ok
      ? {
          frontier_reward_at_kl: finite(own.value.frontierReward, 'frontier reward at KL(qⁿ‖pⁿ)'),
          gap_at_kl: finite(own.value.gap, 'gap at KL(qⁿ‖pⁿ)'),
        }
      : {}),
  };
}

/** Why `compare` reports no stability bound (bound = null = ∞), by the core's boundStatus. */
const BOUND_NOTES = {
  applies: undefined,
  'not-binding':
    'the budget does not bind (Δ ≥ the maximum KL n·(−log p(M))): every policy on the top-reward tokens within the budget is optimal, φ_Δ is only one of them, and the stability theorem gives no bound on KL(qⁿ‖φ_Δ)',
  'over-budget':
    'the policy exceeds the budget (KL(qⁿ‖pⁿ) > Δ): the stability theorem needs KL ≤ Δ; here KL(qⁿ‖φ_Δ) = (KL − Δ) + λ·gap, more than λ·gap',
} as const;

function simulate(ctx: EvaluationContext): QueryValues['simulate'] {
  const params = ctx.query.params;
  const methodParam = params.get('method');
  const method = (methodParam?.kind === 'word' ? methodParam.value : 'base') as 'base' | 'tilt' | 'bon';
  const samples = numberOrDefault(ctx, 'samples');
  const seed = numberOrDefault(ctx, 'seed');
  let lambda: number | undefined;
  let N: number | undefined;
  // Where the estimate sits on the charts: the exact KL(·‖pⁿ) and E R of the sampled model.
  let exact: () => { kl: number; exact_reward: number; log_n?: number } | undefined;
  if (method === 'tilt') {
    const s = tiltSolution(ctx);
    lambda = s.lambda;
    exact = () => ({ kl: s.kl, exact_reward: s.reward });
  } else if (method === 'bon') {
    const size = bonSize(ctx);
    N = 'N' in size ? size.N : Math.exp(size.logN);
    const bonN = N;
    exact = () => {
      const b = bestOfNForLength(
        ctx.law,
        ctx.model.n,
        { N: bonN },
        { maxSupport: ctx.limits.maxExactSupport },
      );
      return b.ok ? { kl: b.value.kl, exact_reward: b.value.reward, log_n: b.value.logN } : undefined;
    };
  } else {
    exact = () => {
      const s = tiltAtLambda(ctx.law, ctx.model.n, 0);
      return s.ok ? { kl: 0, exact_reward: s.value.reward } : undefined;
    };
  }
  const r = unwrapCore(
    coreSimulate(ctx.law, ctx.model.n, {
      method,
      samples,
      seed,
      ...(lambda !== undefined ? { lambda } : {}),
      ...(N !== undefined ? { N } : {}),
      maxDraws: ctx.limits.maxSimulationWork,
    }),
  );
  return {
    method: r.method,
    samples: r.samples,
    seed: r.seed,
    reward_mean: finite(r.mean, 'mean reward'),
    reward_stderr: finite(r.stderr, 'standard error'),
    ...finiteFields(tryOptional(exact)),
  };
}

/** The fields whose values are finite numbers (−0 written as 0); none for undefined. */
function finiteFields<T extends Record<string, number | undefined>>(fields: T | undefined): Partial<T> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(fields ?? {}))
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v === 0 ? 0 : v;
  return out as Partial<T>;
}

export const QUERY_EVALUATORS = {
  rate,
  equivalence,
  renyi,
  compare,
  simulate,
  bon,
  tilt,
  frontier,
  cumulants,
} satisfies Evaluators<Exclude<QueryKind, MethodKind>>;
