// Alignment methods side by side (src/core/methods.ts, softBestOfN.ts; docs/math-methods.md).
// Targets from the issue: soft best-of-N with N = e^100 at n = 200 (integer rewards) ≤ 20 ms;
// `methods` with 32 steps per method on the model of examples/paper.align ≤ 50 ms. Warm medians,
// wall and process CPU time (on a shared machine the CPU figure is the meaningful one).

import { methodCurves, softBestOfN, winRateComparison } from '../src/core/methods.js';
import { buildTokenRewardLaw } from '../src/core/rewardLaw.js';
import { sequenceRewardLaw } from '../src/core/sequenceLaw.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function time(name: string, target: number | undefined, runs: number, f: () => unknown): void {
  for (let i = 0; i < 5; i++) check(name, f()); // warm-up (JIT)
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = f();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    check(name, r);
  }
  const w = median(wall);
  const over = target !== undefined && w > target ? '  ← OVER TARGET' : '';
  const goal = target === undefined ? '' : ` (target ≤ ${target} ms)`;
  console.log(`${name}: median ${w.toFixed(2)} ms${goal} [cpu ${median(cpu).toFixed(2)} ms]${over}`);
}

function check(name: string, r: unknown): void {
  const res = r as { ok?: boolean; error?: unknown };
  if (res && res.ok === false) throw new Error(`${name} failed: ${JSON.stringify(res.error)}`);
}

export async function run(): Promise<void> {
  // n = 200 tokens, integer rewards 0..10 with p_k ∝ 1 + 0.37k: 2001 levels of R.
  const integer = buildTokenRewardLaw(
    Array.from({ length: 11 }, (_, k) => 1 + 0.37 * k),
    Array.from({ length: 11 }, (_, k) => k),
  );
  time('softbon N = e^100, n = 200, λ = 2 (law of R, soft, BoN and tilt comparisons)', 20, 15, () =>
    softBestOfN(integer, 200, { logN: 100 }, 2),
  );
  const seq = sequenceRewardLaw(integer, 200);
  if (!seq.ok) throw new Error(seq.error.message);
  time('  of which the law of R (2001 levels)', undefined, 15, () => sequenceRewardLaw(integer, 200));
  time('  soft best-of-N alone on a computed law', undefined, 15, () =>
    softBestOfN(integer, 200, { logN: 100 }, 2, { sequenceLaw: seq.value }),
  );
  time('softbon N = e^1000, n = 200, λ = 0.5 (on a computed law)', undefined, 15, () =>
    softBestOfN(integer, 200, { logN: 1000 }, 0.5, { sequenceLaw: seq.value }),
  );

  // The model of examples/paper.align: 32 tokens, rewards −1, 0, 0.5, 1, 2 (193 levels of R).
  const chat = buildTokenRewardLaw([0.1, 0.3, 0.35, 0.2, 0.05], [-1, 0, 0.5, 1, 2]);
  time('methods, N = 1..1024, 32 steps per method, paper.align model (incl. the law of R)', 50, 15, () =>
    methodCurves(chat, 32, { logNFrom: 0, logNTo: Math.log(1024), steps: 32 }),
  );
  time('winrate at Δ = 16, paper.align model (five methods tuned to Δ)', undefined, 15, () =>
    winRateComparison(chat, 32, 16, undefined),
  );
}
