// Number literals beyond the double range, whatever their spelling (issue #14: `1e400` was kept
// in log form, a 401-digit integer was an error and 0.000…1 with 401 digits was "not a number"):
// an overflowing literal is a value in log form like 10^400 (N of best-of-N takes it; any use that
// needs a double reports `not-finite` at the literal, with one message); a nonzero literal that
// rounds to 0 is 0 with the warning `underflow-to-zero`; both the same in every context (let,
// query parameters, model fields read by the fast list reader or the general parser).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/language/index.js';
import type { Diagnostic, TiltValue } from '../../src/presentation/results.js';
import { tokenValue } from '../../src/presentation/tokens.js';
import { TOY } from './helpers.js';

const big401 = `1${'0'.repeat(400)}`; // 1e400 written out
const bigDecimal = `${'9'.repeat(320)}.5`;
const tiny401 = `0.${'0'.repeat(399)}1`; // 1e-400 written out
const OVERFLOWS = ['1e400', '1.5E+400', big401, bigDecimal];
const UNDERFLOWS = ['1e-400', '2.5e-330', tiny401];

/** Diagnostics of `text` with the source text each one covers. */
function diagnose(text: string): { d: Diagnostic; covered: string }[] {
  const lines = text.split('\n');
  return analyze(text).diagnostics.map((d) => ({
    d,
    covered:
      d.range.start.line === d.range.end.line
        ? lines[d.range.start.line].slice(d.range.start.character, d.range.end.character)
        : '(multi-line)',
  }));
}

test('an overflowing literal is a value in log form, whatever its spelling: N takes it, every other use says it overflows', () => {
  const messages = new Set<string>();
  for (const lit of OVERFLOWS) {
    // A let may hold it; nothing to report until a use needs a double.
    assert.deepEqual(diagnose(`let x = ${lit}\n`), [], `let x = ${lit.slice(0, 12)}…`);
    for (const [where, text] of [
      ['query parameter', `${TOY}tilt(toy, delta = ${lit})\n`],
      [
        'reward list (fast reader)',
        'model m {\n vocab a b\n p 0.5 0.5\n reward 0 LIT\n}\n'.replace('LIT', lit),
      ],
      ['reward list (expression on the line)', `model m {\n vocab a b\n p 0.5 0.5\n reward (0) ${lit}\n}\n`],
    ] as const) {
      const found = diagnose(text).filter((x) => x.d.code === 'not-finite');
      assert.equal(
        found.length,
        1,
        `${where}, ${lit.slice(0, 12)}…: ${JSON.stringify(found.map((x) => x.d.message))}`,
      );
      const { d, covered } = found[0];
      assert.equal(d.severity, 'error');
      assert.equal(covered, lit, `${where}: the range is exactly the literal`);
      assert.match(
        d.message,
        /\(≈ [0-9.]+e[0-9]+\) overflows a double; only N of best-of-N accepts numbers this large/,
        where,
      );
      messages.add(d.message.replace(/\(≈ [^)]*\)/, '(…)').replace(/^'delta'|^this value/, 'X'));
    }
    // best-of-N's N takes it in log form, exactly.
    const bon = analyze(`${TOY}bon(toy, N = ${lit})\n`);
    assert.deepEqual(
      bon.diagnostics.filter((d) => d.severity === 'error'),
      [],
      lit.slice(0, 12),
    );
    const logN = (bon.results[0].value as { log_n: number }).log_n;
    const digits = lit.replace(/[eE].*$/, '').split('.')[0];
    const exp10 =
      lit.includes('e') || lit.includes('E')
        ? Number(lit.split(/[eE]/)[1]) + digits.length - 1
        : digits.length - 1;
    const mantissa = Number(
      `${digits[0]}.${lit
        .replace(/[eE].*$/, '')
        .replace('.', '')
        .slice(1, 17)}`,
    );
    const exact = (Math.log10(mantissa) + exp10) * Math.LN10;
    assert.ok(
      Math.abs(logN - exact) <= 1e-12 * exact,
      `${lit.slice(0, 12)}…: log N = ${logN}, expected ${exact}`,
    );
  }
  assert.equal(messages.size, 1, `one message: ${[...messages].join(' | ')}`);
  // …and so do powers and exponentials, kept in log form too.
  const a = analyze(`${TOY}bon(toy, N = 10^400)\nbon(toy, N = exp(921))\n`);
  assert.deepEqual(
    a.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  for (const r of a.results) {
    assert.equal(r.error, undefined, JSON.stringify(r));
    const v = r.value as { log_n: number };
    assert.ok(Math.abs(v.log_n - 921) < 0.1, `log N = ${v.log_n}`);
  }
});

test('a nonzero literal that underflows is 0, with the warning underflow-to-zero, in every context', () => {
  for (const lit of UNDERFLOWS) {
    for (const [where, text, value] of [
      ['let', `let x = ${lit}\n${TOY}tilt(toy, lambda = x)\n`, 'λ'],
      ['query parameter', `${TOY}tilt(toy, lambda = ${lit})\n`, 'λ'],
      [
        'p list (fast reader)',
        `model m {\n vocab a b\n p ${lit} 1\n reward 0 1\n}\ntilt(m, lambda = 1)\n`,
        'p',
      ],
      [
        'p list (expression on the line)',
        `model m {\n vocab a b\n p ${lit} (1)\n reward 0 1\n}\ntilt(m, lambda = 1)\n`,
        'p',
      ],
    ] as const) {
      const all = diagnose(text);
      const found = all.filter((x) => x.d.code === 'underflow-to-zero');
      assert.equal(
        found.length,
        1,
        `${where}, ${lit.slice(0, 12)}: ${JSON.stringify(all.map((x) => x.d.code))}`,
      );
      assert.equal(found[0].d.severity, 'warning');
      assert.equal(found[0].covered, lit, `${where}: the range is exactly the literal`);
      assert.match(found[0].d.message, /it is 0 in double precision/);
      assert.deepEqual(
        all.filter((x) => x.d.severity === 'error').map((x) => x.d.code),
        [],
        `${where}: 0 is used, no error`,
      );
      // The value really is 0: λ = 0 leaves φ = p; p = 0 drops token a.
      const result = analyze(text).results[0];
      const tilt = result.value as TiltValue;
      if (value === 'λ') assert.equal(tilt.lambda, 0, where);
      else assert.equal(tokenValue(tilt.phi, 'a'), 0, where);
    }
  }
  // Literals that are doubles are not reported: zeros, subnormals, the largest double.
  for (const lit of [
    '0',
    '0.000',
    '0e5',
    '0e-400',
    '1e-320',
    '4.9e-324',
    '1.7976931348623157e308',
    '1e-300',
  ]) {
    const found = diagnose(`let x = ${lit}\nmodel m {\n vocab a b\n p ${lit} 1\n reward 0 1\n}\n`).filter(
      (x) => x.d.code === 'not-finite' || x.d.code === 'underflow-to-zero',
    );
    assert.deepEqual(
      found.map((x) => x.d.code),
      [],
      lit,
    );
  }
});
