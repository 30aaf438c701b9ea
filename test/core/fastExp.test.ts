// fastExp (src/core/fastExp.ts) against e^x at 40 digits (test/fixtures/exp.json, from
// exp_runner.py with mpmath): within one ulp of the correctly rounded value everywhere the table
// method runs — the reduction's seams included — and Math.exp's answer outside it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fastExp } from '../../src/core/fastExp.js';

interface Case {
  readonly x: string;
  readonly exp: string;
}
const cases: Case[] = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'exp.json'), 'utf8'),
).cases;

/** The spacing of doubles at |y| (normal y). */
function ulp(y: number): number {
  const e = Math.floor(Math.log2(Math.abs(y)));
  return 2 ** (e - 52);
}

test('fastExp is within one ulp of e^x (mpmath, 40 digits) on the grid, the seams and random points', () => {
  assert.ok(cases.length > 4000, `the fixture has ${cases.length} cases`);
  let worst = 0;
  let worstX = '';
  for (const c of cases) {
    const x = Number(c.x);
    const want = Number(c.exp); // the double nearest e^x
    const got = fastExp(x);
    const err = Math.abs(got - want) / ulp(want);
    if (err > worst) {
      worst = err;
      worstX = c.x;
    }
    assert.ok(
      err <= 1,
      `x = ${c.x}: fastExp ${got}, e^x ${c.exp} (nearest double ${want}), error ${err} ulp`,
    );
  }
  // Most values are the correctly rounded one: a method an ulp off everywhere would pass the
  // bound above but not this.
  const exact = cases.filter((c) => fastExp(Number(c.x)) === Number(c.exp)).length;
  assert.ok(
    exact >= 0.9 * cases.length,
    `${exact} of ${cases.length} correctly rounded (worst ${worst} ulp at ${worstX})`,
  );
});

test('fastExp: 0 gives exactly 1, and outside [−708, 709] it is Math.exp', () => {
  assert.equal(fastExp(0), 1);
  assert.equal(fastExp(-0), 1);
  assert.ok(Number.isNaN(fastExp(Number.NaN)));
  assert.equal(fastExp(Number.NEGATIVE_INFINITY), 0);
  assert.equal(fastExp(Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
  for (const x of [-745.2, -745, -720, -708.5, 709.5, 710, -1e300, 1e300])
    assert.equal(fastExp(x), Math.exp(x), `x = ${x}`);
});
