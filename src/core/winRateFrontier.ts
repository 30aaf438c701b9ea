/**
 * The win-rate frontier (math.md (8.15)–(8.16)): the largest win rate W against pⁿ that any
 * policy reaches with KL(·‖pⁿ) ≤ Δ. W = Σ_y π(y)·u(R(y)) is linear in π, so the maximiser is the
 * tilt of pⁿ by the mid-distribution function u of R: g_j = e^{μu_j}/Σ_k w_k e^{μu_k}, μ ≥ 0 with
 * KL = Δ — the KL-RL problem of math.md §3 on the levels of R (n = 1, "rewards" u_j) instead of on
 * tokens. It is not a product measure.
 *
 * Computation: the levels as a reward law with values −v_j = u_j − 1 (v_j = P(R > x_j) + w_j/2,
 * summed directly, so the top levels' tiny differences are exact; bottom levels whose u agree to
 * the last bit are merged, which changes nothing: their weights are equal) and masses w_j, solved
 * by the core's KL-RL solver (`lambdaForBudget`, n = 1) and traced by its frontier. 1 − W is
 * E_π v = v_top + (the mean gap to the top), both summed directly.
 */
import { frontierUnchecked } from './frontier.js';
import { lambdaForBudgetUnchecked } from './klrl.js';
import { midDistribution } from './levelPolicy.js';
import { evaluateTilt } from './logPartition.js';
import { logAddExp } from './logspace.js';
import type { TokenRewardLaw } from './rewardLaw.js';
import type { SequenceRewardLaw } from './sequenceLaw.js';
import { chargeWork } from './workBudget.js';

export interface WinRateLevelLaw {
  /** The levels of R as a reward law: values u_j − 1 = −v_j (merged where equal), masses w_j. */
  readonly law: TokenRewardLaw;
  /** v_j per level of R (not merged). */
  readonly loss: Float64Array;
}

const LEVEL_LAWS = new WeakMap<SequenceRewardLaw, WinRateLevelLaw>();

export function winRateLevelLaw(seq: SequenceRewardLaw): WinRateLevelLaw {
  let cached = LEVEL_LAWS.get(seq);
  if (cached !== undefined) return cached;
  const L = seq.values.length;
  const mid = midDistribution(seq);
  chargeWork(2 * L);
  const loss = new Float64Array(L);
  for (let j = 0; j < L; j++) loss[j] = Math.exp(mid.logLoss[j]);
  const values: number[] = [];
  const logMass: number[] = [];
  for (let j = 0; j < L; j++) {
    const v = -loss[j];
    if (values.length > 0 && v <= values[values.length - 1]) {
      logMass[logMass.length - 1] = logAddExp(logMass[logMass.length - 1], seq.logMass[j]);
      continue;
    }
    values.push(v);
    logMass.push(seq.logMass[j]);
  }
  const last = values.length - 1;
  const law: TokenRewardLaw = {
    values: Float64Array.from(values),
    logMass: Float64Array.from(logMass),
    rMin: values[0],
    rMax: values[last],
    logMassMax: logMass[last],
    logMassMin: logMass[0],
    tokenCount: values.length,
    inputMass: 1,
  };
  cached = { law, loss };
  LEVEL_LAWS.set(seq, cached);
  return cached;
}

export interface WinRateFrontierPoint {
  /** μ ∈ [0, ∞] (∞: everything on the top level of R). */
  readonly mu: number;
  readonly kl: number;
  readonly winRate: number;
  /** 1 − W, summed directly. */
  readonly lossRate: number;
}

/** The frontier at budget Δ ≥ 0, and the level log-ratios of its policy. */
export function winRateFrontierAt(
  seq: SequenceRewardLaw,
  delta: number,
): WinRateFrontierPoint & { readonly logRatio: Float64Array } {
  const { law, loss } = winRateLevelLaw(seq);
  const sol = lambdaForBudgetUnchecked(law, 1, delta);
  const mu = sol.lambda;
  const L = seq.values.length;
  const logRatio = new Float64Array(L);
  chargeWork(L);
  if (mu === Number.POSITIVE_INFINITY || law.values.length === 1) {
    logRatio.fill(Number.NEGATIVE_INFINITY);
    // Every level whose u equals the top one (merged with it) shares the mass.
    const topMass = law.logMassMax;
    for (let j = 0; j < L; j++) if (-loss[j] >= law.rMax) logRatio[j] = -topMass;
    return { mu, kl: sol.kl, winRate: 1 - loss[L - 1], lossRate: loss[L - 1], logRatio };
  }
  const st = evaluateTilt(law, mu).stats;
  // log g_j = μ(−v_j − A'(μ)) + D(μ), centred; E v = v_top + (r_max − A').
  const meanLoss = -st.mean;
  for (let j = 0; j < L; j++) logRatio[j] = -mu * (loss[j] - meanLoss) + st.kl;
  const lossRate = Math.min(1, Math.max(0, loss[L - 1] + st.meanGapMax));
  return { mu, kl: sol.kl, winRate: 1 - lossRate, lossRate, logRatio };
}

/** The frontier's curve: `steps` points with KL spread evenly over [0, min(deltaTo, max KL)]. */
export function winRateFrontierCurve(
  seq: SequenceRewardLaw,
  steps: number,
  deltaTo?: number,
): WinRateFrontierPoint[] {
  const { law } = winRateLevelLaw(seq);
  if (law.values.length === 1) return [{ mu: 0, kl: 0, winRate: 0.5, lossRate: 0.5 }];
  const f = frontierUnchecked(law, 1, { steps, ...(deltaTo !== undefined ? { deltaTo } : {}) });
  return f.points.map((p) => {
    const lossRate = Math.min(1, Math.max(0, -p.reward));
    return { mu: p.lambda, kl: p.kl, winRate: 1 - lossRate, lossRate };
  });
}
