/**
 * Monte Carlo for Markov models (docs/math-markov.md §6), as monteCarlo.ts for memoryless ones:
 * sequences from p (`base`), from the optimal policy φ_λ — a time-inhomogeneous chain whose
 * transitions out of each position come from the backward messages (`tilt`) — or the best of N
 * sequences from p, ties broken uniformly (`bon`). Tokens are drawn with Vose's alias method, one
 * table per row (per position's row for `tilt`, built when first needed), from the seeded
 * xoshiro128** stream, so a seed reproduces every number.
 */
import { AliasSampler } from './aliasSampler.js';
import { type ActiveChain, activeChain, type MarkovChain } from './markovChain.js';
import { backwardPass, type PassResult, tiltedRows } from './markovMessages.js';
import { DEFAULT_MAX_DRAWS, type SimulationOptions, type SimulationResult } from './monteCarlo.js';
import { Xoshiro128 } from './prng.js';
import { guard, type Result, require } from './result.js';
import { requireLength } from './sequenceLaw.js';
import { chargeWork } from './workBudget.js';

/** Draws sequences of a chain (base, or the tilted policy through a recorded pass). */
class ChainSampler {
  private readonly rowTables: (AliasSampler | undefined)[];
  private readonly startTable: AliasSampler;
  private readonly tilted = new Map<object, (AliasSampler | undefined)[]>();
  private readonly tiltedRowsCache = new Map<object, Float64Array>();

  constructor(
    private readonly ac: ActiveChain,
    private readonly pass?: PassResult,
    private readonly s = 0,
  ) {
    this.rowTables = new Array(ac.K);
    if (pass === undefined) this.startTable = new AliasSampler(ac.startProb);
    else {
      const first = new Float64Array(ac.startCol.length);
      tiltedRows(ac, s, (pass.stateAt as (t: number) => never)(1), first, undefined, true);
      this.startTable = new AliasSampler(first);
    }
  }

  private baseRow(i: number): AliasSampler {
    let t = this.rowTables[i];
    if (t === undefined) {
      t = new AliasSampler(this.ac.prob.subarray(this.ac.rowStart[i], this.ac.rowStart[i + 1]));
      this.rowTables[i] = t;
    }
    return t;
  }

  private tiltedRow(position: number, i: number): AliasSampler {
    const st = (this.pass as PassResult).stateAt?.(position + 1) as {
      v: Float64Array;
      l: Float64Array;
      key?: object;
    };
    const key = st.key ?? st;
    let tables = this.tilted.get(key);
    let rows = this.tiltedRowsCache.get(key);
    if (tables === undefined || rows === undefined) {
      rows = new Float64Array(this.ac.col.length);
      tiltedRows(this.ac, this.s, st, rows);
      tables = new Array(this.ac.K);
      if (this.tilted.size > 4096) {
        this.tilted.clear();
        this.tiltedRowsCache.clear();
      }
      this.tilted.set(key, tables);
      this.tiltedRowsCache.set(key, rows);
    }
    let t = tables[i];
    if (t === undefined) {
      t = new AliasSampler(rows.subarray(this.ac.rowStart[i], this.ac.rowStart[i + 1]));
      tables[i] = t;
    }
    return t;
  }

  /** One sequence's reward (rewards summed in position order, uncentred). */
  sequence(rng: Xoshiro128, n: number): number {
    const ac = this.ac;
    const chain = ac.chain;
    const k = this.startTable.sample(rng);
    let state = ac.startCol[k];
    let reward = chain.reward[ac.token[state]];
    for (let t = 1; t < n; t++) {
      const table = this.pass === undefined ? this.baseRow(state) : this.tiltedRow(t, state);
      const e = ac.rowStart[state] + table.sample(rng);
      reward += chain.edgeReward[ac.edge[e]];
      state = ac.col[e];
    }
    return reward;
  }
}

/**
 * Monte Carlo mean and standard error of R for a chain (options as `simulate`). Errors: invalid
 * options, `too-large` beyond maxDraws token draws.
 */
export function markovSimulate(
  chain: MarkovChain,
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
    let N = 1;
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
    const ac = activeChain(chain);
    let sampler: ChainSampler;
    if (method === 'tilt') {
      const l = options.lambda;
      require(typeof l === 'number' &&
        l >= 0, 'invalid-argument', `the tilt simulation needs λ ≥ 0 (got ${String(l)})`);
      sampler = new ChainSampler(ac, backwardPass(ac, n, l, { order: 1, record: true }), l);
    } else sampler = new ChainSampler(ac);
    const rng = new Xoshiro128(seed);
    let mean = 0;
    let m2 = 0;
    for (let i = 1; i <= samples; i++) {
      chargeWork(n * N);
      let r: number;
      if (method === 'bon') {
        let best = Number.NEGATIVE_INFINITY;
        for (let d = 0; d < N; d++) {
          const x = sampler.sequence(rng, n);
          if (x > best) best = x;
          // Ties: the kept sequence is irrelevant for the reward (equal rewards), so no draw is
          // spent on the tie rule here.
        }
        r = best;
      } else r = sampler.sequence(rng, n);
      const delta = r - mean;
      mean += delta / i;
      m2 += delta * (r - mean);
    }
    const variance = m2 / (samples - 1);
    require(Number.isFinite(
      mean,
    ), 'out-of-range', `the sampled rewards of n = ${n} tokens exceed the largest double`);
    return { method, mean, stderr: Math.sqrt(variance / samples), samples, seed };
  });
}
