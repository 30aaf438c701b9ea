// Sequence-level core benchmarks (src/core/sequenceLaw.ts, bestOfN.ts, equivalence.ts).
// Warm medians of several runs; targets from the issue (exact BoN at n = 1000, N = e^500, 11
// integer rewards ≤ 150 ms; the equivalence series n = 1..256 fast enough for a live preview).
import { bestOfNForLength } from '../src/core/bestOfN.js';
import { equivalenceSeries } from '../src/core/equivalence.js';
import { buildTokenRewardLaw } from '../src/core/rewardLaw.js';
import { sequenceRewardLaw } from '../src/core/sequenceLaw.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

async function time(name: string, target: number, runs: number, f: () => unknown): Promise<void> {
  f(); // warm-up (JIT)
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = f() as { ok?: boolean };
    times.push(performance.now() - t0);
    if (r && r.ok === false) throw new Error(`${name} failed: ${JSON.stringify(r)}`);
  }
  console.log(`${name}: median ${median(times).toFixed(1)} ms (target ≤ ${target} ms)`);
}

export async function run(): Promise<void> {
  // 11 tokens, integer rewards 0..10, p_k ∝ 1 + 0.37 k (non-uniform).
  const law = buildTokenRewardLaw(
    Array.from({ length: 11 }, (_, k) => 1 + 0.37 * k),
    Array.from({ length: 11 }, (_, k) => k),
  );
  await time('best-of-N exact, n=1000, N=e^500, 11 rewards', 150, 7, () =>
    bestOfNForLength(law, 1000, { logN: 500 }, { lambda: 1 }),
  );
  await time('best-of-N exact, n=1000, N=e^1000, 11 rewards', 150, 7, () =>
    bestOfNForLength(law, 1000, { logN: 1000 }),
  );
  await time('law of R (all 10001 levels + tails), n=1000, 11 rewards', 400, 5, () =>
    sequenceRewardLaw(law, 1000),
  );
  const ns = Array.from({ length: 256 }, (_, i) => i + 1);
  await time('equivalence series n=1..256, δ=0.5', 100, 7, () => equivalenceSeries(law, 0.5, ns));
  await time('equivalence series n=1..256, δ=0.05', 100, 7, () => equivalenceSeries(law, 0.05, ns));
}
