/**
 * Policies that change pⁿ only through the value of R (math.md §8): π(y) = pⁿ(y)·g(R(y)), so that
 * on the levels x_1 < … < x_L of R the policy is the level law π_j = w_j·g_j. Every method of §8
 * (best-of-N, soft best-of-N, rejection sampling, the win-rate tilt) is such a policy, and so is
 * the KL-RL tilt φ_λⁿ (g_j = e^{λx_j − nA(λ)}). Their numbers are sums over the levels:
 *
 *   E R = Σ π_j x_j                                          (8.2)
 *   KL(π‖pⁿ) = Σ π_j ℓ_j = Σ w_j f(ℓ_j),  ℓ_j = log g_j       (8.3), f(u) = 1 + (u − 1)eᵘ
 *   KL(π‖φ_λⁿ) = Σ π_j [ℓ_j − λ(x_j − nA'(λ)) − nD(λ)]        (8.4)
 *   W = Σ π_j u_j,  u_j = F_{j−1} + w_j/2                     (8.5), the win rate against pⁿ
 *
 * Every sum is of terms of one sign, except (8.4) whose two large terms are kept centred. The
 * KL is summed in the f-form, so near g ≡ 1 it keeps its relative accuracy (each term is
 * ≈ w ℓ²/2 ≥ 0, where the terms π ℓ would cancel to first order). The win rate and the loss rate
 * 1 − W = Σ π_j v_j, v_j = G_{j+1} + w_j/2, are both summed directly, so W near 1 (best-of-N with
 * huge N) keeps the digits of 1 − W.
 */
import { evaluateTilt, klTerm } from './logPartition.js';
import { logAddExp, NeumaierSum } from './logspace.js';
import { CoreFailure } from './result.js';
import type { TokenRewardLaw } from './rewardLaw.js';
import type { SequenceRewardLaw } from './sequenceLaw.js';
import { chargeWork } from './workBudget.js';

/**
 * The terms of KL(·‖φ_λ) at a finite λ for a base model that is not a token law (a Markov chain):
 * E_{φ_λ} R (the centre, n·A'(λ) for a memoryless model) and KL(φ_λ‖p) (n·D(λ)).
 */
export interface TiltTermsSource {
  terms(lambda: number): { readonly centre: number; readonly nD: number };
}

/** E_{φ_λ} R and KL(φ_λ‖p) at a finite λ, from a token law or a given source. */
function centreAndKL(
  law: SequenceRewardLaw,
  token: TokenRewardLaw | TiltTermsSource,
  lambda: number,
): { centre: number; nD: number } {
  if ('terms' in token) {
    const t = token.terms(lambda);
    return { centre: t.centre, nD: t.nD };
  }
  const st = evaluateTilt(token, lambda).stats;
  return { centre: law.n * st.mean, nD: law.n * st.kl };
}

/** The numbers every method reports (math.md (8.2)–(8.5)). */
export interface LevelPolicySummary {
  /** E_π R. */
  readonly reward: number;
  /** KL(π‖pⁿ) ≥ 0. */
  readonly kl: number;
  /** W = P(R_π > R') + ½ P(R_π = R') for R' ~ pⁿ independent. */
  readonly winRate: number;
  /** 1 − W, summed directly (accurate when W is near 1). */
  readonly lossRate: number;
}

/**
 * log u_j and log v_j of a law (u_j = F_{j−1} + w_j/2, v_j = 1 − u_j = G_{j+1} + w_j/2), cached
 * per law (laws are never mutated).
 */
export interface MidDistribution {
  readonly logWin: Float64Array;
  readonly logLoss: Float64Array;
}

const MID = new WeakMap<SequenceRewardLaw, MidDistribution>();

export function midDistribution(law: SequenceRewardLaw): MidDistribution {
  let mid = MID.get(law);
  if (mid !== undefined) return mid;
  const L = law.values.length;
  chargeWork(2 * L);
  const logWin = new Float64Array(L);
  const logLoss = new Float64Array(L);
  for (let j = 0; j < L; j++) {
    const half = law.logMass[j] - Math.LN2;
    logWin[j] = logAddExp(j > 0 ? law.logLower[j - 1] : Number.NEGATIVE_INFINITY, half);
    logLoss[j] = logAddExp(j + 1 < L ? law.logUpper[j + 1] : Number.NEGATIVE_INFINITY, half);
  }
  mid = { logWin, logLoss };
  MID.set(law, mid);
  return mid;
}

/**
 * The level policy with log-ratios ℓ_j = log(π_j / w_j) (−∞ where π_j = 0), normalised here so
 * that Σ π_j = 1 (a quadrature's rounding is not left in the totals). Returns the normalised
 * log-ratios too. Levels with ℓ_j = −∞ contribute w_j to the f-form of the KL (f(−∞) = 1).
 */
export function summariseLevelPolicy(
  law: SequenceRewardLaw,
  logRatio: ArrayLike<number>,
): LevelPolicySummary & { readonly logRatio: Float64Array; readonly logTotal: number } {
  const L = law.values.length;
  if (logRatio.length !== L) throw new CoreFailure('internal-error', 'level policy: one log-ratio per level');
  chargeWork(3 * L);
  // log Σ π_j, by the accumulator of logCumulative (rescaled, compensated).
  let m = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < L; j++) m = Math.max(m, law.logMass[j] + logRatio[j]);
  if (!(m > Number.NEGATIVE_INFINITY) || !Number.isFinite(m))
    throw new CoreFailure('numerical-failure', 'level policy: the policy has no mass');
  const total = new NeumaierSum();
  for (let j = 0; j < L; j++) total.add(Math.exp(law.logMass[j] + logRatio[j] - m));
  const logTotal = m + Math.log(total.value);
  const ell = new Float64Array(L);
  for (let j = 0; j < L; j++) ell[j] = logRatio[j] - logTotal;
  return { ...summariseNormalised(law, ell), logRatio: ell, logTotal };
}

/** The sums of (8.2), (8.3), (8.5) for log-ratios that are already normalised. */
export function summariseNormalised(law: SequenceRewardLaw, ell: ArrayLike<number>): LevelPolicySummary {
  const L = law.values.length;
  const mid = midDistribution(law);
  chargeWork(4 * L);
  const reward = new NeumaierSum();
  const kl = new NeumaierSum();
  const win = new NeumaierSum();
  const loss = new NeumaierSum();
  for (let j = 0; j < L; j++) {
    const lw = law.logMass[j];
    const l = ell[j];
    const w = Math.exp(lw);
    if (l === Number.NEGATIVE_INFINITY) {
      kl.add(w);
      continue;
    }
    const lp = lw + l;
    const pi = Math.exp(lp);
    // w·f(ℓ): the series form near 0, w + (ℓ − 1)·π otherwise (π computed directly: w may underflow).
    kl.add(l > -0.5 && l < 0.5 ? w * klTerm(l) : w + (l - 1) * pi);
    if (pi === 0) continue;
    reward.add(pi * law.values[j]);
    win.add(Math.exp(lp + mid.logWin[j]));
    loss.add(Math.exp(lp + mid.logLoss[j]));
  }
  return {
    reward: reward.value,
    kl: Math.max(0, kl.value),
    winRate: Math.min(1, Math.max(0, win.value)),
    lossRate: Math.min(1, Math.max(0, loss.value)),
  };
}

/**
 * KL(π‖φ_λⁿ) of a level policy (8.4), λ ∈ [0, ∞]: Σ π_j [ℓ_j − λ(x_j − nA'(λ)) − nD(λ)], the two
 * large terms centred. λ = ∞ (φ = p restricted to the top reward): 0 when π lives on the top level
 * of R, +∞ otherwise. Needs the token law (A', D at λ), or E_{φ_λ} R and KL(φ_λ‖p) from
 * `terms` (a Markov chain).
 */
export function levelPolicyKLToTilt(
  law: SequenceRewardLaw,
  token: TokenRewardLaw | TiltTermsSource,
  ell: ArrayLike<number>,
  lambda: number,
): number {
  const L = law.values.length;
  chargeWork(L);
  if (lambda === Number.POSITIVE_INFINITY) {
    // φ_∞ⁿ puts all its mass on R = n·r_max, the top level (when the law is exact).
    for (let j = 0; j + 1 < L; j++)
      if (Math.exp(law.logMass[j] + ell[j]) > 0) return Number.POSITIVE_INFINITY;
    return 0;
  }
  const { centre, nD } = centreAndKL(law, token, lambda);
  const acc = new NeumaierSum();
  for (let j = 0; j < L; j++) {
    const pi = Math.exp(law.logMass[j] + ell[j]);
    if (pi === 0) continue;
    acc.add(pi * (ell[j] - lambda * (law.values[j] - centre) - nD));
  }
  return Math.max(0, acc.value);
}

/**
 * The log-ratios of the KL-RL tilt φ_λⁿ on the levels of R: ℓ_j = λ(x_j − nA'(λ)) + nD(λ)
 * (= λx_j − nA(λ), centred), λ ∈ [0, ∞]; λ = ∞ puts everything on the top level.
 */
export function tiltLogRatios(
  law: SequenceRewardLaw,
  token: TokenRewardLaw | TiltTermsSource,
  lambda: number,
): Float64Array {
  const L = law.values.length;
  chargeWork(L);
  const out = new Float64Array(L);
  if (lambda === 0) return out;
  if (lambda === Number.POSITIVE_INFINITY) {
    out.fill(Number.NEGATIVE_INFINITY);
    out[L - 1] = -law.logMass[L - 1];
    return out;
  }
  const { centre, nD } = centreAndKL(law, token, lambda);
  for (let j = 0; j < L; j++) out[j] = lambda * (law.values[j] - centre) + nD;
  return out;
}
