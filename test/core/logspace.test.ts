// Log-space primitives against closed forms and exactly representable cases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  log1mExp,
  log1pExp,
  logAddExp,
  logSubExp,
  logSumExp,
  NeumaierSum,
  neumaierSum,
} from '../../src/core/logspace.js';
import { assertClose } from '../helpers/tolerance.js';

test('logSumExp matches the direct formula where it cannot overflow', () => {
  const xs = [-1.5, 0.25, 2, -3];
  const direct = Math.log(xs.reduce((a, x) => a + Math.exp(x), 0));
  assertClose(logSumExp(xs), direct, { rel: 1e-15, context: { xs } });
});

test('logSumExp does not overflow or underflow at ±1e3 and ±1e6', () => {
  // log(e^1000 + e^1000) = 1000 + log 2; log(e^-1e6 · 3) = -1e6 + log 3.
  assertClose(logSumExp([1000, 1000]), 1000 + Math.LN2, { rel: 1e-15, context: '[1000, 1000]' });
  assertClose(logSumExp([-1e6, -1e6, -1e6]), -1e6 + Math.log(3), { rel: 1e-15, context: '3 × -1e6' });
  assertClose(logSumExp([1e3, -1e3]), 1e3, { rel: 1e-16, context: '[1e3, -1e3]' });
});

test('logSumExp special cases: empty, −∞, +∞', () => {
  assert.equal(logSumExp([]), Number.NEGATIVE_INFINITY);
  assert.equal(logSumExp([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]), Number.NEGATIVE_INFINITY);
  assert.equal(logSumExp([0, Number.POSITIVE_INFINITY]), Number.POSITIVE_INFINITY);
  assertClose(logSumExp([Number.NEGATIVE_INFINITY, 0.5]), 0.5, { rel: 0, context: '[-inf, 0.5]' });
});

test('logSumExp of 10^6 equal terms is x + log 10^6 (compensated sum)', () => {
  const xs = new Float64Array(1_000_000).fill(-700);
  assertClose(logSumExp(xs), -700 + Math.log(1e6), { rel: 1e-15, context: '1e6 × -700' });
});

test('logAddExp and logSubExp agree with closed forms', () => {
  assertClose(logAddExp(Math.log(0.3), Math.log(0.2)), Math.log(0.5), {
    rel: 1e-15,
    context: 'log(0.3+0.2)',
  });
  assert.equal(logAddExp(Number.NEGATIVE_INFINITY, 2), 2);
  assert.equal(logAddExp(2, Number.NEGATIVE_INFINITY), 2);
  assertClose(logAddExp(800, 800), 800 + Math.LN2, { rel: 1e-15, context: '800,800' });
  assertClose(logSubExp(Math.log(0.5), Math.log(0.2)), Math.log(0.3), {
    rel: 1e-14,
    context: 'log(0.5-0.2)',
  });
  assert.equal(logSubExp(1, 1), Number.NEGATIVE_INFINITY);
  assert.equal(logSubExp(1, Number.NEGATIVE_INFINITY), 1);
  assert.throws(() => logSubExp(0, 1), RangeError);
});

test('log1mExp is accurate on both branches (Mächler)', () => {
  // x tiny: log(1 − e^x) ≈ log(−x) − x/2 (series, exact to O(x²)).
  const x = -1e-20;
  assertClose(log1mExp(x), Math.log(1e-20) - x / 2, { rel: 1e-15, context: { x } });
  // x very negative: log(1 − e^x) ≈ −e^x.
  assertClose(log1mExp(-50), -Math.exp(-50), { rel: 1e-15, context: 'x = -50' });
  assertClose(log1mExp(-1), Math.log(1 - Math.exp(-1)), { rel: 1e-15, context: 'x = -1' });
  assert.equal(log1mExp(0), Number.NEGATIVE_INFINITY);
  assert.throws(() => log1mExp(0.1), RangeError);
});

test('log1pExp (softplus) never overflows', () => {
  assertClose(log1pExp(0), Math.LN2, { rel: 1e-16, context: 'x = 0' });
  assertClose(log1pExp(1000), 1000, { rel: 0, context: 'x = 1000' });
  assertClose(log1pExp(-800), 0, { rel: 0, abs: 1e-300, context: 'x = -800' });
  assertClose(log1pExp(-40), Math.exp(-40), { rel: 1e-15, context: 'x = -40' });
  assertClose(log1pExp(5), Math.log1p(Math.exp(5)), { rel: 1e-15, context: 'x = 5' });
});

test('Neumaier summation recovers what naive summation loses', () => {
  const xs = [1, 1e100, 1, -1e100];
  assert.equal(neumaierSum(xs), 2, 'neumaierSum([1, 1e100, 1, -1e100])');
  const acc = new NeumaierSum();
  for (const x of xs) acc.add(x);
  assert.equal(acc.value, 2);
  // 0.1 added 10^6 times: the compensated sum is the correctly rounded 1e5.
  const tenths = new Float64Array(1_000_000).fill(0.1);
  assertClose(neumaierSum(tenths), 100000, { rel: 1e-15, context: '1e6 × 0.1' });
});
