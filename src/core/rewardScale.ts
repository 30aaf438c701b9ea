/**
 * Reward laws on a scale far from 1 (rewards ±1e300, or ±1e-300), computed exactly on a
 * rescaled copy.
 *
 * Why: the quantities of math.md §2–§5 are equivariant under a change of the reward unit — with
 * r' = r/u, A_r(s) = A_{r'}(s·u), so λ' = λ·u, A' and the gaps scale by u, A'' by u², the j-th
 * cumulant by uʲ, and KL, A, the rates and probabilities do not change. The root solvers and
 * curves form dimensionful intermediate products (A''(s) ≈ span², s²·A'', s³·A''', the
 * central moments up to order 8 ≈ span⁸): for rewards ±1e300 A''(0) ≈ 1e600 overflows, for
 * ±1e-300 it underflows to 0, and either way a Newton step becomes NaN ("s = NaN is not a
 * number"). On the copy with r' = r/u, u a power of two with span/u ∈ [1, 2), every intermediate
 * is of order 1; the answer is converted back exactly (multiplying or dividing by a power of
 * two is exact, barring overflow of the answer itself — then it is genuinely not a double).
 *
 * Laws whose span lies in [2^−120, 2^120] are used as they are (u = 1): there the eighth
 * central moment (span⁸ ≤ 2^960) cannot overflow, nor s²·A'' ≈ (s·span)² underflow, and the
 * results stay bit for bit those of the direct computation.
 */

import type { TokenRewardLaw } from './rewardLaw.js';
import type { TiltStats } from './tiltStats.js';

const SAFE_LOG2_SPAN = 120;

const UNITS = new WeakMap<TokenRewardLaw, { unit: number; scaled: TokenRewardLaw }>();

/** The reward unit u of `law`: 1 when its span is safe, else 2^⌊log₂ span⌋. */
export function rewardUnit(law: TokenRewardLaw): number {
  return scaling(law).unit;
}

/** `law` with values divided by its unit (the law itself when the unit is 1; cached). */
export function scaledLaw(law: TokenRewardLaw): TokenRewardLaw {
  return scaling(law).scaled;
}

function scaling(law: TokenRewardLaw): { unit: number; scaled: TokenRewardLaw } {
  let s = UNITS.get(law);
  if (s === undefined) {
    const span = law.rMax - law.rMin;
    const e = span > 0 ? Math.floor(Math.log2(span)) : 0;
    if (!(span > 0) || Math.abs(e) <= SAFE_LOG2_SPAN) s = { unit: 1, scaled: law };
    else {
      // Exact powers of two (2^e may itself be out of range only beyond ±1023: not for a span).
      const unit = 2 ** e;
      const values = new Float64Array(law.values.length);
      for (let k = 0; k < values.length; k++) values[k] = law.values[k] / unit;
      s = {
        unit,
        scaled: { ...law, values, rMin: law.rMin / unit, rMax: law.rMax / unit },
      };
    }
    UNITS.set(law, s);
  }
  return s;
}

/** Statistics of the scaled law at s·u, in the units of the law itself (at s). */
export function unscaleStats(st: TiltStats, unit: number): TiltStats {
  return {
    s: st.s / unit,
    logPartition: st.logPartition,
    mean: st.mean * unit,
    variance: st.variance * unit * unit,
    kl: st.kl,
    klToLimit: st.klToLimit,
    meanGapMax: st.meanGapMax * unit,
    meanGapMin: st.meanGapMin * unit,
    logMassMax: st.logMassMax,
    logMassMin: st.logMassMin,
  };
}
