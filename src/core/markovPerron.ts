/**
 * The asymptotics of a Markov model (docs/math-markov.md §5): Λ(s) = log ρ(s), ρ the Perron root
 * of the tilted matrix M_s(i, j) = P(j | i)·e^{s·w(i, j)}, its derivatives (the per-token limits
 * of the cumulants of R), the per-token KL rate sΛ′ − Λ, the Gärtner–Ellis rate function
 * I_λ(x) = sup_t [t·x − Λ(λ + t) + Λ(λ)], the asymptotic λ* of the equivalence theorem, the
 * stationary tilted chain P_λ and the mixing readout (second eigenvalue modulus).
 *
 * Everything here needs exactly one cyclic communicating class among the states reachable from
 * the start (`ChainStructure.ergodicClass`): then Λ = log ρ of that class is analytic. With
 * several, Λ is the maximum of several classes' roots and can have kinks (Gärtner–Ellis does
 * not apply); the functions fail with `invalid-argument` and say which classes compete.
 *
 * Method: power iteration of the backward recursion (markovMessages.ts) until it is periodic;
 * its increments per position are log ρ(s), Λ′(s), …, Λ⁽ᵐ⁾(s) (jets), the KL rate and the
 * residual rates, all formed as in a finite pass (no cancellation of large terms). s < 0 runs
 * on the reflected chain (rewards negated). The limits s → ±∞ are the passes at s = ∞:
 * x_max (the largest mean reward per position over the class's cycles), and
 * log ρ_crit = lim Λ(s) − s·x_max.
 */
import { eigenvalues } from './eigen.js';
import { requireTilt } from './logPartition.js';
import { logSumExp } from './logspace.js';
import {
  activeChain,
  buildMarkovChain,
  chainStructure,
  describeStates,
  type MarkovChain,
  stationaryUnchecked,
} from './markovChain.js';
import { type PeriodicRegime, periodicRegime } from './markovMessages.js';
import { initialTilt, solveIncreasingKL } from './markovTilt.js';
import { CoreFailure, guard, type Result, require } from './result.js';
import { chargeWork } from './workBudget.js';

/** The asymptotic quantities at one tilt s. */
export interface PerronPoint {
  readonly s: number;
  /** Λ(s) = log ρ(s) (+∞ at s = ∞ when x_max > 0, …: only finite s report it). */
  readonly logRho: number;
  /** Λ′(s) … Λ⁽ᵐ⁾(s). */
  readonly derivatives: Float64Array;
  /** sΛ′(s) − Λ(s) ≥ 0: KL per token of the stationary tilted chain. */
  readonly klRate: number;
  /** For s ≥ 0: x_max − Λ′(s) ≥ 0; for s < 0: Λ′(s) − x_min ≥ 0 (computed directly). */
  readonly gap: number;
  /** For s ≥ 0: Λ(s) − s·x_max ≤ 0; for s < 0: Λ(s) − s·x_min ≤ 0. */
  readonly residual: number;
}

/** The ends of the range of Λ′ and the limits of Λ there. */
export interface PerronLimits {
  readonly xMax: number;
  readonly xMin: number;
  /** lim_{s→∞} Λ(s) − s·x_max and lim_{s→−∞} Λ(s) − s·x_min (≤ 0). */
  readonly residualTop: number;
  readonly residualBottom: number;
}

/** Why the asymptotics do not apply to this chain, or undefined when they do. */
export function asymptoticProblem(chain: MarkovChain, names?: readonly string[]): string | undefined {
  const st = chainStructure(chain);
  if (st.ergodicClass >= 0) return undefined;
  const cyclic = st.classes.filter((c) => c.cyclic && c.states.some((i) => st.reachable[i]));
  if (cyclic.length === 0) return 'no state reachable from the start can be visited twice';
  return `the states reachable from the start form ${cyclic.length} classes that can each be visited repeatedly (${cyclic
    .slice(0, 4)
    .map((c) => describeStates(c.states, names))
    .join(
      ', ',
    )}): Λ(λ) is the largest of their Perron roots and may have kinks, so the Gärtner–Ellis asymptotics need a chain with one such class (irreducible on the states it reaches)`;
}

function requireErgodic(chain: MarkovChain): void {
  const why = asymptoticProblem(chain);
  if (why !== undefined) throw new CoreFailure('invalid-argument', `the asymptotics do not apply: ${why}`);
}

const regimeCache = new WeakMap<MarkovChain, Map<string, PeriodicRegime>>();

function regimeOf(chain: MarkovChain, reflected: boolean, s: number, order: number): PeriodicRegime {
  let byKey = regimeCache.get(chain);
  if (byKey === undefined) {
    byKey = new Map();
    regimeCache.set(chain, byKey);
  }
  const key = `${reflected ? '-' : '+'}${s}/${order}`;
  let reg = byKey.get(key);
  if (reg === undefined) {
    reg = periodicRegime(activeChain(chain, reflected), s, order);
    if (byKey.size > 256) byKey.clear();
    byKey.set(key, reg);
  }
  return reg;
}

/** The Perron quantities at a finite tilt s (any sign), derivatives up to `order` (internal). */
export function perronPointUnchecked(chain: MarkovChain, s: number, order: number): PerronPoint {
  requireErgodic(chain);
  if (!Number.isFinite(s)) throw new CoreFailure('invalid-argument', `the tilt ${s} must be finite here`);
  const reflected = s < 0;
  const reg = regimeOf(chain, reflected, Math.abs(s), order);
  const derivatives = Float64Array.from(reg.derivatives);
  if (reflected) for (let k = 0; k < derivatives.length; k += 2) derivatives[k] = -derivatives[k];
  return {
    s,
    logRho: reg.logRho,
    derivatives,
    klRate: reg.klRate,
    gap: reg.gapRate,
    residual: reg.residualRate,
  };
}

/**
 * Λ(s), Λ′(s) … Λ⁽ᵐ⁾(s) for a finite s, the KL rate, and the gaps (PerronPoint). Errors:
 * `invalid-argument` when the asymptotics do not apply (see the module comment), a non-finite s,
 * order outside 1..8; `numerical-failure` when the tilted chain mixes too slowly.
 */
export function perronPoint(chain: MarkovChain, s: number, order = 2): Result<PerronPoint> {
  return guard(() => perronPointUnchecked(chain, s, order));
}

const limitsCache = new WeakMap<MarkovChain, PerronLimits>();

/** x_max, x_min and the residual limits (cached). */
export function perronLimitsUnchecked(chain: MarkovChain): PerronLimits {
  requireErgodic(chain);
  let lim = limitsCache.get(chain);
  if (lim === undefined) {
    const top = limitRegime(chain, false);
    const bottom = limitRegime(chain, true);
    lim = {
      xMax: top.maxRate,
      xMin: -bottom.maxRate,
      residualTop: top.residualRate,
      residualBottom: bottom.residualRate,
    };
    limitsCache.set(chain, lim);
  }
  return lim;
}

/**
 * The pass at s = ∞ (the critical transitions only). When that restricted recursion never becomes
 * periodic (several critical cycles that do not communicate), a large finite tilt stands in:
 * s = 800/scale, where every non-critical transition is damped by e^{−800·gap/scale}.
 */
function limitRegime(chain: MarkovChain, reflected: boolean): PeriodicRegime {
  try {
    return regimeOf(chain, reflected, Number.POSITIVE_INFINITY, 1);
  } catch (e) {
    if (!(e instanceof CoreFailure) || e.code !== 'numerical-failure') throw e;
    const ac = activeChain(chain, reflected);
    return regimeOf(chain, reflected, 800 / Math.max(1e-300, ac.scale), 1);
  }
}

/** The ends of the range of Λ′ (x_min, x_max) and the limits of Λ there. */
export function perronLimits(chain: MarkovChain): Result<PerronLimits> {
  return guard(() => perronLimitsUnchecked(chain));
}

// ── the Gärtner–Ellis rate function ─────────────────────────────────────────────────────────

/** Below this |t|·scale the rate is summed from its Taylor series about the solved tilt. */
const SERIES_RANGE = 0.05;

/**
 * I_λ(x) = sup_t [t·x − Λ(λ + t) + Λ(λ)] at every x (λ ∈ [0, ∞)), +∞ outside [x_min, x_max].
 * For x inside: σ solving Λ′(σ) = x (safeguarded Newton on log(x_max − Λ′(σ)), or on the
 * reflected chain below Λ′(0)), then with t = λ − σ:
 *   |t|·scale ≤ 0.05: I = Σ_{k=2..8} Λ⁽ᵏ⁾(σ)·tᵏ/k! (the first-order term vanishes at the root);
 *   σ ≥ 0:  I = (λ − σ)·(x_max − x) + [Λ(λ) − λ·x_max] − [Λ(σ) − σ·x_max];
 *   σ < 0:  I = λ·(x_max − x) + [Λ(λ) − λ·x_max] + σ·(x − x_min) − [Λ(σ) − σ·x_min]
 * (the bracketed residuals are computed directly: no s·x_max is ever formed and subtracted).
 * Ends: I(x_max) = [Λ(λ) − λ·x_max] − lim_{s→∞}[Λ(s) − s·x_max], I(x_min) likewise.
 * Errors: those of `perronPoint`; λ negative or not finite; x not a number.
 */
export function markovRateFunction(
  chain: MarkovChain,
  lambda: number,
  xs: ArrayLike<number>,
): Result<Float64Array> {
  return guard(() => {
    requireTilt(lambda, 'λ');
    require(lambda >= 0 &&
      Number.isFinite(
        lambda,
      ), 'invalid-argument', `λ = ${lambda} must be finite and ≥ 0 for the rate function`);
    const lim = perronLimitsUnchecked(chain);
    const at = perronPointUnchecked(chain, lambda, 2);
    const zero = perronPointUnchecked(chain, 0, 2);
    const scale = activeChain(chain).scale;
    const out = new Float64Array(xs.length);
    for (let k = 0; k < xs.length; k++) out[k] = rateAt(chain, lambda, xs[k], lim, at, zero, scale);
    return out;
  });
}

function rateAt(
  chain: MarkovChain,
  lambda: number,
  x: number,
  lim: PerronLimits,
  at: PerronPoint,
  zero: PerronPoint,
  scale: number,
): number {
  if (typeof x !== 'number' || Number.isNaN(x))
    throw new CoreFailure('invalid-argument', `x = ${x} is not a number`);
  const tol = 64 * Number.EPSILON * Math.max(Math.abs(lim.xMax), Math.abs(lim.xMin), scale);
  if (x > lim.xMax + tol || x < lim.xMin - tol) return Number.POSITIVE_INFINITY;
  if (lim.xMax - lim.xMin <= tol) return 0;
  const rl = at.residual;
  if (x >= lim.xMax - tol) return Math.max(0, rl - lim.residualTop);
  if (x <= lim.xMin + tol) return Math.max(0, lambda * (lim.xMax - lim.xMin) + rl - lim.residualBottom);
  if (x === at.derivatives[0]) return 0;
  // σ ≥ 0 above Λ′(0), σ = −y ≤ 0 below (on the reflected chain).
  const upper = x >= zero.derivatives[0];
  const y = solveMean(chain, x, upper, lim, upper && x >= at.derivatives[0] ? lambda : 0);
  const sigma = upper ? y : -y;
  const t = lambda - sigma;
  if (Math.abs(t) * scale <= SERIES_RANGE) {
    const reg = regimeOf(chain, !upper, y, 8);
    let term = t;
    let sum = 0;
    for (let k = 2; k <= 8; k++) {
      term *= t / k;
      // Λ⁽ᵏ⁾(σ) = (±1)ᵏ times the reflected chain's.
      const d = upper || k % 2 === 0 ? reg.derivatives[k - 1] : -reg.derivatives[k - 1];
      sum += d * term;
    }
    return Math.max(0, sum);
  }
  const residual = regimeOf(chain, !upper, y, 1).residualRate;
  if (upper) return Math.max(0, (lambda - y) * (lim.xMax - x) + rl - residual);
  return Math.max(0, lambda * (lim.xMax - x) + rl - y * (x - lim.xMin) - residual);
}

/**
 * y ≥ 0 with Λ′(y) = x (upper, x ≥ Λ′(0)) or Λ′(−y) = x (below Λ′(0), on the reflected chain):
 * safeguarded Newton in y on log(gap(y)) = log(x_max − x) (resp. log(x − x_min)), the gap
 * computed directly by the recursion (decreasing in y, nearly linear in y far out, where it
 * decays like e^{−y·c}); d log gap/dy = −Λ″/gap.
 */
export function solveMean(
  chain: MarkovChain,
  x: number,
  upper: boolean,
  lim: PerronLimits,
  start: number,
): number {
  const target = Math.log(upper ? lim.xMax - x : x - lim.xMin);
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  let y = Math.abs(start);
  let previous = Number.POSITIVE_INFINITY;
  const unit = 1 / Math.max(1e-300, activeChain(chain).scale);
  for (let iter = 0; iter < 300; iter++) {
    const reg = regimeOf(chain, !upper, y, 2);
    const gap = reg.gapRate;
    const g = Math.log(gap) - target; // decreasing in y
    if (g === 0 || gap === 0) return y;
    if (g > 0) lo = y;
    else hi = y;
    const slow = Math.abs(g) > 0.5 * previous && Number.isFinite(hi);
    previous = Math.abs(g);
    let dy = (g * gap) / reg.derivatives[1];
    if (!Number.isFinite(dy)) dy = g > 0 ? 8 * unit : -y / 2;
    let next = y + dy;
    let newton = true;
    if (!(next > lo && next < hi) || slow) {
      newton = false;
      next = Number.isFinite(hi) ? 0.5 * (lo + hi) : y + Math.max(8 * unit, y);
    }
    const size = Math.max(unit, y);
    if (Math.abs(next - y) <= 1e-15 * size) return next;
    if (
      (newton && Math.abs(dy) <= 1e-10 * size) ||
      (Number.isFinite(hi) && hi - lo <= 4e-16 * Math.max(unit, hi))
    )
      return next;
    y = next;
  }
  throw new CoreFailure('numerical-failure', `no convergence solving Λ′(σ) = ${x}`);
}

// ── the scaled CGF limit and the asymptotic λ* ─────────────────────────────────────────────

/**
 * Λ(λ + t) − Λ(λ) at each t (λ finite ≥ 0): the per-token limit of the scaled CGF of R under φ_λ.
 * |t|·scale ≤ 0.05 by the Taylor series about λ (relative accuracy for tiny t), else the
 * difference of the two residual forms. Errors: those of `perronPoint`.
 */
export function markovCgfLimit(chain: MarkovChain, lambda: number, ts: ArrayLike<number>): Result<number[]> {
  return guard(() => {
    require(Number.isFinite(lambda) &&
      lambda >= 0, 'invalid-argument', `λ = ${lambda} must be finite and ≥ 0`);
    const at = perronPointUnchecked(chain, lambda, 8);
    const scale = activeChain(chain).scale;
    const lim = perronLimitsUnchecked(chain);
    const out: number[] = [];
    for (let k = 0; k < ts.length; k++) {
      const t = ts[k];
      require(Number.isFinite(t), 'invalid-argument', `t = ${t} must be finite`);
      if (Math.abs(t) * scale <= SERIES_RANGE) {
        let term = 1;
        let sum = 0;
        for (let m = 1; m <= 8; m++) {
          term *= t / m;
          sum += at.derivatives[m - 1] * term;
        }
        out.push(sum);
        continue;
      }
      const s = lambda + t;
      const p = perronPointUnchecked(chain, s, 1);
      // Λ(s) − Λ(λ) = [Λ(s) − s·x*] − [Λ(λ) − λ·x_max] + s·x* − λ·x_max (x* = x_max or x_min).
      const value =
        s >= 0
          ? p.residual - at.residual + t * lim.xMax
          : p.residual - at.residual + s * lim.xMin - lambda * lim.xMax;
      out.push(value);
    }
    return out;
  });
}

/** The asymptotic solution for a per-token KL rate δ (the equivalence theorem's λ*). */
export interface AsymptoticTilt {
  /** λ* with λΛ′(λ) − Λ(λ) = δ; ∞ when δ ≥ the largest rate −lim(Λ(s) − s·x_max). */
  readonly lambda: number;
  /** Λ′(λ*) (x_max at λ* = ∞): the KL-RL reward per token in the limit. */
  readonly rewardRate: number;
  /** The largest KL rate, lim_{s→∞} sΛ′ − Λ = −log ρ_crit. */
  readonly maxRate: number;
}

/**
 * λ* for a per-token rate δ ≥ 0 (`solveIncreasingKL` on the KL rate: dKLrate/dλ = λ·Λ″, the
 * complement −log ρ_crit − KLrate = λ·(x_max − Λ′) + [Λ − λ·x_max − log ρ_crit], both ≥ 0).
 */
export function markovAsymptoticTilt(chain: MarkovChain, delta: number): Result<AsymptoticTilt> {
  return guard(() => markovAsymptoticTiltUnchecked(chain, delta));
}

export function markovAsymptoticTiltUnchecked(chain: MarkovChain, delta: number): AsymptoticTilt {
  require(typeof delta === 'number' &&
    Number.isFinite(delta) &&
    delta >= 0, 'invalid-argument', `the rate δ = ${delta} must be a finite number ≥ 0`);
  const lim = perronLimitsUnchecked(chain);
  const maxRate = Math.max(0, -lim.residualTop);
  if (delta >= maxRate) return { lambda: Number.POSITIVE_INFINITY, rewardRate: lim.xMax, maxRate };
  if (delta === 0)
    return { lambda: 0, rewardRate: perronPointUnchecked(chain, 0, 1).derivatives[0], maxRate };
  const evaluate = (s: number) => {
    const p = perronPointUnchecked(chain, s, 2);
    return {
      kl: p.klRate,
      complement: s * p.gap + Math.max(0, p.residual - lim.residualTop),
      variance: p.derivatives[1],
    };
  };
  const scale = Math.max(1e-300, activeChain(chain).scale);
  const s0 = initialTilt(perronPointUnchecked(chain, 0, 2).derivatives[1], delta, 25 / scale);
  const lambda = solveIncreasingKL(evaluate, delta, maxRate, s0, 25 / scale);
  return { lambda, rewardRate: perronPointUnchecked(chain, lambda, 1).derivatives[0], maxRate };
}

// ── the stationary tilted chain and mixing ──────────────────────────────────────────────────

/** The stationary tilted chain P_λ(i, j) = M_λ(i, j)·v(j)/(ρ·v(i)) on the active states. */
export interface TiltedChain {
  readonly lambda: number;
  /** Λ(λ) = log ρ(λ). */
  readonly logRho: number;
  /** P_λ per transition of the chain (aligned with chain.col; 0 on rows never reached). */
  readonly transitions: Float64Array;
  /** Its stationary distribution π_λ, per token (0 on tokens it never visits). */
  readonly stationary: Float64Array;
  /** P_λ restricted to its recurrent class, as a chain (for its mixing). */
  readonly recurrent: MarkovChain;
}

/**
 * P_λ for λ ∈ [0, ∞) and its stationary law. The right Perron vector v comes from the periodic
 * regime (for a period d > 1, the sum of the d phases of the iteration, normalised by ρ per
 * position); the rows log P + λ·w + log v_j are normalised per row in log space (ρ and v_i
 * cancel). The stationary law is that of P_λ on the ergodic class (GTH, chainStructure).
 */
export function tiltedChain(chain: MarkovChain, lambda: number): Result<TiltedChain> {
  return guard(() => tiltedChainUnchecked(chain, lambda));
}

export function tiltedChainUnchecked(chain: MarkovChain, lambda: number): TiltedChain {
  require(Number.isFinite(lambda) && lambda >= 0, 'invalid-argument', `λ = ${lambda} must be finite and ≥ 0`);
  requireErgodic(chain);
  const ac = activeChain(chain);
  const reg = regimeOf(chain, false, lambda, 1);
  chargeWork(2 * ac.col.length + ac.K * reg.lag);
  const K = ac.K;
  const logV = new Float64Array(K);
  const sv = (v: number) => (v === 0 ? 0 : lambda * v);
  if (reg.lag === 1) {
    const st = reg.states[0];
    for (let i = 0; i < K; i++) logV[i] = sv(st.v[i]) + st.l[i];
  } else {
    // y_k = h_k/ρ^k over the phases (oldest first), v = Σ_k y_k.
    const logRhoC = reg.logRho - lambda * ac.offset;
    let g = 0;
    const terms: number[][] = Array.from({ length: K }, () => []);
    for (let k = 0; k < reg.lag; k++) {
      if (k > 0) g += reg.stepLogGrowth[k] - logRhoC;
      const st = reg.states[k];
      for (let i = 0; i < K; i++) terms[i].push(g + sv(st.v[i]) + st.l[i]);
    }
    for (let i = 0; i < K; i++) logV[i] = logSumExp(terms[i]);
  }
  const transitions = new Float64Array(chain.col.length);
  const xs = new Float64Array(Math.max(1, ac.col.length));
  for (let i = 0; i < K; i++) {
    const e0 = ac.rowStart[i];
    const e1 = ac.rowStart[i + 1];
    let max = Number.NEGATIVE_INFINITY;
    for (let e = e0; e < e1; e++) {
      const x = ac.logProb[e] + (lambda === 0 ? 0 : lambda * ac.w[e]) + logV[ac.col[e]];
      xs[e] = x;
      if (x > max) max = x;
    }
    let sum = 0;
    for (let e = e0; e < e1; e++) sum += Math.exp(xs[e] - max);
    for (let e = e0; e < e1; e++) transitions[ac.edge[e]] = Math.exp(xs[e] - max) / sum;
  }
  const st = chainStructure(chain);
  const states = st.classes[st.ergodicClass].states;
  const recurrent = restrictTo(chain, states, transitions);
  const local = stationaryUnchecked(recurrent);
  const stationary = new Float64Array(chain.size);
  for (let k = 0; k < states.length; k++) stationary[states[k]] = local[k];
  return { lambda, logRho: reg.logRho, transitions, stationary, recurrent };
}

/**
 * The chain on a closed set of states, re-indexed 0..m−1, with the given transition
 * probabilities (default: the chain's own), rewards kept.
 */
function restrictTo(chain: MarkovChain, states: readonly number[], prob?: Float64Array): MarkovChain {
  const pos = new Map(states.map((s, k) => [s, k]));
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  for (let k = 0; k < states.length; k++) {
    const i = states[k];
    for (let e = chain.rowStart[i]; e < chain.rowStart[i + 1]; e++) {
      const b = pos.get(chain.col[e]);
      const w = prob ? prob[e] : chain.prob[e];
      if (b === undefined || !(w > 0)) continue;
      from.push(k);
      to.push(b);
      weight.push(w);
    }
  }
  const m = states.length;
  return buildMarkovChain({
    start: new Float64Array(m).fill(1),
    from,
    to,
    weight,
    reward: Float64Array.from(states, (j) => chain.reward[j]),
  });
}

/** Classes up to this many states get all eigenvalues (QR); larger ones a power-iteration estimate. */
const DENSE_EIGEN_MAX = 200;

/** |λ₂| and how it was found. */
export interface Mixing {
  /** The largest modulus among the eigenvalues other than 1 (1 for a periodic class). */
  readonly secondModulus: number;
  /** 'exact' (all eigenvalues by QR) or 'estimate' (power iteration on the deflated chain). */
  readonly method: 'exact' | 'estimate';
}

/**
 * The mixing readout of a chain: the second largest eigenvalue modulus of P restricted to its
 * ergodic class (for the base chain: its closed class when there is one). Geometric convergence
 * to stationarity goes like |λ₂|ᵗ. Errors: no single recurrent class.
 */
export function mixing(chain: MarkovChain): Result<Mixing> {
  return guard(() => mixingUnchecked(chain));
}

export function mixingUnchecked(chain: MarkovChain): Mixing {
  const st = chainStructure(chain);
  const c =
    st.ergodicClass >= 0 && st.classes[st.ergodicClass].closed
      ? st.ergodicClass
      : st.closedClasses.length === 1
        ? st.closedClasses[0]
        : -1;
  require(c >= 0, 'invalid-argument', 'the chain has no single recurrent class');
  const states = st.classes[c].states;
  const sub = restrictTo(chain, states);
  const m = sub.size;
  if (m === 1) return { secondModulus: 0, method: 'exact' };
  if (m <= DENSE_EIGEN_MAX) {
    const a = new Float64Array(m * m);
    for (let i = 0; i < m; i++)
      for (let e = sub.rowStart[i]; e < sub.rowStart[i + 1]; e++) a[i * m + sub.col[e]] = sub.prob[e];
    const { re, im } = eigenvalues(a, m);
    const moduli = Array.from(re, (x, k) => Math.hypot(x, im[k])).sort((u, v) => v - u);
    // The Perron root 1 is the largest (up to rounding); the next is |λ₂|.
    return { secondModulus: Math.min(1, moduli[1]), method: 'exact' };
  }
  return { secondModulus: deflatedPowerEstimate(sub), method: 'estimate' };
}

/** |λ₂| ≈ (‖y P^{k+m}‖/‖y P^k‖)^{1/m} for a vector y with Σ y = 0 (the deflated chain). */
function deflatedPowerEstimate(chain: MarkovChain): number {
  const m = chain.size;
  let y = new Float64Array(m);
  let z = new Float64Array(m);
  // A fixed, reproducible start with Σ = 0.
  for (let i = 0; i < m; i++) y[i] = Math.sin(1 + 7 * i);
  let mean = 0;
  for (let i = 0; i < m; i++) mean += y[i] / m;
  for (let i = 0; i < m; i++) y[i] -= mean;
  const norm = (v: Float64Array) => {
    let t = 0;
    for (let i = 0; i < v.length; i++) t += v[i] * v[i];
    return Math.sqrt(t);
  };
  let logNorm = Math.log(norm(y));
  let logAt = 0;
  const warm = 100;
  const measure = 400;
  for (let k = 1; k <= warm + measure; k++) {
    chargeWork(chain.col.length);
    z.fill(0);
    for (let i = 0; i < m; i++)
      for (let e = chain.rowStart[i]; e < chain.rowStart[i + 1]; e++) z[chain.col[e]] += y[i] * chain.prob[e];
    const nz = norm(z);
    if (!(nz > 0)) return 0;
    logNorm += Math.log(nz);
    for (let i = 0; i < m; i++) z[i] /= nz;
    [y, z] = [z, y];
    if (k === warm) logAt = logNorm;
  }
  return Math.min(1, Math.exp((logNorm - logAt) / measure));
}
