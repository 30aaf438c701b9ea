/**
 * The asymptotic equivalence of best-of-N and KL-constrained RL (math.md §6, the paper's main
 * result), as a finite-n series: for a per-token rate δ and lengths n, best-of-N with N = e^{nδ}
 * against the KL-RL solution with per-token budget δ, i.e. φ_λ* with D(λ*) = δ.
 *
 * Per n it reports (1/n) E_BoN R, (1/n) KL(BoN ‖ pⁿ) and (1/n) KL(BoN ‖ φ_λ*ⁿ); the theorem says
 * the first tends to A'(λ*) and the last to 0. δ ≥ −log p(M) gives λ* = ∞ (the restricted
 * solution; the last column is then +∞ for any law with two values).
 *
 * Method: one lattice convolution up to the largest n is shared by all lengths (the law for n is
 * the state after n steps), and each best-of-N reads only the top levels it needs
 * (`bestOfNSummaryFromConvolver`), so n = 1..256 costs about one convolution of length 256 — of its top
 * window only, as wide as the widest length needs (docs/math-sequences.md §4). Laws without
 * a small exact lattice use the fine grid of the largest n (errorBound n·h/2 for each n).
 */
import {
  type BestOfNSummary,
  bestOfNFromLaw,
  bestOfNSummaryFromConvolver,
  fourierBestOfNOrNull,
  initialWindow,
  parseBonSize,
} from './bestOfN.js';
import { fourierEngine } from './fourierLaw.js';
import { lambdaForBudgetUnchecked } from './klrl.js';
import { LatticeConvolver } from './latticeConvolution.js';
import { guard, type Result, require } from './result.js';
import type { TokenRewardLaw } from './rewardLaw.js';
import {
  buildSequenceRewardLaw,
  fourierApplies,
  type LatticeKernel,
  latticeKernel,
  requireLength,
  type SequenceLawMethod,
  type SequenceLawOptions,
} from './sequenceLaw.js';

export interface EquivalencePoint {
  readonly n: number;
  readonly logN: number;
  readonly bonRewardPerToken: number;
  readonly klPerToken: number;
  /** (1/n) KL(BoN ‖ φ_λ*ⁿ); +∞ when λ* = ∞. */
  readonly klToRLPerToken: number;
  readonly exact: boolean;
  readonly method: SequenceLawMethod;
  /** The bound on E_BoN R of this length (units of R, the whole sequence; see `BestOfNSummary`). */
  readonly errorBound: number;
  /** Fourier method only: bounds on KL(BoN‖pⁿ) and KL(BoN‖φ_λ*ⁿ) (nats, the whole sequence). */
  readonly klErrorBound?: number;
  readonly klToRLErrorBound?: number | null;
}

export interface EquivalenceSeries {
  readonly rate: number;
  /** λ* with D(λ*) = δ (∞ when δ ≥ −log p(M)). */
  readonly lambda: number;
  /** A'(λ*): the KL-RL reward per token. */
  readonly rlRewardPerToken: number;
  readonly points: EquivalencePoint[];
}

/**
 * The series for rate δ ≥ 0 and lengths ns (positive integers; returned sorted, duplicates
 * removed). Errors: `invalid-argument` for bad δ or n, `too-large` beyond the size limits.
 */
export function equivalenceSeries(
  law: TokenRewardLaw,
  rate: number,
  ns: ArrayLike<number>,
  options: SequenceLawOptions = {},
): Result<EquivalenceSeries> {
  return guard(() => {
    require(typeof rate === 'number' &&
      Number.isFinite(rate) &&
      rate >= 0, 'invalid-argument', `the rate δ = ${rate} must be a finite number ≥ 0`);
    require(ns.length > 0, 'invalid-argument', 'the equivalence series needs at least one length n');
    for (let i = 0; i < ns.length; i++) requireLength(ns[i]);
    const lengths = [...new Set(Array.from(ns))].sort((a, b) => a - b);
    const rl = lambdaForBudgetUnchecked(law, 1, rate);
    const lambda = rl.lambda;
    const point = (bon: BestOfNSummary): EquivalencePoint => ({
      n: bon.n,
      logN: bon.logN,
      bonRewardPerToken: bon.rewardPerToken,
      klPerToken: bon.kl / bon.n,
      klToRLPerToken: (bon.klToTilt ?? Number.NaN) / bon.n,
      exact: bon.exact,
      method: bon.method,
      errorBound: bon.errorBound,
      ...(bon.klErrorBound !== undefined ? { klErrorBound: bon.klErrorBound } : {}),
      ...(bon.klToTiltErrorBound !== undefined ? { klToRLErrorBound: bon.klToTiltErrorBound } : {}),
    });
    // Lengths the Fourier method serves (math-continuous.md §6, §10): each its own engine, all
    // tilted at λ* for the top of the law (N = e^{nδ}, nD(λ*) = log N), so that they share the
    // token law's spectrum at λ* (its certificate, computed once for the finest length); the
    // others, and those where it would use the fine lattice, share one convolution as before.
    const byFourier = new Map<number, EquivalencePoint>();
    for (const n of lengths) {
      if (!fourierApplies(law, n, options)) continue;
      const bon = fourierBestOfNOrNull(
        fourierEngine(law, n, options),
        parseBonSize({ logN: n * rate }),
        lambda,
      );
      if (bon !== null) byFourier.set(n, point(bon));
    }
    const rest = lengths.filter((n) => !byFourier.has(n));
    const points: EquivalencePoint[] = [];
    if (rest.length > 0) pointsByConvolution(law, rest, rate, lambda, options, point, points);
    for (const p of byFourier.values()) points.push(p);
    points.sort((a, b) => a.n - b.n);
    return { rate, lambda, rlRewardPerToken: rl.rewardPerToken, points };
  });
}

/** The points of lengths the lattice or types or the fine lattice serve (one shared convolution). */
function pointsByConvolution(
  law: TokenRewardLaw,
  lengths: readonly number[],
  rate: number,
  lambda: number,
  options: SequenceLawOptions,
  point: (bon: BestOfNSummary) => EquivalencePoint,
  points: EquivalencePoint[],
): void {
  const nMax = lengths[lengths.length - 1];
  const noFourier: SequenceLawOptions = { ...options, method: 'fine-lattice' };
  const kernel = law.values.length > 1 ? latticeKernel(law, nMax, options, false) : null;
  if (kernel !== null && (kernel.exact || lengths.length > 1)) {
    // Large N = e^{nδ} reads only the top of the law, so the convolution keeps only the top
    // `keep` + 1 points of every step (exact, see LatticeConvolver): the widest window any length
    // asks for (`initialWindow`, the whole law for small N), doubled if a length's cut is not
    // reached inside it (bestOfNSummaryFromConvolver returns null), as bestOfNForLength does.
    const D = kernel.lattice.span;
    let keep = 0;
    for (const n of lengths) {
      keep = Math.max(keep, initialWindow(law, n, n * rate, kernel.lattice.step, D));
    }
    for (;;) {
      const found = seriesOnWindow(kernel, lengths, nMax, keep, rate, law, lambda);
      if (found !== null) {
        for (const bon of found) points.push(point(bon));
        break;
      }
      if (keep >= nMax * D) throw new Error('a full convolver window always reaches the bottom level');
      keep = Math.min(nMax * D, 2 * keep);
    }
  } else {
    // One length of a non-lattice law (exact types when small), or a one-value law.
    for (const n of lengths) {
      const seq = buildSequenceRewardLaw(law, n, noFourier);
      points.push(point(bestOfNFromLaw(seq, law, parseBonSize({ logN: n * rate }), lambda)));
    }
  }
}

/**
 * Best-of-N at every length from one convolution kept to its top `keep` + 1 points (null: too
 * narrow). Only the series' numbers are needed, not each level's (`bestOfNSummaryFromConvolver`).
 */
function seriesOnWindow(
  kernel: LatticeKernel,
  lengths: readonly number[],
  nMax: number,
  keep: number,
  rate: number,
  law: TokenRewardLaw,
  lambda: number,
): BestOfNSummary[] | null {
  const conv = new LatticeConvolver(kernel.offsets, kernel.logMass, nMax, keep);
  const out: BestOfNSummary[] = [];
  let m = 0;
  for (const n of lengths) {
    while (m < n) {
      conv.step();
      m++;
    }
    const size = parseBonSize({ logN: n * rate });
    // Per-n error bound of the shared grid: n·h/2.
    const sized = { ...kernel, errorBound: kernel.exact ? 0 : (n * kernel.lattice.step) / 2 };
    const bon = bestOfNSummaryFromConvolver(conv, sized, n, size, law, lambda);
    if (bon === null) return null;
    out.push(bon);
  }
  return out;
}
