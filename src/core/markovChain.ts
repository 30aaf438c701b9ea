/**
 * Markov (bigram) language models (docs/math-markov.md §1): a start distribution s over the K
 * tokens and a row-stochastic transition matrix P, stored sparsely (CSR: only transitions with
 * P(j | i) > 0). A sequence y₁…y_n has probability s(y₁)·Π P(y_t | y_{t−1}) and reward
 * R(y) = r(y₁) + Σ_{t≥2} [r(y_t) + c(y_{t−1}, y_t)] (token rewards r, optional transition
 * rewards c). The memoryless model p is the chain with s = p and every row equal to p
 * (`memorylessChain`).
 *
 * Also here: the structure of the chain (communicating classes, closed and transient states,
 * periods — `chainStructure`), its stationary distribution (`stationaryDistribution`), and the
 * internal "active" form every computation runs on: the states reachable from the start, with
 * the rewards centred (`activeChain`).
 */
import { CoreFailure, guard, type Result, require } from './result.js';
import { chargeWork } from './workBudget.js';

/** The input of `markovChain`: token indices 0..K−1; weights are normalised per row. */
export interface MarkovSpec {
  /** Start weights s_j ≥ 0 (normalised here), one per token. */
  readonly start: ArrayLike<number>;
  /** The transitions as triples (from, to, weight ≥ 0); each row's weights are normalised. */
  readonly from: ArrayLike<number>;
  readonly to: ArrayLike<number>;
  readonly weight: ArrayLike<number>;
  /** Token rewards r(j), one per token. */
  readonly reward: ArrayLike<number>;
  /** Optional transition rewards c(i, j), one per triple (added to r(j) on that transition). */
  readonly bonus?: ArrayLike<number>;
}

export interface MarkovChain {
  /** Number of tokens K (states). */
  readonly size: number;
  /** s, normalised. */
  readonly start: Float64Array;
  /** Row i's transitions are the entries rowStart[i] .. rowStart[i + 1] − 1 (sorted by column). */
  readonly rowStart: Int32Array;
  readonly col: Int32Array;
  /** P(j | i) > 0, normalised per row. */
  readonly prob: Float64Array;
  /** log P(j | i), from the weights (exact for tiny probabilities). */
  readonly logProb: Float64Array;
  readonly logStart: Float64Array;
  /** r(j). */
  readonly reward: Float64Array;
  /** w = r(j) + c(i, j) per transition. */
  readonly edgeReward: Float64Array;
  /** c(i, j) per transition, or null when there are no transition rewards. */
  readonly bonus: Float64Array | null;
}

/**
 * Builds a chain. Errors: `empty-vocabulary` (K = 0), `length-mismatch`, `invalid-probability`
 * (a negative or non-finite weight, a row or the start without positive mass), `invalid-reward`
 * (a non-finite reward), `invalid-argument` (a token index out of range, a transition given twice).
 */
export function markovChain(spec: MarkovSpec): Result<MarkovChain> {
  return guard(() => buildMarkovChain(spec));
}

export function buildMarkovChain(spec: MarkovSpec): MarkovChain {
  const K = spec.reward.length;
  require(K > 0, 'empty-vocabulary', 'the chain has no tokens');
  require(spec.start.length ===
    K, 'length-mismatch', `start has ${spec.start.length} entries for ${K} tokens`);
  const m = spec.from.length;
  require(spec.to.length === m &&
    spec.weight.length === m, 'length-mismatch', 'from, to and weight must have the same length');
  require(spec.bonus === undefined ||
    spec.bonus.length === m, 'length-mismatch', 'bonus must have one entry per transition');
  chargeWork(m + K);
  const reward = Float64Array.from(spec.reward);
  for (let j = 0; j < K; j++)
    if (!Number.isFinite(reward[j]))
      throw new CoreFailure('invalid-reward', `reward[${j}] = ${reward[j]} is not finite`);
  let startTotal = 0;
  for (let j = 0; j < K; j++) {
    const x = spec.start[j];
    if (!(x >= 0 && x < Number.POSITIVE_INFINITY))
      throw new CoreFailure('invalid-probability', `start[${j}] = ${x} is not a finite non-negative number`);
    startTotal += x;
  }
  require(startTotal > 0 &&
    Number.isFinite(startTotal), 'invalid-probability', 'the start distribution has no mass');
  const start = new Float64Array(K);
  const logStart = new Float64Array(K);
  const logStartTotal = Math.log(startTotal);
  for (let j = 0; j < K; j++) {
    start[j] = spec.start[j] / startTotal;
    logStart[j] = spec.start[j] > 0 ? Math.log(spec.start[j]) - logStartTotal : Number.NEGATIVE_INFINITY;
  }
  // Keep the transitions with positive weight, sorted by (from, to).
  const keep: number[] = [];
  for (let e = 0; e < m; e++) {
    const i = spec.from[e];
    const j = spec.to[e];
    const x = spec.weight[e];
    if (!(Number.isInteger(i) && i >= 0 && i < K && Number.isInteger(j) && j >= 0 && j < K))
      throw new CoreFailure(
        'invalid-argument',
        `transition ${e} (${i} → ${j}) names a token outside 0..${K - 1}`,
      );
    if (!(x >= 0 && x < Number.POSITIVE_INFINITY))
      throw new CoreFailure('invalid-probability', `transition ${i} → ${j} has weight ${x}`);
    if (spec.bonus !== undefined && !Number.isFinite(spec.bonus[e]))
      throw new CoreFailure('invalid-reward', `the transition reward of ${i} → ${j} is ${spec.bonus[e]}`);
    if (x > 0) keep.push(e);
  }
  keep.sort((a, b) => spec.from[a] - spec.from[b] || spec.to[a] - spec.to[b]);
  const nnz = keep.length;
  const rowStart = new Int32Array(K + 1);
  const col = new Int32Array(nnz);
  const prob = new Float64Array(nnz);
  const logProb = new Float64Array(nnz);
  const edgeReward = new Float64Array(nnz);
  const bonus = spec.bonus === undefined ? null : new Float64Array(nnz);
  for (let k = 0; k < nnz; k++) {
    const e = keep[k];
    rowStart[spec.from[e] + 1]++;
    if (k > 0 && spec.from[keep[k - 1]] === spec.from[e] && spec.to[keep[k - 1]] === spec.to[e])
      throw new CoreFailure('invalid-argument', `transition ${spec.from[e]} → ${spec.to[e]} is given twice`);
  }
  for (let i = 0; i < K; i++) rowStart[i + 1] += rowStart[i];
  for (let i = 0; i < K; i++) {
    let total = 0;
    for (let k = rowStart[i]; k < rowStart[i + 1]; k++) total += spec.weight[keep[k]];
    if (!(total > 0 && Number.isFinite(total)))
      throw new CoreFailure(
        'invalid-probability',
        total > 0
          ? `row ${i} has an infinite total weight`
          : `token ${i} has no transitions (its row has no mass)`,
      );
    const logTotal = Math.log(total);
    for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
      const e = keep[k];
      const j = spec.to[e];
      col[k] = j;
      prob[k] = spec.weight[e] / total;
      logProb[k] = Math.log(spec.weight[e]) - logTotal;
      const c = bonus === null ? 0 : (spec.bonus as ArrayLike<number>)[e];
      if (bonus !== null) bonus[k] = c;
      edgeReward[k] = reward[j] + c;
      if (!Number.isFinite(edgeReward[k]))
        throw new CoreFailure('invalid-reward', `the reward of the transition ${i} → ${j} is not finite`);
    }
  }
  return { size: K, start, rowStart, col, prob, logProb, logStart, reward, edgeReward, bonus };
}

/**
 * The memoryless model p as a chain: start p and every row p (K² transitions, so for small
 * vocabularies: the tests' reduction checks and memoryless policies compared with a chain).
 */
export function memorylessChain(p: ArrayLike<number>, r: ArrayLike<number>): Result<MarkovChain> {
  return guard(() => {
    const K = p.length;
    const from: number[] = [];
    const to: number[] = [];
    const weight: number[] = [];
    for (let i = 0; i < K; i++)
      for (let j = 0; j < K; j++) {
        from.push(i);
        to.push(j);
        weight.push(p[j]);
      }
    return buildMarkovChain({ start: p, from, to, weight, reward: r });
  });
}

// ── structure ────────────────────────────────────────────────────────────────────────────────

export interface ChainClass {
  /** The states of the communicating class, ascending. */
  readonly states: number[];
  /** No transition leaves the class. */
  readonly closed: boolean;
  /** The class has a cycle (more than one state, or a self-loop): it can be visited repeatedly. */
  readonly cyclic: boolean;
  /** gcd of its cycle lengths (1 for an acyclic class). */
  readonly period: number;
}

export interface ChainStructure {
  /** States reachable from the start distribution's support (1) or not (0). */
  readonly reachable: Uint8Array;
  /** Communicating classes of the whole chain, in reverse topological order (Tarjan). */
  readonly classes: readonly ChainClass[];
  readonly classOf: Int32Array;
  /** The whole chain is one communicating class. */
  readonly irreducible: boolean;
  /** The states reachable from the start form one communicating class. */
  readonly irreducibleOnSupport: boolean;
  /**
   * The one cyclic class among the reachable states, when there is exactly one (every other
   * reachable state is then visited at most once): −1 otherwise. The asymptotic quantities
   * (Perron root, Gärtner–Ellis rate, equivalence limits) need it.
   */
  readonly ergodicClass: number;
  /** The closed classes (indices into `classes`). */
  readonly closedClasses: readonly number[];
  /** States in no closed class. */
  readonly transient: readonly number[];
}

const structureCache = new WeakMap<MarkovChain, ChainStructure>();

/** The communicating classes, periods and reachability of a chain (cached). */
export function chainStructure(chain: MarkovChain): ChainStructure {
  let s = structureCache.get(chain);
  if (s === undefined) {
    s = buildStructure(chain);
    structureCache.set(chain, s);
  }
  return s;
}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

function buildStructure(chain: MarkovChain): ChainStructure {
  const { size: K, rowStart, col } = chain;
  chargeWork(4 * (K + col.length));
  // Tarjan's strongly connected components, iteratively.
  const index = new Int32Array(K).fill(-1);
  const low = new Int32Array(K);
  const onStack = new Uint8Array(K);
  const stack: number[] = [];
  const classOf = new Int32Array(K).fill(-1);
  const members: number[][] = [];
  let counter = 0;
  const callState: number[] = []; // pairs (node, next edge)
  for (let root = 0; root < K; root++) {
    if (index[root] >= 0) continue;
    callState.push(root, rowStart[root]);
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (callState.length > 0) {
      const top = callState.length - 2;
      const v = callState[top];
      const e = callState[top + 1];
      if (e < rowStart[v + 1]) {
        callState[top + 1] = e + 1;
        const w = col[e];
        if (index[w] < 0) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          callState.push(w, rowStart[w]);
        } else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
        continue;
      }
      callState.length = top;
      if (callState.length > 0) {
        const parent = callState[callState.length - 2];
        low[parent] = Math.min(low[parent], low[v]);
      }
      if (low[v] === index[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = 0;
          classOf[w] = members.length;
          comp.push(w);
        } while (w !== v);
        comp.sort((a, b) => a - b);
        members.push(comp);
      }
    }
  }
  const classes: ChainClass[] = members.map((states, c) => {
    let closed = true;
    let cyclic = states.length > 1;
    for (const i of states)
      for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
        if (classOf[col[e]] !== c) closed = false;
        else if (col[e] === i) cyclic = true;
      }
    return { states, closed, cyclic, period: cyclic ? classPeriod(chain, states, classOf, c) : 1 };
  });
  // Reachability from the start support.
  const reachable = new Uint8Array(K);
  const queue: number[] = [];
  for (let j = 0; j < K; j++)
    if (chain.start[j] > 0) {
      reachable[j] = 1;
      queue.push(j);
    }
  for (let h = 0; h < queue.length; h++) {
    const i = queue[h];
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++)
      if (!reachable[col[e]]) {
        reachable[col[e]] = 1;
        queue.push(col[e]);
      }
  }
  const reachableClasses = new Set<number>();
  for (let j = 0; j < K; j++) if (reachable[j]) reachableClasses.add(classOf[j]);
  const cyclicReachable = [...reachableClasses].filter((c) => classes[c].cyclic);
  const closedClasses = classes.flatMap((c, i) => (c.closed ? [i] : []));
  const transient: number[] = [];
  for (let j = 0; j < K; j++) if (!classes[classOf[j]].closed) transient.push(j);
  return {
    reachable,
    classes,
    classOf,
    irreducible: classes.length === 1,
    irreducibleOnSupport: reachableClasses.size === 1,
    ergodicClass: cyclicReachable.length === 1 ? cyclicReachable[0] : -1,
    closedClasses,
    transient,
  };
}

/** gcd of (level(u) + 1 − level(v)) over the class's internal transitions u → v (BFS levels). */
function classPeriod(chain: MarkovChain, states: number[], classOf: Int32Array, c: number): number {
  const level = new Map<number, number>([[states[0], 0]]);
  const queue = [states[0]];
  let g = 0;
  for (let h = 0; h < queue.length; h++) {
    const u = queue[h];
    const lu = level.get(u) as number;
    for (let e = chain.rowStart[u]; e < chain.rowStart[u + 1]; e++) {
      const v = chain.col[e];
      if (classOf[v] !== c) continue;
      const lv = level.get(v);
      if (lv === undefined) {
        level.set(v, lu + 1);
        queue.push(v);
      } else g = gcd(g, lu + 1 - lv);
    }
  }
  return g === 0 ? 1 : g;
}

// ── stationary distribution ──────────────────────────────────────────────────────────────────

/** Above this many states of the closed class the stationary law is found by power iteration. */
const DIRECT_STATIONARY_MAX = 400;

/**
 * The stationary distribution π = πP of the chain, when it is unique (exactly one closed class;
 * transient states get 0). Method: on the closed class (irreducible), the GTH elimination
 * (Grassmann, Taksar & Heyman 1985: every step a sum of non-negative terms, relative accuracy a
 * few ulp whatever the conditioning) for up to 400 states; above that, power iteration of the
 * lazy chain (I + P)/2 until successive iterates agree to 1e-15 in L1 (work charged per sweep).
 * Errors: `invalid-argument` when there are several closed classes (no unique stationary law),
 * `numerical-failure` when the iteration does not settle within its budget.
 */
export function stationaryDistribution(chain: MarkovChain): Result<Float64Array> {
  return guard(() => stationaryUnchecked(chain));
}

export function stationaryUnchecked(chain: MarkovChain): Float64Array {
  const st = chainStructure(chain);
  require(st.closedClasses.length ===
    1, 'invalid-argument', `the chain has ${st.closedClasses.length} closed classes: its stationary distribution is not unique`);
  const states = st.classes[st.closedClasses[0]].states;
  const pi = new Float64Array(chain.size);
  const local = states.length <= DIRECT_STATIONARY_MAX ? gth(chain, states) : powerStationary(chain, states);
  for (let k = 0; k < states.length; k++) pi[states[k]] = local[k];
  return pi;
}

function gth(chain: MarkovChain, states: number[]): Float64Array {
  const m = states.length;
  chargeWork(m * m * m);
  const pos = new Map(states.map((s, k) => [s, k]));
  const A = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    const i = states[a];
    for (let e = chain.rowStart[i]; e < chain.rowStart[i + 1]; e++) {
      const b = pos.get(chain.col[e]);
      if (b !== undefined) A[a * m + b] += chain.prob[e];
    }
  }
  for (let k = m - 1; k >= 1; k--) {
    let s = 0;
    for (let j = 0; j < k; j++) s += A[k * m + j];
    for (let i = 0; i < k; i++) A[i * m + k] /= s;
    for (let i = 0; i < k; i++) {
      const aik = A[i * m + k];
      if (aik === 0) continue;
      for (let j = 0; j < k; j++) A[i * m + j] += aik * A[k * m + j];
    }
  }
  const x = new Float64Array(m);
  x[0] = 1;
  let total = 1;
  for (let k = 1; k < m; k++) {
    let v = 0;
    for (let i = 0; i < k; i++) v += x[i] * A[i * m + k];
    x[k] = v;
    total += v;
  }
  for (let k = 0; k < m; k++) x[k] /= total;
  return x;
}

function powerStationary(chain: MarkovChain, states: number[]): Float64Array {
  const m = states.length;
  const pos = new Int32Array(chain.size).fill(-1);
  states.forEach((s, k) => {
    pos[s] = k;
  });
  let x = new Float64Array(m).fill(1 / m);
  let y = new Float64Array(m);
  for (let iter = 0; iter < 1_000_000; iter++) {
    chargeWork(chain.col.length);
    for (let k = 0; k < m; k++) y[k] = 0.5 * x[k];
    for (let a = 0; a < m; a++) {
      const i = states[a];
      const half = 0.5 * x[a];
      for (let e = chain.rowStart[i]; e < chain.rowStart[i + 1]; e++) {
        const b = pos[chain.col[e]];
        if (b >= 0) y[b] += half * chain.prob[e];
      }
    }
    let total = 0;
    for (let k = 0; k < m; k++) total += y[k];
    let diff = 0;
    for (let k = 0; k < m; k++) {
      y[k] /= total;
      diff += Math.abs(y[k] - x[k]);
    }
    [x, y] = [y, x];
    if (diff <= 1e-15) return x;
  }
  throw new CoreFailure(
    'numerical-failure',
    'the stationary distribution did not settle: the chain mixes too slowly',
  );
}

// ── the active chain ─────────────────────────────────────────────────────────────────────────

/**
 * The form the computations run on: the states reachable from the start (re-indexed), rewards
 * centred at c₀ = (min + max)/2 of all rewards that can occur (R = R_c + n·c₀ exactly; the
 * centring keeps the tilt's exponents small for rewards such as 10¹⁵ + {0, 1, 2}), and for the
 * reflected form the rewards negated (tilts s < 0 are tilts −s of −R).
 */
export interface ActiveChain {
  readonly chain: MarkovChain;
  readonly K: number;
  /** active index → token index, and back (−1 for unreachable tokens). */
  readonly token: Int32Array;
  readonly activeOf: Int32Array;
  readonly rowStart: Int32Array;
  readonly col: Int32Array;
  /** P(j | i) per transition, each row re-normalised as doubles (the recursion's weights). */
  readonly prob: Float64Array;
  readonly logProb: Float64Array;
  /** The chain's index of each active transition (its uncentred reward is chain.edgeReward[edge[e]]). */
  readonly edge: Int32Array;
  /** Centred (and, when reflected, negated) transition rewards. */
  readonly w: Float64Array;
  /** The start transitions: active states with s > 0, log s, centred reward r. */
  readonly startCol: Int32Array;
  readonly startProb: Float64Array;
  readonly startLogProb: Float64Array;
  readonly startW: Float64Array;
  /** R = R_centred + n·offset (offset negated when reflected). */
  readonly offset: number;
  /** max |w| over all rewards (centred): the reward scale. */
  readonly scale: number;
  /** The lag at which the message recursion becomes periodic: the ergodic class's period. */
  readonly period: number;
  readonly reflected: boolean;
  /** The lattice of the rewards (R = n·a + h·i) computed on demand by the law of R. */
}

const activeCache = new WeakMap<MarkovChain, ActiveChain[]>();

/** The active form of a chain (reflected: rewards negated), cached. */
export function activeChain(chain: MarkovChain, reflected = false): ActiveChain {
  let pair = activeCache.get(chain);
  if (pair === undefined) {
    pair = [];
    activeCache.set(chain, pair);
  }
  const k = reflected ? 1 : 0;
  pair[k] ??= buildActive(chain, reflected);
  return pair[k];
}

function buildActive(chain: MarkovChain, reflected: boolean): ActiveChain {
  const st = chainStructure(chain);
  const Kall = chain.size;
  const activeOf = new Int32Array(Kall).fill(-1);
  const token: number[] = [];
  for (let j = 0; j < Kall; j++)
    if (st.reachable[j]) {
      activeOf[j] = token.length;
      token.push(j);
    }
  const K = token.length;
  let nnz = 0;
  for (const i of token) nnz += chain.rowStart[i + 1] - chain.rowStart[i];
  chargeWork(nnz + Kall);
  const rowStart = new Int32Array(K + 1);
  const col = new Int32Array(nnz);
  const prob = new Float64Array(nnz);
  const logProb = new Float64Array(nnz);
  const w = new Float64Array(nnz);
  const edge = new Int32Array(nnz);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let k = 0;
  for (let a = 0; a < K; a++) {
    const i = token[a];
    // The row's probabilities re-divided by their sum as doubles, so that the recursion's weights
    // sum to 1 up to one rounding: at λ = 0 every message is then exactly 1 and KL exactly 0.
    let total = 0;
    for (let e = chain.rowStart[i]; e < chain.rowStart[i + 1]; e++) total += chain.prob[e];
    for (let e = chain.rowStart[i]; e < chain.rowStart[i + 1]; e++) {
      col[k] = activeOf[chain.col[e]];
      prob[k] = chain.prob[e] / total;
      logProb[k] = chain.logProb[e];
      w[k] = chain.edgeReward[e];
      edge[k] = e;
      if (w[k] < min) min = w[k];
      if (w[k] > max) max = w[k];
      k++;
    }
    rowStart[a + 1] = k;
  }
  const starts: number[] = [];
  for (let j = 0; j < Kall; j++) if (chain.start[j] > 0) starts.push(j);
  const startW = Float64Array.from(starts, (j) => chain.reward[j]);
  for (const x of startW) {
    if (x < min) min = x;
    if (x > max) max = x;
  }
  // The centre (exact midpoint is not needed: any c₀ keeps R = R_c + n·c₀; rounding of w − c₀ is
  // at most half an ulp of the larger, as for any reward).
  const centre = min + (max - min) / 2;
  const sign = reflected ? -1 : 1;
  let scale = 0;
  for (let e = 0; e < nnz; e++) {
    w[e] = sign * (w[e] - centre);
    scale = Math.max(scale, Math.abs(w[e]));
  }
  for (let e = 0; e < startW.length; e++) {
    startW[e] = sign * (startW[e] - centre);
    scale = Math.max(scale, Math.abs(startW[e]));
  }
  const period = st.ergodicClass >= 0 ? st.classes[st.ergodicClass].period : 1;
  return {
    chain,
    K,
    token: Int32Array.from(token),
    activeOf,
    rowStart,
    col,
    prob,
    logProb,
    edge,
    w,
    startCol: Int32Array.from(starts, (j) => activeOf[j]),
    startProb: normalised(Float64Array.from(starts, (j) => chain.start[j])),
    startLogProb: Float64Array.from(starts, (j) => chain.logStart[j]),
    startW,
    offset: sign * centre,
    scale,
    period,
    reflected,
  };
}

/** The values divided by their sum (as doubles). */
function normalised(xs: Float64Array): Float64Array {
  let total = 0;
  for (const x of xs) total += x;
  for (let k = 0; k < xs.length; k++) xs[k] /= total;
  return xs;
}

/** Token names of a set of states, for messages ("{a, b}"). */
export function describeStates(states: readonly number[], names?: readonly string[]): string {
  const shown = states.slice(0, 8).map((s) => (names ? names[s] : String(s)));
  return `{${shown.join(', ')}${states.length > 8 ? `, … ${states.length - 8} more` : ''}}`;
}
