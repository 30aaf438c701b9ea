// Independent references for the evaluator tests: direct enumeration of all K^n sequences of a
// small memoryless model (docs/math.md §7: "brute-force enumeration … agrees with the convolution").

export interface Small {
  p: number[];
  r: number[];
  n: number;
}

/** Every sequence reward and its probability under the per-token distribution q. */
export function sequences(q: number[], r: number[], n: number): { reward: number; prob: number }[] {
  let out = [{ reward: 0, prob: 1 }];
  for (let i = 0; i < n; i++) {
    const next: { reward: number; prob: number }[] = [];
    for (const s of out)
      for (let k = 0; k < q.length; k++) next.push({ reward: s.reward + r[k], prob: s.prob * q[k] });
    out = next;
  }
  return out;
}

/** φ_λ per token by the definition p e^{λ r} / Σ p e^{λ r}. */
export function tilted(p: number[], r: number[], lambda: number): number[] {
  const m = Math.max(...r);
  const w = p.map((pk, k) => pk * Math.exp(lambda * (r[k] - m)));
  const z = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / z);
}

/** KL(q‖p) per token and E_q r. */
export function klAndReward(q: number[], p: number[], r: number[]): { kl: number; reward: number } {
  let kl = 0;
  let reward = 0;
  for (let k = 0; k < q.length; k++) {
    if (q[k] > 0) kl += q[k] * Math.log(q[k] / p[k]);
    reward += q[k] * r[k];
  }
  return { kl, reward };
}

/** Law of R under q^n: distinct values ascending (rounded to merge float noise) and masses. */
export function rewardLaw(q: number[], r: number[], n: number): { x: number[]; w: number[] } {
  const byValue = new Map<number, number>();
  for (const s of sequences(q, r, n)) {
    const key = Math.round(s.reward * 1e9) / 1e9;
    byValue.set(key, (byValue.get(key) ?? 0) + s.prob);
  }
  const x = [...byValue.keys()].sort((a, b) => a - b);
  return { x, w: x.map((v) => byValue.get(v)!) };
}

/** Best-of-N by the level formulas of docs/math.md §6, straight from the enumerated law. */
export function bestOfN(p: number[], r: number[], n: number, N: number): { reward: number; kl: number } {
  const { x, w } = rewardLaw(p, r, n);
  let F = 0;
  let reward = 0;
  let kl = 0;
  for (let j = 0; j < x.length; j++) {
    const Fprev = F;
    F += w[j];
    const b = Math.min(1, F) ** N - Fprev ** N;
    reward += b * x[j];
    if (b > 0) kl += b * Math.log(b / w[j]);
  }
  return { reward, kl };
}

/** Cumulants κ1..κ4 of R under q^n from central moments of the enumerated law. */
export function cumulants4(q: number[], r: number[], n: number): number[] {
  const seqs = sequences(q, r, n);
  const mean = seqs.reduce((a, s) => a + s.prob * s.reward, 0);
  const m = [0, 0, 0, 0, 0];
  for (const s of seqs) {
    const d = s.reward - mean;
    m[2] += s.prob * d * d;
    m[3] += s.prob * d * d * d;
    m[4] += s.prob * d * d * d * d;
  }
  return [mean, m[2], m[3], m[4] - 3 * m[2] * m[2]];
}

/** log Σ p e^{s r} computed directly (shifted by max r for safety). */
export function logPartition(p: number[], r: number[], s: number): number {
  const m = Math.max(...r.map((x) => s * x));
  return m + Math.log(p.reduce((a, pk, k) => a + pk * Math.exp(s * r[k] - m), 0));
}

/**
 * I_λ(x) = sup_t [t x − (A(λ+t) − A(λ))] by golden-section search on t: the objective is concave,
 * and the value at the maximiser is insensitive (quadratically) to the location error.
 */
export function rateBySupremum(p: number[], r: number[], lambda: number, x: number): number {
  const A0 = logPartition(p, r, lambda);
  const f = (t: number) => t * x - (logPartition(p, r, lambda + t) - A0);
  let lo = -60;
  let hi = 60;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 200; i++) {
    const a = hi - g * (hi - lo);
    const b = lo + g * (hi - lo);
    if (f(a) < f(b)) lo = a;
    else hi = b;
  }
  return f((lo + hi) / 2);
}

/** BoN with N = e^{logN}: reward and KL(BoN ‖ φ_λⁿ) by the level formulas. */
export function bestOfNVsTilt(
  p: number[],
  r: number[],
  n: number,
  logN: number,
  lambda: number,
): { reward: number; klToTilt: number } {
  const { x, w } = rewardLaw(p, r, n);
  const A = logPartition(p, r, lambda);
  let F = 0;
  let reward = 0;
  let klToTilt = 0;
  const N = Math.exp(logN);
  for (let j = 0; j < x.length; j++) {
    const Fprev = F;
    F += w[j];
    const b = Math.min(1, F) ** N - Fprev ** N;
    reward += b * x[j];
    if (b > 0) klToTilt += b * (Math.log(b / w[j]) - (lambda * x[j] - n * A));
  }
  return { reward, klToTilt };
}
