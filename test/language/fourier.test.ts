// Continuous rewards in the language: a 1,000-token model with Gaussian rewards at n = 64 has its
// best-of-N, tail and equivalence computed by the Fourier method, and the `approximation` note
// states the method and its bounds (docs/language.md). Lattice and few-token models keep their
// results (the other language tests and fixtures).
import assert from 'node:assert/strict';
import { test } from 'node:test';
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
