/**
 * Optimal KL-constrained RL for a Markov model (docs/math-markov.md §2): the maximiser of E_φ R
 * subject to KL(φ‖p) ≤ Δ is still the tilt φ_λ(y) = p(y)·e^{λ R(y) − A_n(λ)}, now a
 * time-inhomogeneous Markov chain, with λ solving KL(φ_λ‖p) = λ·A_n′(λ) − A_n(λ) = Δ. Every
 * evaluation is one backward pass (markovMessages.ts); the λ solve, the frontier and the maximum
 * KL are built on it exactly as klrl.ts and frontier.ts build them on A(s) for a memoryless model.
 */

import type { Frontier, FrontierOptions, FrontierPoint } from './frontier.js';
import { geometricMean, requireSequenceLength, type TiltSolution } from './klrl.js';
import { requireTilt } from './logPartition.js';
import { type ActiveChain, activeChain, type MarkovChain } from './markovChain.js';
import { backwardPass, type PassResult } from './markovMessages.js';
import { CoreFailure, guard, type Result, require } from './result.js';

/** The KL-RL solution with the variance of R under it (the solver's derivative, dKL/dλ = λ·Var). */
export interface MarkovTiltSolution extends TiltSolution {
  /** Var R under φ_λ. */
  readonly variance: number;
}

/** The smallest positive λ whose reciprocal is a double (as klrl.ts). */
const MIN_TILT = 5.56268464626801e-309;

/** Passes at a fixed tilt, per active chain and n (the chain's own facts: K_max, Var_p R). */
const fixedPasses = new Map<number, WeakMap<ActiveChain, Map<number, PassResult>>>();

/** The order-2 pass at tilt s over n positions, computed once per active chain and n. */
function fixedPass(ac: ActiveChain, n: number, s: number): PassResult {
  let byChain = fixedPasses.get(s);
  if (byChain === undefined) {
    byChain = new WeakMap();
    fixedPasses.set(s, byChain);
  }
  let byN = byChain.get(ac);
  if (byN === undefined) {
    byN = new Map();
    byChain.set(ac, byN);
  }
  let pass = byN.get(n);
  if (pass === undefined) {
    pass = backwardPass(ac, n, s, { order: 2 });
    byN.set(n, pass);
  }
  return pass;
}

/** The pass at λ = ∞ (p restricted to the best sequences), cached per chain and n. */
export function limitPass(chain: MarkovChain, n: number): PassResult {
  return fixedPass(activeChain(chain), n, Number.POSITIVE_INFINITY);
}

/**
 * The pass at λ = 0 (p itself: E_p R, Var_p R), cached per active chain and n like the limit
 * pass: a λ solve starts from Var_p R, and re-solving for another Δ on the same model (a slider,
 * a frontier) should not pay for it again.
 */
export function basePass(ac: ActiveChain, n: number): PassResult {
  return fixedPass(ac, n, 0);
}

/** The largest useful budget: −log p(S*), S* the sequences of largest reward. */
export function markovMaxKLUnchecked(chain: MarkovChain, n: number): number {
  requireSequenceLength(n);
  return limitPass(chain, n).kl;
}

/** KL of p restricted to the best sequences, −log p(S*). Errors: invalid n. */
export function markovMaxKL(chain: MarkovChain, n: number): Result<number> {
  return guard(() => markovMaxKLUnchecked(chain, n));
}

/**
 * R* = the largest reward of a sequence of length n the chain produces with positive probability
 * (the λ = ∞ pass: a max-plus recursion over the active transitions, cached per chain and n).
 * Errors: invalid n, a reward beyond the double range.
 */
export function markovMaxReward(chain: MarkovChain, n: number): Result<number> {
  return guard(() => {
    requireSequenceLength(n);
    return requireTotal(limitPass(chain, n).rMax, 'the largest reward');
  });
}

function requireTotal(x: number, what: string): number {
  if (!Number.isFinite(x))
    throw new CoreFailure(
      'out-of-range',
      `${what} exceeds the largest double (≈ 1.8e308): the rewards are too large for this length`,
    );
  return x;
}

function solutionOf(
  chain: MarkovChain,
  n: number,
  lambda: number,
  pass: PassResult,
  kl?: number,
): MarkovTiltSolution {
  const klTotal = kl ?? pass.kl;
  const reward = requireTotal(pass.cumulants[0], 'the expected reward');
  return {
    lambda,
    beta: lambda === 0 ? Number.POSITIVE_INFINITY : 1 / lambda,
    n,
    kl: klTotal,
    reward,
    klPerToken: klTotal / n,
    rewardPerToken: reward / n,
    binding: Number.isFinite(lambda) && markovMaxKLUnchecked(chain, n) > 0,
    variance: Math.max(0, pass.cumulants[1] ?? 0),
  };
}

/** Internal (throws): φ_λ at λ ∈ [0, ∞]. */
export function markovTiltAtLambdaUnchecked(
  chain: MarkovChain,
  n: number,
  lambda: number,
): MarkovTiltSolution {
  requireSequenceLength(n);
  requireTilt(lambda, 'λ');
  if (!(lambda >= 0))
    throw new CoreFailure('out-of-range', `λ = ${lambda} is negative; KL-constrained RL needs λ ≥ 0`);
  if (lambda > 0 && !(1 / lambda < Number.POSITIVE_INFINITY))
    throw new CoreFailure(
      'out-of-range',
      `λ = ${lambda} is so small that β = 1/λ exceeds the largest double; use λ = 0 or λ ≥ ${MIN_TILT}`,
    );
  const pass =
    lambda === Number.POSITIVE_INFINITY
      ? limitPass(chain, n)
      : backwardPass(activeChain(chain), n, lambda, { order: 2 });
  return solutionOf(chain, n, lambda, pass);
}

/** φ_λ of a Markov model for λ ∈ [0, ∞]. Errors: NaN or negative λ, invalid n. */
export function markovTiltAtLambda(
  chain: MarkovChain,
  n: number,
  lambda: number,
): Result<MarkovTiltSolution> {
  return guard(() => markovTiltAtLambdaUnchecked(chain, n, lambda));
}

/** φ_λ for the penalty β ∈ [0, ∞] (λ = 1/β). */
export function markovTiltAtBeta(chain: MarkovChain, n: number, beta: number): Result<MarkovTiltSolution> {
  return guard(() => {
    requireTilt(beta, 'β');
    require(beta >= 0, 'out-of-range', `β = ${beta} is negative; the KL penalty needs β ≥ 0`);
    require(beta === 0 ||
      1 / beta <
        Number.POSITIVE_INFINITY, 'out-of-range', `β = ${beta} is so small that λ = 1/β exceeds the largest double; use β = 0 (λ = ∞) or β ≥ ${MIN_TILT}`);
    const lambda = beta === 0 ? Number.POSITIVE_INFINITY : 1 / beta;
    return { ...markovTiltAtLambdaUnchecked(chain, n, lambda), beta };
  });
}

/**
 * The KL-RL solution for a total budget Δ ≥ 0 (∞ allowed): Δ ≥ max KL → λ = ∞ (binding false);
 * Δ = 0 → λ = 0; otherwise λ solves KL(φ_λ‖p) = Δ (`solveMarkovKL`). Errors: bad Δ or n.
 */
export function markovLambdaForBudget(
  chain: MarkovChain,
  n: number,
  delta: number,
): Result<MarkovTiltSolution> {
  return guard(() => markovLambdaForBudgetUnchecked(chain, n, delta));
}

export function markovLambdaForBudgetUnchecked(
  chain: MarkovChain,
  n: number,
  delta: number,
  start?: number,
): MarkovTiltSolution {
  requireSequenceLength(n);
  if (!(typeof delta === 'number' && delta >= 0))
    throw new CoreFailure('invalid-argument', `the KL budget Δ = ${delta} is not a non-negative number`);
  const kmax = markovMaxKLUnchecked(chain, n);
  if (delta >= kmax) return solutionOf(chain, n, Number.POSITIVE_INFINITY, limitPass(chain, n));
  const ac = activeChain(chain);
  if (delta === 0) return solutionOf(chain, n, 0, basePass(ac, n), 0);
  const pass = solveMarkovKL(ac, n, delta, kmax, start);
  return solutionOf(chain, n, pass.s, pass);
}

/**
 * Solves KL(φ_s‖p) = Δ for 0 < Δ < K_max (throws), each evaluation one backward pass
 * (`solveIncreasingKL`). Start: `start` if given, else s₀ = √(2Δ/Var_p R), capped.
 */
export function solveMarkovKL(
  ac: ActiveChain,
  n: number,
  delta: number,
  kmax: number,
  start?: number,
): PassResult {
  const residualLimit = -kmax; // log Z̃(∞) = log p(S*) = −K_max
  let last: PassResult | undefined;
  // The complement K_max − KL (which needs the gap) is read above K_max/2 only.
  const gap = delta > kmax / 2;
  const evaluate = (s: number): KLPoint => {
    const pass = backwardPass(ac, n, s, { order: 2, gap });
    last = pass;
    return {
      kl: pass.kl,
      complement: Math.max(0, pass.logResidual - residualLimit) + s * pass.gap,
      variance: pass.cumulants[1],
    };
  };
  const s0 =
    start !== undefined && start > 0 && Number.isFinite(start)
      ? start
      : initialTilt(basePass(ac, n).cumulants[1], delta, (50 * n) / Math.max(1e-300, 2 * ac.scale * n), kmax);
  const s = solveIncreasingKL(evaluate, delta, kmax, s0, 50 / Math.max(1e-300, 2 * ac.scale));
  if (last === undefined || last.s !== s) return backwardPass(ac, n, s, { order: 2, gap });
  return last;
}

/**
 * √(2Δ/Var) (the small-tilt solution of KL ≈ s²·Var/2), capped. With the largest KL K_max, the
 * solution of the saturating model KL ≈ K_max·a s²/(1 + a s²), a = Var/(2K_max), which has the same
 * small-tilt form and the limit K_max: √(2Δ/(Var·(1 − Δ/K_max))). A start nearer the solution
 * when Δ is a fair share of K_max saves a Newton step; any start converges.
 */
export function initialTilt(variance: number, delta: number, cap: number, kmax?: number): number {
  if (!(variance > 0)) return cap;
  const saturation = kmax !== undefined && kmax > delta ? 1 - delta / kmax : 1;
  return Math.min(Math.sqrt((2 * delta) / (variance * saturation)), cap);
}

/** A KL and its complement K_max − KL (computed directly, ≥ 0) at a tilt, with Var R there. */
export interface KLPoint {
  readonly kl: number;
  readonly complement: number;
  readonly variance: number;
}

/**
 * The tilt s > 0 with kl(s) = Δ for an increasing KL curve with dKL/ds = s·Var and limit K_max
 * (throws). Safeguarded Newton as klrl.ts's `solveTiltForKL`: below K_max/2 in y = log s on
 * log KL − log Δ (slope s²·Var/KL), above it in y = s on log(K_max − Δ) − log(complement)
 * (slope s·Var/complement; the complement K_max − KL(s) is computed by the caller without
 * cancellation). Every evaluation narrows a bracket; steps leaving it, or not halving |g|, are
 * replaced by bisection (geometric when the bracket is wide); while the bracket is open steps
 * are capped (|Δ log s| ≤ 2, resp. Δs ≤ 8·max(s, cap)). Stops after a Newton step |Δy| ≤ 1e-9
 * (quadratic convergence: the error is then ≈ 1e-18), when the bracket is 4e-16 wide, or when the
 * KL matches to rounding (|g| ≤ 1e-15).
 */
export function solveIncreasingKL(
  evaluate: (s: number) => KLPoint,
  delta: number,
  kmax: number,
  s0: number,
  cap: number,
): number {
  const upper = delta > kmax / 2;
  const target = upper ? Math.log(kmax - delta) : Math.log(delta);
  let y = upper ? s0 : Math.log(s0);
  let lo = upper ? 0 : Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  let previous = Number.POSITIVE_INFINITY;
  // The last evaluation's (y, g, dy/dg), for the Hermite correction of the next Newton step.
  let yPrev = Number.NaN;
  let gPrev = Number.NaN;
  let dPrev = Number.NaN;
  for (let iter = 0; iter < 400; iter++) {
    const s = upper ? y : Math.exp(y);
    const pt = evaluate(s);
    const value = upper ? pt.complement : pt.kl;
    const g = upper ? target - Math.log(value) : Math.log(value) - target;
    // |g| is a relative error of the KL: at rounding level the KL is matched, and steps driven by
    // its noise (which need not halve) would only bisect away from the solution.
    if (Math.abs(g) <= 1e-15) return s;
    const bracketed = Number.isFinite(lo) && Number.isFinite(hi);
    const slow = Math.abs(g) > 0.5 * previous && bracketed;
    previous = Math.abs(g);
    if (g < 0) lo = y;
    else hi = y;
    const bracketNow = Number.isFinite(lo) && Number.isFinite(hi);
    const openStep = upper ? 8 * Math.max(y, cap) : 2;
    const slope = ((upper ? 1 : s) * s * pt.variance) / value;
    let dy = -g / slope;
    if (!Number.isFinite(dy)) dy = g < 0 ? openStep : -openStep;
    else dy += hermiteCorrection(y, g, 1 / slope, yPrev, gPrev, dPrev, dy);
    yPrev = y;
    gPrev = g;
    dPrev = slope > 0 && Number.isFinite(slope) ? 1 / slope : Number.NaN;
    let next = y + dy;
    let newton = true;
    if (!(next > lo && next < hi) || slow) {
      newton = false;
      if (bracketNow) next = upper && lo > 0 && hi > 4 * lo ? geometricMean(lo, hi) : 0.5 * (lo + hi);
      else next = y + (g < 0 ? openStep : -openStep);
    } else if (Math.abs(dy) > openStep && !bracketNow) {
      newton = false;
      next = y + Math.sign(dy) * openStep;
    }
    const scale = upper ? Math.abs(y) : Math.max(1, Math.abs(y));
    if (Math.abs(next - y) <= 1e-15 * scale) return s;
    if ((newton && Math.abs(dy) <= 1e-9 * scale) || (bracketNow && hi - lo <= 4e-16 * scale))
      return upper ? next : Math.exp(next);
    y = next;
  }
  throw new CoreFailure('numerical-failure', `no convergence solving KL(φ_λ‖p) = ${delta}`);
}

/**
 * The correction to the Newton step −g·d at (y, g) (d = dy/dg) that makes it the zero of the
 * cubic interpolating the inverse y(g) and its slope at this point and the previous one
 * (yA, gA, dA): y_N + g²·(f[g,g,gA] − gA·f[g,g,gA,gA]) in divided differences. The error of
 * such a step is ~ g²·gA² where Newton's is ~ g², so the solve needs one pass fewer
 * (docs/math-markov.md §2).
 * 0 when there is no usable previous point, or when the correction is not small beside the
 * Newton step (points far apart: the cubic is no better than the tangent there).
 */
export function hermiteCorrection(
  y: number,
  g: number,
  d: number,
  yA: number,
  gA: number,
  dA: number,
  newtonStep: number,
): number {
  const h = gA - g;
  if (!(Number.isFinite(yA) && Number.isFinite(dA) && dA > 0 && d > 0 && h !== 0)) return 0;
  // Only once converging: this point nearer the root than the previous one.
  if (!(Math.abs(g) < 0.5 * Math.abs(gA))) return 0;
  const fAB = (yA - y) / h;
  const fBBA = (fAB - d) / h;
  const fBAA = (dA - fAB) / h;
  const fBBAA = (fBAA - fBBA) / h;
  const correction = g * g * (fBBA - gA * fBBAA);
  return Number.isFinite(correction) && Math.abs(correction) <= 0.25 * Math.abs(newtonStep) ? correction : 0;
}

/** Chains with at most this many transitions × positions to settle solve every frontier target exactly. */
const EXACT_FRONTIER_WORK = 20_000;

/**
 * The frontier F(Δ) = E_{φ_λ} R on `steps` points with KL spread over [deltaFrom, deltaTo]
 * (default 0 … max KL): Δ = 0 → λ = 0, Δ = max KL → λ = ∞. Every point is one pass at the λ it
 * reports, so it lies exactly on the frontier. Small chains (transitions × min(n, 64) ≤ 20,000)
 * solve each evenly spaced KL target exactly, warm-started from the previous point; larger ones
 * take each λ from a second-order prediction off the previous two points
 * (dλ/dΔ = 1/(λ·Var R), curvature fitted), one pass per point, so the KL spacing is even to
 * within the prediction's error (a fraction of a spacing). A model whose R takes one value gives
 * one point. Errors: as `frontier` (frontier.ts).
 */
export function markovFrontier(chain: MarkovChain, n: number, options: FrontierOptions): Result<Frontier> {
  return guard(() => {
    requireSequenceLength(n);
    const { steps } = options;
    require(Number.isInteger(steps) &&
      steps >= 2 &&
      steps <= 100000, 'out-of-range', `steps = ${steps} is not an integer in 2..100000`);
    const kmax = markovMaxKLUnchecked(chain, n);
    const top = limitPass(chain, n);
    const maxReward = requireTotal(top.rMax, 'the largest reward');
    if (!(kmax > 0)) return { points: [{ lambda: 0, kl: 0, reward: maxReward }], maxKL: kmax, maxReward };
    const from = options.deltaFrom ?? 0;
    const toRequested = options.deltaTo ?? kmax;
    require(typeof from === 'number' &&
      Number.isFinite(from) &&
      from >= 0, 'invalid-argument', `deltaFrom = ${from} is not a finite non-negative number`);
    require(typeof toRequested === 'number' &&
      toRequested >= 0, 'invalid-argument', `deltaTo = ${toRequested} is not a non-negative number`);
    require(from <= kmax, 'out-of-range', `deltaFrom = ${from} exceeds the maximum KL ${kmax}`);
    const to = Math.min(toRequested, kmax);
    require(to >= from, 'out-of-range', `deltaTo = ${toRequested} is below deltaFrom = ${from}`);
    const ac = activeChain(chain);
    const exact = ac.col.length * Math.min(n, 64) <= EXACT_FRONTIER_WORK;
    const points: FrontierPoint[] = [];
    const sols: MarkovTiltSolution[] = [];
    for (let i = 0; i < steps; i++) {
      const target = i === steps - 1 ? to : from + ((to - from) * i) / (steps - 1);
      const prev = sols[sols.length - 1];
      let sol: MarkovTiltSolution;
      if (target >= kmax) sol = solutionOf(chain, n, Number.POSITIVE_INFINITY, top);
      else if (target <= 0) sol = solutionOf(chain, n, 0, basePass(ac, n), 0);
      else {
        const predicted = predictTilt(sols, target);
        if (exact || predicted === undefined || prev === undefined || i === 0) {
          const pass = solveMarkovKL(ac, n, target, kmax, predicted ?? prev?.lambda);
          sol = solutionOf(chain, n, pass.s, pass);
        } else {
          const pass = backwardPass(ac, n, predicted, { order: 2, gap: false });
          sol = solutionOf(chain, n, predicted, pass);
        }
      }
      // Points must increase: a prediction that fell short of the previous point is solved.
      if (prev && !(sol.kl > prev.kl && sol.lambda > prev.lambda) && target > prev.kl && target < kmax) {
        const pass = solveMarkovKL(ac, n, target, kmax, prev.lambda > 0 ? prev.lambda : undefined);
        sol = solutionOf(chain, n, pass.s, pass);
      }
      points.push({ lambda: sol.lambda, kl: sol.kl, reward: sol.reward });
      sols.push(sol);
    }
    return { points, maxKL: kmax, maxReward };
  });
}

/**
 * λ for the KL `target` predicted from the last two solutions: first order from the last
 * (dλ/dΔ = 1/(λ·Var)), plus the curvature fitted through the one before; kept in (λ, 4λ).
 */
function predictTilt(sols: readonly MarkovTiltSolution[], target: number): number | undefined {
  const last = sols[sols.length - 1];
  if (!last || !(last.lambda > 0 && Number.isFinite(last.lambda) && last.variance > 0)) return undefined;
  const q1 = 1 / (last.lambda * last.variance);
  const step = target - last.kl;
  let predicted = last.lambda + step * q1;
  const before = sols[sols.length - 2];
  if (before && before.lambda > 0 && Number.isFinite(before.lambda)) {
    const back = before.kl - last.kl;
    const q2 = (before.lambda - last.lambda - back * q1) / (back * back);
    const quadratic = predicted + step * step * q2;
    if (Number.isFinite(quadratic)) predicted = quadratic;
  }
  return predicted > last.lambda && predicted < 4 * last.lambda ? predicted : undefined;
}

/**
 * The exact cumulants κ₁ … κ_order of R under φ_λ over n positions (λ ∈ [0, ∞]): the jets of one
 * backward pass (markovMessages.ts; no moments are formed, so high orders keep their digits).
 * Errors: bad n, λ, order outside 1..8, `out-of-range` for a cumulant beyond the double range.
 */
export function markovCumulants(
  chain: MarkovChain,
  n: number,
  lambda: number,
  order: number,
): Result<Float64Array> {
  return guard(() => {
    requireSequenceLength(n);
    requireTilt(lambda, 'λ');
    require(lambda >= 0, 'out-of-range', `λ = ${lambda} is negative`);
    require(Number.isInteger(order) &&
      order >= 1 &&
      order <= 8, 'out-of-range', `cumulant order ${order} is not an integer in 1..8`);
    const pass = backwardPass(activeChain(chain), n, lambda, { order });
    const out = Float64Array.from(pass.cumulants);
    for (let j = 0; j < out.length; j++) requireTotal(out[j], `the cumulant κ${j + 1}`);
    return out;
  });
}

/**
 * (1/n)·[A_n(λ + t) − A_n(λ)] = (1/n)·log E_{φ_λ} e^{tR} at each t (λ finite ≥ 0): for
 * |t|·scale ≤ 0.05 the Taylor series Σ κ_k tᵏ/k! with the exact cumulants at λ (relative
 * accuracy for tiny t), else the difference of the residual forms t·R* + [log Z̃(λ + t) −
 * log Z̃(λ)] (for λ + t < 0 on the reflected chain), which never subtracts two s·R* terms.
 */
export function markovScaledCgf(
  chain: MarkovChain,
  n: number,
  lambda: number,
  ts: ArrayLike<number>,
): Result<number[]> {
  return guard(() => {
    requireSequenceLength(n);
    require(Number.isFinite(lambda) &&
      lambda >= 0, 'invalid-argument', `λ = ${lambda} must be finite and ≥ 0`);
    const ac = activeChain(chain);
    const at = backwardPass(ac, n, lambda, { order: 8 });
    const out: number[] = [];
    for (let k = 0; k < ts.length; k++) {
      const t = ts[k];
      require(Number.isFinite(t), 'invalid-argument', `t = ${t} must be finite`);
      if (Math.abs(t) * ac.scale <= 0.05) {
        let term = 1;
        let sum = 0;
        for (let m = 1; m <= 8; m++) {
          term *= t / m;
          sum += at.cumulants[m - 1] * term;
        }
        out.push(sum / n);
        continue;
      }
      const s = lambda + t;
      let diff: number;
      if (s >= 0) diff = t * at.rMax + (backwardPass(ac, n, s, { order: 1 }).logResidual - at.logResidual);
      else {
        const low = backwardPass(activeChain(chain, true), n, -s, { order: 1 });
        // A_n(s) = s·R_min + log Z̃_reflected(−s), R_min = −(max of −R).
        diff = s * -low.rMax + low.logResidual - lambda * at.rMax - at.logResidual;
      }
      out.push(requireTotal(diff, 'the scaled CGF') / n);
    }
    return out;
  });
}
