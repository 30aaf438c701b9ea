// Continuous rewards in the language: a 1,000-token model with Gaussian rewards at n = 64 has its
// best-of-N, tail and equivalence computed by the Fourier method, and the `approximation` note
// states the method and its bounds (docs/language.md). Lattice and few-token models keep their
// results (the other language tests and fixtures).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestOfNForLength, bestOfNSummary } from '../../src/core/bestOfN.js';
import { unwrap } from '../../src/core/result.js';
import { tokenRewardLaw } from '../../src/core/rewardLaw.js';
import { DEFAULT_MAX_SUPPORT, sequenceRewardLaw } from '../../src/core/sequenceLaw.js';
import { analyze } from '../../src/language/index.js';

/** token,p,reward rows: 1,000 tokens, uniform-ish p, Gaussian rewards (fixed seed). */
function gaussianCsv(K: number): string {
  let s = 3;
  const rnd = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  const rows = ['token,p,reward'];
  for (let i = 0; i < K; i++) {
    const r = Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd());
    rows.push(`t${i},${(rnd() + 0.01).toFixed(6)},${r}`);
  }
  return `${rows.join('\n')}\n`;
}

test('a continuous-reward model: bon, rate and equivalence state the Fourier bounds in the approximation note', () => {
  const csv = gaussianCsv(1000);
  const text = [
    'model g from "g.csv" { length 64 }',
    'bon(g, N = 64)',
    'rate(g, lambda = 1, x = 0.5)',
    'equivalence(g, rate = 0.5, n = 64)',
    '',
  ].join('\n');
  const a = analyze(text, { readFile: (p) => (p === 'g.csv' ? csv : undefined) });
  const failed = a.results.filter((r) => r.error !== undefined);
  assert.deepEqual(failed, [], JSON.stringify(failed));
  const notes = a.diagnostics.filter((d) => d.code === 'approximation');
  assert.ok(notes.length >= 1, JSON.stringify(a.diagnostics));
  for (const d of notes) {
    const data = d.data as { method?: string; errorBound?: number; klErrorBound?: number };
    assert.equal(data.method, 'fourier', d.message);
    assert.match(d.message, /Fourier inversion/);
    assert.ok(
      data.errorBound !== undefined && data.errorBound > 0 && data.errorBound < 1e-4,
      `stated bound ${data.errorBound}: ${d.message}`,
    );
  }
  const bonNote = notes.find((d) => d.range.start.line === 1);
  assert.ok(bonNote !== undefined, `no note on the bon line: ${JSON.stringify(notes)}`);
  assert.match(bonNote.message, /E_BoN R and the tail levels are within ±/);
  assert.match(bonNote.message, /KL\(BoN‖pⁿ\) within ±/);
});

test('the bon note states the worst bound of the query and of every point of its curve (each by the Fourier method)', () => {
  const csv = gaussianCsv(1000);
  const n = 64;
  // log N = 12: the query in the top form at its own tilt, the curve's points in the bulk form and
  // on the tilt ladder (math-continuous.md §10), some of them with larger bounds than the query.
  const text = `model g from "g.csv" { length ${n} }\nbon(g, logN = 12)\n`;
  const a = analyze(text, { readFile: (p) => (p === 'g.csv' ? csv : undefined) });
  const note = a.diagnostics.find((d) => d.code === 'approximation');
  assert.ok(note !== undefined, JSON.stringify(a.diagnostics));
  const data = note.data as { method: string; errorBound: number };
  assert.equal(data.method, 'fourier', note.message);
  const value = a.results[0].value as { curve?: { log_n: number; reward: number }[] };
  assert.ok(value.curve !== undefined && value.curve.length >= 16, JSON.stringify(value).slice(0, 200));
  // The same numbers from the core: the query at log N = 12 and the curve's sizes.
  const rows = csv.trim().split('\n').slice(1);
  const law = unwrap(
    tokenRewardLaw(
      rows.map((r) => Number(r.split(',')[1])),
      rows.map((r) => Number(r.split(',')[2])),
    ),
  );
  const seq = unwrap(sequenceRewardLaw(law, n, { maxSupport: DEFAULT_MAX_SUPPORT }));
  const own = unwrap(
    bestOfNForLength(law, n, { logN: 12 }, { maxSupport: DEFAULT_MAX_SUPPORT, sequenceLaw: seq }),
  );
  assert.equal(own.method, 'fourier');
  let worst = own.errorBound;
  let curveWorst = 0;
  for (const point of value.curve) {
    const b = unwrap(bestOfNSummary(seq, law, { logN: point.log_n }));
    const inputs = `curve point log N = ${point.log_n}`;
    assert.equal(b.method, 'fourier', inputs);
    // Both lie within their bounds of the exact value (the grids they read may differ: log N is
    // rounded for the results, and the cache of grids depends on what was asked before).
    assert.ok(
      Math.abs(point.reward - b.reward) <= 2 * b.errorBound,
      `${inputs}: value ${point.reward}, expected ${b.reward}, error ${Math.abs(point.reward - b.reward)}, bound ${b.errorBound}`,
    );
    worst = Math.max(worst, b.errorBound);
    curveWorst = Math.max(curveWorst, b.errorBound);
  }
  // (the same computations up to the grids they read: to 1e-3 relative)
  assert.ok(
    Math.abs(data.errorBound - worst) <= 1e-3 * worst,
    `stated ${data.errorBound}, expected the worst of the query (${own.errorBound}) and its curve (${curveWorst}): ${worst}`,
  );
  assert.ok(
    curveWorst > 1.01 * own.errorBound,
    `the curve's worst bound ${curveWorst} ≤ the query's ${own.errorBound}: the test shows nothing`,
  );
});
