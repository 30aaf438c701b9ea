/**
 * Monte Carlo estimates of the sequence reward, as an independent check of the exact formulas.
 *
 * Methods (each sample is one sequence of n tokens, its reward R = Σ r(y_i)):
 *  - 'base': y ~ pⁿ            (exact counterpart: n·A'(0))
 *  - 'tilt': y ~ φ_λⁿ          (exact counterpart: n·A'(λ); λ = ∞ samples p restricted to M)
 *  - 'bon':  best of N sequences from pⁿ, ties broken uniformly (`drawBestOfN`)
 *            (exact counterpart: E_BoN R from `bestOfN`)
 * Tokens are drawn per merged reward value with Vose's alias method (`aliasSampler.ts`) from a
 * seeded xoshiro128** stream (`prng.ts`), so a seed reproduces every number exactly.
 *
 * Output: the sample mean of R and its standard error √(s²/samples) (s² the unbiased sample
 * variance, accumulated with Welford's update). By the central limit theorem
 * |mean − E R| ≤ 5·stderr fails with probability ≈ 5.7e-7 for a fixed, arbitrary seed.
 */
import { AliasSampler } from './aliasSampler.js';
import { tiltedLogMassUnchecked } from './logPartition.js';
import { Xoshiro128 } from './prng.js';
import { guard, type Result, require } from './result.js';
import type { TokenRewardLaw } from './rewardLaw.js';
import { requireLength } from './sequenceLaw.js';
import { chargeWork } from './workBudget.js';

export type SimulationMethod = 'base' | 'tilt' | 'bon';

export interface SimulationOptions {
  readonly method: SimulationMethod;
  /** λ ∈ [0, ∞] for 'tilt'. */
  readonly lambda?: number;
  /** Integer N ≥ 1 for 'bon'. */
  readonly N?: number;
  /** Number of sampled sequences (≥ 2). */
  readonly samples: number;
  /** Non-negative safe integer. */
  readonly seed: number;
  /** Largest number of token draws samples·n·(N) allowed (default 5e7, ≈ 1 s). */
  readonly maxDraws?: number;
}

export interface SimulationResult {
  readonly method: SimulationMethod;
  readonly mean: number;
  readonly stderr: number;
  readonly samples: number;
  readonly seed: number;
}

export const DEFAULT_MAX_DRAWS = 5e7;

/** A sampler of per-token rewards from p (λ = 0) or from φ_λ. */
export class TokenRewardSampler {
  private readonly alias: AliasSampler;

  constructor(
    readonly law: TokenRewardLaw,
    lambda = 0,
  ) {
    const logPhi = tiltedLogMassUnchecked(law, lambda);
    this.alias = new AliasSampler(Array.from(logPhi, Math.exp));
  }

  /** Index of the merged reward value of one token. */
  sampleIndex(rng: Xoshiro128): number {
    return this.alias.sample(rng);
  }

  /** Reward of one sequence of n tokens; `tokens` (length ≥ n) receives the value indices. */
  sequence(rng: Xoshiro128, n: number, tokens?: Int32Array): number {
    let r = 0;
    const values = this.law.values;
    for (let i = 0; i < n; i++) {
      const k = this.alias.sample(rng);
      if (tokens !== undefined) tokens[i] = k;
      r += values[k];
    }
    return r;
  }
}

/**
 * Draws N sequences and keeps one with the largest reward, each of the tied maxima with
 * probability 1/(number tied) (reservoir rule: the c-th tie replaces the kept one w.p. 1/c).
 * Returns the kept sequence's value indices and reward. Rewards are compared exactly as computed,
 * in the same summation order, so sequences with the same tokens always tie.
 */
export function drawBestOfN(
  sampler: TokenRewardSampler,
  rng: Xoshiro128,
  n: number,
  N: number,
): { tokens: Int32Array; reward: number } {
  let best = new Int32Array(n);
  let scratch = new Int32Array(n);
  let bestReward = Number.NEGATIVE_INFINITY;
  let ties = 0;
  for (let draw = 0; draw < N; draw++) {
    const r = sampler.sequence(rng, n, scratch);
    if (r > bestReward) {
      bestReward = r;
      ties = 1;
      [best, scratch] = [scratch, best];
    } else if (r === bestReward) {
      ties++;
      if (rng.nextInt(ties) === 0) [best, scratch] = [scratch, best];
    }
  }
  return { tokens: best, reward: bestReward };
}

/**
 * 1, or a power of two near the largest |reward| when that lies outside [2^−500, 2^500]: dividing
 * the sampled rewards by it is exact, and keeps their squares within the double range.
 */
function statisticsUnit(law: TokenRewardLaw): number {
  const top = Math.max(Math.abs(law.rMin), Math.abs(law.rMax));
  if (top === 0) return 1;
  const e = Math.floor(Math.log2(top));
  return Math.abs(e) <= 500 ? 1 : 2 ** e;
}

/** Monte Carlo mean and standard error of R (see the module comment). Errors: invalid options. */
export function simulate(
  law: TokenRewardLaw,
  n: number,
  options: SimulationOptions,
): Result<SimulationResult> {
  return guard(() => {
    requireLength(n);
    const { method, samples, seed } = options;
    require(method === 'base' ||
      method === 'tilt' ||
      method === 'bon', 'invalid-argument', `unknown simulation method ${String(method)}`);
    require(Number.isSafeInteger(samples) &&
      samples >= 2, 'invalid-argument', `samples = ${samples} must be an integer ≥ 2`);
    require(Number.isSafeInteger(seed) &&
      seed >= 0, 'invalid-argument', `seed = ${seed} must be a non-negative integer`);
    let lambda = 0;
    let N = 1;
    if (method === 'tilt') {
      const l = options.lambda;
      require(typeof l === 'number' &&
        l >= 0, 'invalid-argument', `the tilt simulation needs λ ≥ 0 (got ${String(l)})`);
      lambda = l;
    }
    if (method === 'bon') {
      const m = options.N;
      require(typeof m === 'number' &&
        Number.isSafeInteger(m) &&
        m >= 1, 'invalid-argument', `best-of-N sampling needs an integer N ≥ 1 (got ${String(m)})`);
      N = m;
    }
    const maxDraws = options.maxDraws ?? DEFAULT_MAX_DRAWS;
    const draws = samples * n * N;
    require(draws <=
      maxDraws, 'too-large', `${samples} samples × n = ${n} × N = ${N} = ${draws} token draws exceed the limit of ${maxDraws}`);
    const rng = new Xoshiro128(seed);
    const sampler = new TokenRewardSampler(law, lambda);
    const tokens = new Int32Array(n);
    // Rewards of 1e300 (1e-300) would make the squared deviations overflow (underflow): the
    // statistics are accumulated in units of a power of two u near max |r| (exact), else u = 1.
    const unit = statisticsUnit(law);
    let mean = 0;
    let m2 = 0;
    for (let i = 1; i <= samples; i++) {
      chargeWork(n * N);
      let r = method === 'bon' ? drawBestOfN(sampler, rng, n, N).reward : sampler.sequence(rng, n, tokens);
      if (unit !== 1) r /= unit;
      // Welford: running mean and sum of squared deviations.
      const delta = r - mean;
      mean += delta / i;
      m2 += delta * (r - mean);
    }
    const variance = m2 / (samples - 1);
    const stderr = Math.sqrt(variance / samples);
    require(Number.isFinite(
      mean * unit,
    ), 'out-of-range', `the sampled rewards of n = ${n} tokens exceed the largest double`);
    return { method, mean: mean * unit, stderr: stderr * unit, samples, seed };
  });
}
