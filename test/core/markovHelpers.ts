// Independent references for the Markov tests: every sequence of a small chain enumerated
// (Kⁿ of them, K ≤ 4, n ≤ 8), with its probability and reward straight from the definition
// p(y) = s(y₁)·Π P(y_t | y_{t−1}), R(y) = r(y₁) + Σ [r(y_t) + c(y_{t−1}, y_t)] — no recursion,
// no log space, no formula of the core.
import { buildMarkovChain, type MarkovChain } from '../../src/core/markovChain.js';
import { mulberry32 } from '../helpers/random.js';

export interface SmallChain {
  readonly start: number[];
  readonly P: number[][];
  readonly r: number[];
  /** Transition rewards c(i, j) (zeros when absent). */
  readonly c: number[][] | null;
}

export interface Enumerated {
  readonly tokens: number[][];
  readonly prob: number[];
  readonly reward: number[];
}

/** Every sequence of length n with positive probability. */
export function enumerate(m: SmallChain, n: number): Enumerated {
  const K = m.r.length;
  const tokens: number[][] = [];
  const prob: number[] = [];
  const reward: number[] = [];
  const y: number[] = [];
  const rec = (p: number, R: number) => {
    if (y.length === n) {
      tokens.push([...y]);
      prob.push(p);
      reward.push(R);
      return;
    }
    for (let j = 0; j < K; j++) {
      const prev = y[y.length - 1];
      const pj = y.length === 0 ? m.start[j] : m.P[prev][j];
      if (!(pj > 0)) continue;
      const w = y.length === 0 ? m.r[j] : m.r[j] + (m.c ? m.c[prev][j] : 0);
      y.push(j);
      rec(p * pj, R + w);
      y.pop();
    }
  };
  rec(1, 0);
  return { tokens, prob, reward };
}

/** The core chain of a small chain. */
export function coreChain(m: SmallChain): MarkovChain {
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  const bonus: number[] = [];
  for (let i = 0; i < m.r.length; i++)
    for (let j = 0; j < m.r.length; j++) {
      from.push(i);
      to.push(j);
      weight.push(m.P[i][j]);
      bonus.push(m.c ? m.c[i][j] : 0);
    }
  return buildMarkovChain({ start: m.start, from, to, weight, reward: m.r, ...(m.c ? { bonus } : {}) });
}

/** A random chain (seeded): rows with a few zeros, rewards on a lattice of step 0.5. */
export function randomChain(K: number, seed: number, withBonus: boolean): SmallChain {
  const rnd = mulberry32(seed);
  const row = () => {
    const w = Array.from({ length: K }, () => (rnd() < 0.2 ? 0 : rnd() + 0.05));
    if (!w.some((x) => x > 0)) w[0] = 1;
    const t = w.reduce((a, b) => a + b, 0);
    return w.map((x) => x / t);
  };
  return {
    start: row(),
    P: Array.from({ length: K }, row),
    r: Array.from({ length: K }, () => Math.round(rnd() * 6 - 3) / 2),
    c: withBonus
      ? Array.from({ length: K }, () => Array.from({ length: K }, () => Math.round(rnd() * 4 - 2) / 2))
      : null,
  };
}

/** The tilted law φ_λ(y) ∝ p(y)e^{λR(y)} over the enumerated sequences (shifted exponent). */
export function tilted(e: Enumerated, lambda: number): number[] {
  if (lambda === Number.POSITIVE_INFINITY) {
    const top = Math.max(...e.reward);
    const w = e.prob.map((p, k) => (e.reward[k] === top ? p : 0));
    const z = w.reduce((a, b) => a + b, 0);
    return w.map((x) => x / z);
  }
  const top = Math.max(...e.reward);
  const w = e.prob.map((p, k) => p * Math.exp(lambda * (e.reward[k] - top)));
  const z = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / z);
}

/** log Σ_y p(y) e^{λR(y)}. */
export function logPartition(e: Enumerated, lambda: number): number {
  const top = Math.max(...e.reward);
  return (
    lambda * top + Math.log(e.prob.reduce((a, p, k) => a + p * Math.exp(lambda * (e.reward[k] - top)), 0))
  );
}

/** KL(a‖b) over the sequences. */
export function kl(a: number[], b: number[]): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) if (a[k] > 0) s += a[k] * Math.log(a[k] / b[k]);
  return s;
}

/** Mean and central moments 2..4 of R under weights w. */
export function moments(w: number[], R: number[]): { mean: number; m2: number; m3: number; m4: number } {
  const mean = w.reduce((a, x, k) => a + x * R[k], 0);
  const m = (j: number) => w.reduce((a, x, k) => a + x * (R[k] - mean) ** j, 0);
  return { mean, m2: m(2), m3: m(3), m4: m(4) };
}

/** The law of R under weights w: distinct values (merged within 1e-9) and their masses. */
export function lawOf(w: number[], R: number[]): { x: number[]; mass: number[] } {
  const byKey = new Map<number, { x: number; mass: number }>();
  for (let k = 0; k < w.length; k++) {
    const key = Math.round(R[k] * 1e9);
    const e = byKey.get(key) ?? { x: R[k], mass: 0 };
    e.mass += w[k];
    byKey.set(key, e);
  }
  const sorted = [...byKey.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
  return { x: sorted.map((v) => v.x), mass: sorted.map((v) => v.mass) };
}

/** K states, `perRow` random targets per row (seeded), rewards j mod 11, optional transition rewards. */
export function sparseChain(K: number, perRow: number, seed: number, bonus: boolean): MarkovChain {
  const rnd = mulberry32(seed);
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  const extra: number[] = [];
  for (let i = 0; i < K; i++) {
    const cols = new Set<number>();
    while (cols.size < Math.min(perRow, K)) cols.add(Math.floor(rnd() * K));
    for (const j of cols) {
      from.push(i);
      to.push(j);
      weight.push(rnd() ** 2 + 0.01);
      extra.push(Math.round(rnd() * 4 - 2) / 4);
    }
  }
  return buildMarkovChain({
    start: new Array(K).fill(1),
    from,
    to,
    weight,
    reward: Array.from({ length: K }, (_, j) => j % 11),
    ...(bonus ? { bonus: extra } : {}),
  });
}
