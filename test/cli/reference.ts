/**
 * Direct, deliberately naive formulas for a small memoryless model (docs/math.md §2–§6), used to
 * check the CLI's JSON numbers independently of the language layer: plain sums over the
 * vocabulary and an explicit convolution for the law of R. Only for tiny models with integer
 * rewards.
 */

export interface Toy {
  readonly p: readonly number[];
  readonly r: readonly number[];
  readonly n: number;
}

/** A(s) = log Σ p e^{s r}. */
export function logPartition(m: Toy, s: number): number {
  const top = Math.max(...m.r.map((r) => s * r));
  return top + Math.log(m.p.reduce((acc, p, k) => acc + p * Math.exp(s * m.r[k] - top), 0));
}

/** φ_s over the vocabulary. */
export function tilted(m: Toy, s: number): number[] {
  const a = logPartition(m, s);
  return m.p.map((p, k) => p * Math.exp(s * m.r[k] - a));
}

export function mean(m: Toy, s: number): number {
  return tilted(m, s).reduce((acc, q, k) => acc + q * m.r[k], 0);
}

/** D(s) = KL(φ_s ‖ p) = s A'(s) − A(s). */
export function perTokenKL(m: Toy, s: number): number {
  return s * mean(m, s) - logPartition(m, s);
}

/** s ≥ 0 with A'(s) = x (x in (E_p r, r_max)), by bisection. */
export function solveMean(m: Toy, x: number): number {
  let lo = -200;
  let hi = 200;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (mean(m, mid) < x) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Law of R = Σ r(y_i) under q^n, for integer rewards 0..R: w[j] = P(R = j). */
export function sequenceLaw(q: readonly number[], r: readonly number[], n: number): number[] {
  let w = [1];
  for (let i = 0; i < n; i++) {
    const next = new Array(w.length + Math.max(...r)).fill(0);
    for (let j = 0; j < w.length; j++) for (let k = 0; k < q.length; k++) next[j + r[k]] += w[j] * q[k];
    w = next;
  }
  return w;
}

/** Best-of-N over sequences (docs/math.md §6): E R, KL(BoN‖pⁿ), and KL(BoN‖φ_λⁿ) when λ is given. */
export function bestOfN(
  m: Toy,
  logN: number,
  lambda?: number,
): { reward: number; kl: number; klToTilt?: number } {
  const w = sequenceLaw(m.p, m.r, m.n);
  const N = Math.exp(logN);
  let F = 0;
  let reward = 0;
  let kl = 0;
  let klToTilt = 0;
  const nA = lambda === undefined ? 0 : m.n * logPartition(m, lambda);
  for (let j = 0; j < w.length; j++) {
    if (w[j] === 0) continue;
    const prev = F;
    F = Math.min(1, F + w[j]);
    const b = F ** N - prev ** N;
    if (b <= 0) continue;
    reward += b * j;
    kl += b * Math.log(b / w[j]);
    if (lambda !== undefined) klToTilt += b * Math.log(b / (w[j] * Math.exp(lambda * j - nA)));
  }
  return { reward, kl, ...(lambda === undefined ? {} : { klToTilt }) };
}

/** KL(a ‖ b) over the vocabulary. */
export function kl(a: readonly number[], b: readonly number[]): number {
  return a.reduce((acc, x, k) => (x > 0 ? acc + x * Math.log(x / b[k]) : acc), 0);
}

/** The win rate of a law of R (levels 0..) against the base law w: Σ π_j (F_{j−1} + w_j/2). */
export function winRate(pi: readonly number[], w: readonly number[]): number {
  let F = 0;
  let win = 0;
  for (let j = 0; j < w.length; j++) {
    win += (pi[j] ?? 0) * (F + w[j] / 2);
    F += w[j];
  }
  return win;
}

/** Best-of-N's level law b_j = F_j^N − F_{j−1}^N on the levels 0.. of w. */
export function bonLevels(w: readonly number[], N: number): number[] {
  let F = 0;
  return w.map((wj) => {
    const prev = F;
    F = Math.min(1, F + wj);
    return F ** N - prev ** N;
  });
}
