// Markov-model benchmarks (docs/math-markov.md §9): warm medians. Targets from the issue: K = 50
// states, n = 1000 — tilt with the λ solve ≤ 20 ms, 256-point frontier ≤ 100 ms, exact law of R
// with integer rewards 0..10 ≤ 300 ms; K = 1000 sparse (≤ 20 transitions per row): tilt ≤ 50 ms.
// The chains are seeded random chains that are clearly not memoryless (each row its own weights).
import { markovChain } from '../src/core/markovChain.js';
import { markovRewardLaw } from '../src/core/markovLaw.js';
import { markovFrontier, markovLambdaForBudget, markovMaxKL } from '../src/core/markovTilt.js';
import { Xoshiro128 } from '../src/core/prng.js';
import { unwrap } from '../src/core/result.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

async function time(
  name: string,
  target: number | null,
  runs: number,
  f: () => unknown,
  warm = true,
): Promise<number> {
  if (warm) f(); // warm-up (JIT)
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = f() as { ok?: boolean };
    times.push(performance.now() - t0);
    if (r && r.ok === false) throw new Error(`${name} failed: ${JSON.stringify(r)}`);
  }
  const m = median(times);
  const goal = target === null ? 'no target of its own' : `target ≤ ${target} ms`;
  console.log(`${name}: median ${m.toFixed(1)} ms (${goal})`);
  return m;
}

/** K states, `perRow` transitions per row (random targets), weights u², rewards j mod 11. */
function randomChain(K: number, perRow: number, seed: number) {
  const rng = new Xoshiro128(seed);
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < K; i++) {
    const cols = new Set<number>();
    while (cols.size < Math.min(perRow, K)) cols.add(Math.floor(rng.nextDouble() * K));
    for (const j of cols) {
      from.push(i);
      to.push(j);
      weight.push(rng.nextDouble() ** 2 + 0.01);
    }
  }
  const reward = Array.from({ length: K }, (_, j) => j % 11);
  return unwrap(markovChain({ start: new Array(K).fill(1), from, to, weight, reward }));
}

export async function run(): Promise<void> {
  const n = 1000;
  const dense = randomChain(50, 50, 1);
  const kmax = unwrap(markovMaxKL(dense, n));
  await time('tilt with λ solve, K=50 dense, n=1000 (Δ = 0.3·max KL)', 20, 7, () =>
    markovLambdaForBudget(dense, n, 0.3 * kmax),
  );
  await time('frontier 256 points, K=50 dense, n=1000', 100, 3, () =>
    markovFrontier(dense, n, { steps: 256 }),
  );
  // The exact law of R costs Σ_t nnz·(t·D) ≈ nnz·D·n²/2 multiply-adds: at n = 1000 that is 1.3e10
  // for this chain, far beyond the default work limit; the bench measures n = 100 (1.3e8) and
  // n = 1000 once, with the limits lifted.
  const limits = { maxSupport: 1e7, maxWork: 1e13 };
  await time('law of R, K=50 dense, n=100, rewards 0..10 (the target is for n = 1000, below)', null, 3, () =>
    markovRewardLaw(dense, 100, limits),
  );
  if (!process.env.ALIGN_LAB_BENCH_QUICK)
    await time(
      'law of R, K=50 dense, n=1000, rewards 0..10 (one run)',
      300,
      1,
      () => markovRewardLaw(dense, n, limits),
      false,
    );
  const sparse = randomChain(1000, 20, 2);
  const kmaxSparse = unwrap(markovMaxKL(sparse, n));
  await time('tilt with λ solve, K=1000 sparse (20/row), n=1000 (Δ = 0.3·max KL)', 50, 5, () =>
    markovLambdaForBudget(sparse, n, 0.3 * kmaxSparse),
  );
}
