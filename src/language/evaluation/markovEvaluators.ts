/**
 * The queries on a `markov` model: parameters (already checked) → the core's Markov functions →
 * the JSON value of the same contract as for memoryless models (results.ts), plus the optional
 * chain readouts. A query kind missing here (renyi) is reported as not available for markov
 * models. The alignment methods share the shaping of methodEvaluators.ts over the chain's
 * computations (markovMethods.ts). docs/math-markov.md states every formula.
 */
import {
  compareChains,
  type MarkovChain,
  type MarkovTiltSolution,
  marginalPositions,
  markovAsymptoticTilt,
  markovBestOfN,
  markovBestOfNSummary,
  markovBlockBestOfN,
  markovCgfLimit,
  markovCumulants,
  markovEquivalencePoints,
  markovFrontier,
  markovLambdaForBudget,
  markovMethodCurves,
  markovRateFunction,
  markovRejectionSampling,
  markovRewardLaw,
  markovScaledCgf,
  markovSimulate,
  markovSoftBestOfN,
  markovTiltAtBeta,
  markovTiltAtLambda,
  markovTiltWinRate,
  markovWinRateComparison,
  mixing,
  perronLimits,
  perronPoint,
  type SequenceRewardLaw,
  tailExponents,
  tiltedChain,
  tiltedRewardLaw,
  tiltMarginals,
  withWorkBudget,
} from '../../core/index.js';
import { formatCount, formatNumber } from '../../presentation/format.js';
import type { MarkovTiltValue, QueryKind, QueryValues } from '../../presentation/results.js';
import { TokenTable } from '../../presentation/tokens.js';
import type { ResolvedModel } from '../checking/models.js';
import type { CheckedQuery } from '../checking/params.js';
import { bonCurve, CGF_POINTS } from './enrichment.js';
import { finite, num, ResultFailure } from './jsonValues.js';
import { METHOD_VALUES, type MethodCore } from './methodEvaluators.js';
import { type EvaluationLimits, type EvaluationNote, unwrapCore } from './outcome.js';
import {
  bonSize,
  bonValue,
  equivalenceLengths,
  grid,
  numberOrDefault,
  numberParam,
  optional,
  TILT_WIN_RATE_WORK,
  tryOptional,
} from './queryEvaluators.js';
import { checkedColumn, tokenRecord, tokenTable } from './tokenTables.js';

export interface MarkovContext {
  readonly query: CheckedQuery;
  readonly model: ResolvedModel;
  readonly chain: MarkovChain;
  readonly limits: EvaluationLimits;
  readonly notes: EvaluationNote[];
}

type MarkovEvaluators = { readonly [K in QueryKind]?: (ctx: MarkovContext) => QueryValues[K] };

/** Largest vocabulary for the matrices and per-position marginals of `tilt.markov`. */
export const MAX_MATRIX_TOKENS = 64;
/** Most positions of `tilt.markov.marginals`. */
export const MARGINAL_POSITIONS = 200;

const ok = (x: number) => typeof x === 'number' && Number.isFinite(x);
const clean = (x: number) => (x === 0 ? 0 : x);

/** The KL-RL solution selected by delta | lambda | beta (λ = 0 when none is given). */
function tiltSolution(ctx: MarkovContext): MarkovTiltSolution {
  const { chain, model } = ctx;
  const delta = numberParam(ctx, 'delta');
  if (delta !== undefined) return unwrapCore(markovLambdaForBudget(chain, model.n, delta));
  const beta = numberParam(ctx, 'beta');
  if (beta !== undefined) return unwrapCore(markovTiltAtBeta(chain, model.n, beta));
  return unwrapCore(markovTiltAtLambda(chain, model.n, numberParam(ctx, 'lambda') ?? 0));
}

/** The asymptotics apply (one recurrent class among the reachable states). */
const asymptotic = (ctx: MarkovContext) => ctx.model.markov?.asymptotic === undefined;

/** token → value for every token (the table of φ). */
function table(vocab: readonly string[], values: ArrayLike<number>, what: string): TokenTable {
  return new TokenTable(vocab, checkedColumn(vocab, values, what, finite));
}

/** A chain's transitions as dense rows over the tokens (for the heatmap). */
function denseRows(chain: MarkovChain, prob: ArrayLike<number>): number[][] {
  const K = chain.size;
  const out: number[][] = [];
  for (let i = 0; i < K; i++) {
    const row = new Array<number>(K).fill(0);
    for (let e = chain.rowStart[i]; e < chain.rowStart[i + 1]; e++) row[chain.col[e]] = clean(prob[e]);
    out.push(row);
  }
  return out;
}

function tilt(ctx: MarkovContext): QueryValues['tilt'] {
  const s = tiltSolution(ctx);
  const { model, chain } = ctx;
  const K = model.vocab.length;
  const small = K <= MAX_MATRIX_TOKENS;
  const marg = unwrapCore(
    tiltMarginals(chain, model.n, s.lambda, small ? marginalPositions(model.n, MARGINAL_POSITIONS) : []),
  );
  const readouts: MarkovTiltValue = {};
  const finiteLambda = Number.isFinite(s.lambda);
  if (finiteLambda && asymptotic(ctx)) {
    const p = tryOptional(() => unwrapCore(perronPoint(chain, s.lambda, 1)));
    if (p && ok(p.logRho) && ok(p.derivatives[0]) && ok(p.klRate)) {
      readouts.log_rho = clean(p.logRho);
      if (ok(Math.exp(p.logRho))) readouts.rho = Math.exp(p.logRho);
      readouts.reward_rate = clean(p.derivatives[0]);
      readouts.kl_rate = clean(p.klRate);
    }
  }
  const stationary = model.markov?.stationary;
  if (stationary) {
    const t = tokenRecord(model.vocab, stationary as number[]);
    if (t) readouts.stationary = t;
  }
  const base = tryOptional(() => unwrapCore(mixing(chain)));
  if (base) readouts.mixing = clean(base.secondModulus);
  const tc =
    finiteLambda && asymptotic(ctx) ? tryOptional(() => unwrapCore(tiltedChain(chain, s.lambda))) : undefined;
  if (tc) {
    const t = tokenRecord(model.vocab, tc.stationary);
    if (t) readouts.stationary_tilted = t;
    const m = tryOptional(() => unwrapCore(mixing(tc.recurrent)));
    if (m) readouts.mixing_tilted = clean(m.secondModulus);
  }
  if (small) {
    readouts.tokens = [...model.vocab];
    readouts.transition = denseRows(chain, chain.prob);
    if (tc) readouts.tilted_transition = denseRows(chain, tc.transitions);
    readouts.positions = marg.positions;
    readouts.marginals = marg.marginals.map((v) => Array.from(v, clean));
  }
  return {
    lambda: num(s.lambda, 'λ'),
    beta: num(s.beta, 'β'),
    kl: finite(s.kl, 'KL'),
    reward: finite(s.reward, 'reward'),
    kl_per_token: finite(s.klPerToken, 'KL per token'),
    reward_per_token: finite(s.rewardPerToken, 'reward per token'),
    phi: table(model.vocab, marg.average, 'φ'),
    ...optional('p', tokenTable(model.vocab, model.p)),
    ...optional('r', tokenTable(model.vocab, model.reward)),
    ...optional(
      'win_rate',
      tryOptional(() => tiltWinRateIfExact(ctx, s.lambda)),
    ),
    markov: readouts,
  };
}

/**
 * The win rate of φ_λ (as the memoryless `tilt.win_rate`): only when the chain's exact law of R
 * costs at most TILT_WIN_RATE_WORK; undefined otherwise — never approximated.
 */
function tiltWinRateIfExact(ctx: MarkovContext, lambda: number): number | undefined {
  const limits = { maxSupport: ctx.limits.maxExactSupport, maxWork: TILT_WIN_RATE_WORK };
  const r = withWorkBudget({ maxUnits: 2 * TILT_WIN_RATE_WORK }, () =>
    markovTiltWinRate(ctx.chain, ctx.model.n, lambda, limits),
  );
  return r.ok && r.value.exact && Number.isFinite(r.value.winRate) ? r.value.winRate : undefined;
}

function frontier(ctx: MarkovContext): QueryValues['frontier'] {
  const range = ctx.query.params.get('delta');
  const f = unwrapCore(
    markovFrontier(ctx.chain, ctx.model.n, {
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
    markov: true,
  };
}

/** Records that the law of R was approximated, with the core's error bound. */
function noteApproximation(
  ctx: MarkovContext,
  r: { exact: boolean; method: string; errorBound: number },
): void {
  if (r.exact) return;
  ctx.notes.push({
    code: 'approximation',
    message:
      `the exact law of R of this chain needs more than ${formatCount(ctx.limits.maxExactSupport)} points or too much work (n = ${formatCount(ctx.model.n)}); ` +
      `rewards were rounded to a fine lattice ('${r.method}'), so every sequence reward R is within ` +
      `±${formatNumber(r.errorBound, 3)} of its exact value and E R is off by at most that`,
    data: { method: r.method, errorBound: r.errorBound },
  });
}

function bon(ctx: MarkovContext): QueryValues['bon'] {
  const { chain, model } = ctx;
  const size = bonSize(ctx);
  const maxSupport = ctx.limits.maxExactSupport;
  const logN = 'logN' in size ? size.logN : Math.log(size.N);
  const atLogN = unwrapCore(markovLambdaForBudget(chain, model.n, logN));
  // The whole law when the query needs it anyway (small N) or for the curve; huge N reads only
  // the top levels (markovBestOfN).
  const seqLaw =
    logN < Math.log(800)
      ? tryOptional(() => unwrapCore(markovRewardLaw(chain, model.n, { maxSupport })))
      : undefined;
  const b = unwrapCore(
    markovBestOfN(chain, model.n, size, {
      maxSupport,
      lambda: atLogN.lambda,
      ...(seqLaw !== undefined ? { sequenceLaw: seqLaw } : {}),
    }),
  );
  noteApproximation(ctx, b);
  const curve =
    seqLaw &&
    tryOptional(() =>
      bonCurve(seqLaw, size, {
        bestOfN: (s) => markovBestOfNSummary(chain, seqLaw, s),
        tiltAtBudget: (delta) => markovLambdaForBudget(chain, model.n, delta),
      }),
    );
  const sameKL = unwrapCore(markovLambdaForBudget(chain, model.n, Math.max(0, b.kl)));
  return bonValue(b, sameKL, atLogN, curve);
}

function equivalence(ctx: MarkovContext): QueryValues['equivalence'] {
  const delta = numberParam(ctx, 'rate') as number;
  const asym = unwrapCore(markovAsymptoticTilt(ctx.chain, delta));
  const points = unwrapCore(
    markovEquivalencePoints(ctx.chain, delta, equivalenceLengths(ctx), {
      maxSupport: ctx.limits.maxExactSupport,
    }),
  );
  const rough = points.filter((pt) => !pt.exact);
  if (rough.length > 0)
    noteApproximation(ctx, {
      exact: false,
      method: 'fine-lattice',
      errorBound: rough[rough.length - 1].errorBound,
    });
  return {
    rate: finite(delta, 'rate δ'),
    lambda: num(asym.lambda, 'λ*'),
    rl_reward_per_token: finite(asym.rewardRate, 'KL-RL reward per token'),
    points: points.map((pt) => ({
      n: pt.n,
      bon_reward_per_token: finite(pt.bonRewardPerToken, `BoN reward per token at n = ${pt.n}`),
      kl_per_token: finite(pt.klPerToken, `KL per token at n = ${pt.n}`),
      kl_to_rl_per_token: num(pt.klToRLPerToken, `KL(BoN‖φ)/n at n = ${pt.n}`),
      rl_lambda: num(pt.rlLambda, `λ at n = ${pt.n}`),
      rl_reward_per_token: finite(pt.rlRewardPerToken, `KL-RL reward per token at n = ${pt.n}`),
    })),
    markov: true,
  };
}

function rate(ctx: MarkovContext): QueryValues['rate'] {
  const { chain, model } = ctx;
  const s = tiltSolution(ctx);
  if (!Number.isFinite(s.lambda))
    throw new ResultFailure(
      'the rate function of a markov model needs a finite λ (the budget is at or above the maximum KL)',
    );
  const lim = unwrapCore(perronLimits(chain));
  const x = ctx.query.params.get('x');
  const steps = numberOrDefault(ctx, 'steps');
  const xs =
    x?.kind === 'number'
      ? [x.value]
      : x?.kind === 'range'
        ? grid(x.from, x.to, steps)
        : grid(lim.xMin, lim.xMax, steps);
  const rates = unwrapCore(markovRateFunction(chain, s.lambda, xs));
  const at = unwrapCore(perronPoint(chain, s.lambda, 1));
  // Exact finite-n tails under φ_λ: the law of R under p, re-weighted by e^{λx}.
  const law = unwrapCore(markovRewardLaw(chain, model.n, { maxSupport: ctx.limits.maxExactSupport }));
  noteApproximation(ctx, law);
  const tails = unwrapCore(tailExponents(tiltedRewardLaw(law, s.lambda), xs));
  return {
    lambda: num(s.lambda, 'λ'),
    mean: finite(at.derivatives[0], 'mean Λ′(λ)'),
    points: xs.map((xi, i) => ({
      x: finite(xi, `x[${i}]`),
      rate: num(rates[i], `I_λ(${xi})`),
      tail_rate: num(tails[i].exponent, `tail exponent at ${xi}`),
    })),
    markov: true,
  };
}

/** The t grid of the cumulants' CGF curves: [−T, T] with T = 2, or 8/span for wide rewards. */
function cgfGrid(chain: MarkovChain): number[] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const w of chain.edgeReward) {
    if (w < min) min = w;
    if (w > max) max = w;
  }
  for (const r of chain.reward) {
    if (r < min) min = r;
    if (r > max) max = r;
  }
  const span = max - min;
  const T = span > 4 ? 8 / span : 2;
  const half = (CGF_POINTS - 1) / 2;
  return Array.from({ length: CGF_POINTS }, (_, i) => clean((T * (i - half)) / half));
}

function curveOf(ts: number[], values: number[] | undefined): { t: number; value: number }[] | undefined {
  if (!values || values.some((v) => !ok(v))) return undefined;
  return ts.map((t, i) => ({ t, value: clean(values[i]) }));
}

function cumulants(ctx: MarkovContext): QueryValues['cumulants'] {
  const { chain, model } = ctx;
  const s = tiltSolution(ctx);
  const order = numberOrDefault(ctx, 'order');
  const kappa = unwrapCore(markovCumulants(chain, model.n, s.lambda, order));
  const finiteLambda = Number.isFinite(s.lambda);
  const ts = cgfGrid(chain);
  const cgf = finiteLambda
    ? tryOptional(() => curveOf(ts, unwrapCore(markovScaledCgf(chain, model.n, s.lambda, ts))))
    : undefined;
  let kappaLimit: number[] | undefined;
  let cgfLimit: { t: number; value: number }[] | undefined;
  if (finiteLambda && asymptotic(ctx)) {
    const p = tryOptional(() => unwrapCore(perronPoint(chain, s.lambda, order)));
    if (p && Array.from(p.derivatives).every(ok)) kappaLimit = Array.from(p.derivatives, clean);
    cgfLimit = tryOptional(() => curveOf(ts, unwrapCore(markovCgfLimit(chain, s.lambda, ts))));
  }
  return {
    lambda: num(s.lambda, 'λ'),
    kappa: Array.from(kappa, (k, j) => finite(k, `κ${j + 1}`)),
    markov: true,
    ...optional('cgf', cgf),
    ...optional('kappa_limit', kappaLimit),
    ...optional('cgf_limit', cgfLimit),
  };
}

/** Why `compare` reports no stability bound (as the memoryless evaluator says it). */
const BOUND_NOTES = {
  applies: undefined,
  'not-binding':
    'the budget does not bind (Δ ≥ the maximum KL −log p(S*)): every policy on the best sequences within the budget is optimal, φ_Δ is only one of them, and the stability theorem gives no bound on KL(q‖φ_Δ)',
  'over-budget':
    'the policy exceeds the budget (KL(q‖p) > Δ): the stability theorem needs KL ≤ Δ; here KL(q‖φ_Δ) = (KL − Δ) + λ·gap, more than λ·gap',
} as const;

function compare(ctx: MarkovContext): QueryValues['compare'] {
  const policy = ctx.query.params.get('policy');
  if (policy?.kind !== 'policy' || !policy.policy.chain)
    throw new ResultFailure('compare needs a valid policy of this model (the checker should have said so)');
  const q = policy.policy.chain;
  const { chain, model } = ctx;
  const c = unwrapCore(compareChains(chain, q, model.n, numberParam(ctx, 'delta')));
  const own = Number.isFinite(c.kl) ? compareChains(chain, q, model.n) : undefined;
  return {
    kl: num(c.kl, 'KL(q‖p)'),
    reward: finite(c.reward, 'policy reward'),
    frontier_reward: finite(c.frontierReward, 'frontier reward'),
    gap: finite(c.gap, 'reward gap'),
    lambda: num(c.lambda, 'λ'),
    kl_to_optimal: num(c.klToOptimal, 'KL(q‖φ_Δ)'),
    bound: num(c.bound, 'λ·gap'),
    ...optional('bound_note', BOUND_NOTES[c.boundStatus]),
    ...(own?.ok
      ? {
          frontier_reward_at_kl: finite(own.value.frontierReward, 'frontier reward at KL(q‖p)'),
          gap_at_kl: finite(own.value.gap, 'gap at KL(q‖p)'),
        }
      : {}),
  };
}

function simulate(ctx: MarkovContext): QueryValues['simulate'] {
  const { chain, model } = ctx;
  const methodParam = ctx.query.params.get('method');
  const method = (methodParam?.kind === 'word' ? methodParam.value : 'base') as 'base' | 'tilt' | 'bon';
  let lambda: number | undefined;
  let N: number | undefined;
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
      const b = markovBestOfN(chain, model.n, { N: bonN }, { maxSupport: ctx.limits.maxExactSupport });
      return b.ok ? { kl: b.value.kl, exact_reward: b.value.reward, log_n: b.value.logN } : undefined;
    };
  } else {
    exact = () => {
      const s = markovTiltAtLambda(chain, model.n, 0);
      return s.ok ? { kl: 0, exact_reward: s.value.reward } : undefined;
    };
  }
  const r = unwrapCore(
    markovSimulate(chain, model.n, {
      method,
      samples: numberOrDefault(ctx, 'samples'),
      seed: numberOrDefault(ctx, 'seed'),
      ...(lambda !== undefined ? { lambda } : {}),
      ...(N !== undefined ? { N } : {}),
      maxDraws: ctx.limits.maxSimulationWork,
    }),
  );
  const extra = tryOptional(exact);
  const fields: { kl?: number; exact_reward?: number; log_n?: number } = {};
  if (extra)
    for (const [k, v] of Object.entries(extra))
      if (typeof v === 'number' && ok(v)) (fields as Record<string, number>)[k] = clean(v);
  return {
    method: r.method,
    samples: r.samples,
    seed: r.seed,
    reward_mean: finite(r.mean, 'mean reward'),
    reward_stderr: finite(r.stderr, 'standard error'),
    ...fields,
  };
}

/** The methods of a chain (markovMethods.ts), on one law of R built on first use. */
function chainCore(ctx: MarkovContext): MethodCore {
  const { chain, model } = ctx;
  const n = model.n;
  const maxSupport = ctx.limits.maxExactSupport;
  let law: SequenceRewardLaw | undefined;
  const options = () => {
    law ??= unwrapCore(markovRewardLaw(chain, n, { maxSupport }));
    return { maxSupport, sequenceLaw: law };
  };
  return {
    soft: (size, lambda) => markovSoftBestOfN(chain, n, size, lambda, options()),
    block: (size, block) => markovBlockBestOfN(chain, n, size, block, options()),
    reject: (target) => markovRejectionSampling(chain, n, target, options()),
    winRate: (delta, softLambda) => markovWinRateComparison(chain, n, delta, softLambda, options()),
    curves: (curve) => markovMethodCurves(chain, n, curve, options()),
    note: (r) => noteApproximation(ctx, r),
  };
}

/**
 * A value computed on a chain, marked as such (after its own keys): its KL and win rates are
 * against the chain's law of sequences p, and the labels say so (presentation/kinds.ts).
 */
const onChain = <V extends object>(v: V): V & { markov: true } => ({ ...v, markov: true });

export const MARKOV_EVALUATORS: MarkovEvaluators = {
  softbon: (ctx) => onChain(METHOD_VALUES.softbon(ctx, chainCore(ctx))),
  blockbon: (ctx) => onChain(METHOD_VALUES.blockbon(ctx, chainCore(ctx))),
  reject: (ctx) => onChain(METHOD_VALUES.reject(ctx, chainCore(ctx))),
  winrate: (ctx) => onChain(METHOD_VALUES.winrate(ctx, chainCore(ctx))),
  methods: (ctx) => onChain(METHOD_VALUES.methods(ctx, chainCore(ctx))),
  tilt,
  frontier,
  bon: (ctx) => onChain(bon(ctx)),
  equivalence,
  rate,
  cumulants,
  compare: (ctx) => onChain(compare(ctx)),
  simulate: (ctx) => onChain(simulate(ctx)),
};
