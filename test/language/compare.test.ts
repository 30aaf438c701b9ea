// `compare` reports the frontier at the query's Δ and at the policy's own KL (issue 10, defect 6):
// each checked against the tilt at that budget, an independent route through the core.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/language/index.js';
import type { CompareValue, TiltValue } from '../../src/presentation/results.js';
import { close } from './helpers.js';

const MODEL =
  'model toy { vocab a b c d; p 0.4 0.3 0.2 0.1; reward 0 1 2 3; length 4 }\npolicy q of toy { p 0.25 0.25 0.25 0.25 }\n';

test('compare: frontier at Δ and at KL(qⁿ‖pⁿ), each equal to the tilt at that budget', () => {
  for (const delta of [0.2, 1, 4, 100]) {
    const a = analyze(`${MODEL}compare(toy, policy = q, delta = ${delta})\n`);
    const c = a.results[0].value as CompareValue;
    assert.ok(c, JSON.stringify(a.results[0]));
    const atDelta = analyze(`${MODEL}tilt(toy, delta = ${delta})\n`).results[0].value as TiltValue;
    close(c.frontier_reward, atDelta.reward, `F(Δ = ${delta})`);
    const atKl = analyze(`${MODEL}tilt(toy, delta = ${c.kl})\n`).results[0].value as TiltValue;
    close(c.frontier_reward_at_kl, atKl.reward, `F(KL(qⁿ‖pⁿ)) at Δ = ${delta}`);
    close(c.gap_at_kl, atKl.reward - c.reward, `gap at own KL, Δ = ${delta}`, 1e-9, 1e-12);
    assert.ok((c.gap_at_kl ?? -1) >= 0, 'q is never above the frontier at its own KL');
  }
});

test('compare: a policy with mass where p has none has KL ∞ and no frontier at its KL', () => {
  const text =
    'model m { vocab a b; p 1 0; reward 0 1; length 2 }\npolicy q of m { p 0.5 0.5 }\ncompare(m, policy = q, delta = 1)\n';
  const c = analyze(text).results[0].value as CompareValue;
  assert.equal(c.kl, null);
  assert.equal(c.frontier_reward_at_kl, undefined);
  assert.equal(c.gap_at_kl, undefined);
});
