// The one number formatter: every rule of src/presentation/format.ts, each with its edge cases.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_SIGNIFICANT_DIGITS,
  formatCount,
  formatInterval,
  formatNumber,
  formatValue,
} from '../../src/presentation/format.js';

const MINUS = '\u2212';

describe('formatNumber', () => {
  const cases: [number | null | undefined, number, string][] = [
    [0.96234567, 3, '0.962'],
    [8.19, 5, '8.19'],
    [12, 5, '12'],
    [-2.5, 5, `${MINUS}2.5`],
    [null, 5, '∞'],
    [Number.POSITIVE_INFINITY, 5, '∞'],
    [Number.NEGATIVE_INFINITY, 5, `${MINUS}∞`],
    [Number.NaN, 5, '—'],
    [undefined, 5, '—'],
    [0, 5, '0'],
    [-0, 5, '0'],
    [1.234567e-7, 4, `1.235e${MINUS}7`],
    [-1.234567e-7, 4, `${MINUS}1.235e${MINUS}7`],
    [6.02e23, 3, '6.02e23'],
    [123456.7, 4, '123500'],
    [1234567, 4, '1.235e6'],
    // Rounding carries to 1e6: one rule, exponent notation from 1e6 up.
    [999999.7, 5, '1e6'],
    [1e-4, 5, '0.0001'],
    [9.99999e-5, 3, `1e${MINUS}4`],
    [2.0794415416798357, 5, '2.0794'],
    [2.0794415416798357, 10, '2.079441542'],
    [1e300, 5, '1e300'],
    [5e-324, 5, `4.9407e${MINUS}324`],
    [-7.99805, 5, `${MINUS}7.9981`],
  ];
  for (const [x, digits, expected] of cases) {
    it(`${String(x)} at ${digits} digits → ${expected}`, () => {
      assert.equal(formatNumber(x, digits), expected, `formatNumber(${x}, ${digits})`);
    });
  }

  it('never prints a hyphen-minus, 17-digit doubles or "e+"', () => {
    for (let i = 0; i < 2000; i++) {
      const x = (i % 2 ? -1 : 1) * 10 ** (((i * 7919) % 700) / 10 - 35) * (1 + ((i * 104729) % 1000) / 1000);
      for (const d of [3, 5, 10]) {
        const s = formatNumber(x, d);
        assert.ok(!s.includes('-') && !s.includes('e+'), `${x} → ${s}`);
        const digits = s
          .replace(/e.*$/, '')
          .replace(/[^0-9]/g, '')
          .replace(/^0+/, '')
          .replace(/0+$/, '');
        assert.ok(digits.length <= d, `${x} at ${d} digits → ${s}`);
        // The text is the number, rounded: it reads back within half a unit in the last place.
        const back = Number(s.replace(/\u2212/g, '-'));
        assert.ok(Math.abs(back - x) <= Math.abs(x) * 10 ** (1 - d), `${x} → ${s} reads back as ${back}`);
      }
    }
  });

  it('uses the default significant digits', () => {
    assert.equal(DEFAULT_SIGNIFICANT_DIGITS, 5);
    assert.equal(formatNumber(Math.PI), '3.1416');
  });
});

describe('formatCount, formatInterval, formatValue', () => {
  it('counts are exact integers', () => {
    assert.equal(formatCount(20000), '20000');
    assert.equal(formatCount(-3), `${MINUS}3`);
    assert.equal(formatCount(2.5), '2.5');
    assert.equal(formatCount(2 ** 60), '1.1529e18');
  });
  it('intervals close finite ends as asked and always open infinite ones', () => {
    assert.equal(formatInterval(0, undefined), '[0, ∞)');
    assert.equal(formatInterval(0, undefined, true), '(0, ∞)');
    assert.equal(formatInterval(1, 10000), '[1, 10000]');
    assert.equal(formatInterval(undefined, 1, false, true), `(${MINUS}∞, 1)`);
  });
  it('words pass through, numbers are formatted', () => {
    assert.equal(formatValue('exact'), 'exact');
    assert.equal(formatValue(null), '∞');
    assert.equal(formatValue(-1.5), `${MINUS}1.5`);
  });
});
