// Log-form numbers: N = exp(1000) and friends survive; everything else is exact double arithmetic.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evalExpr } from '../../src/language/checking/exprEval.js';
import * as V from '../../src/language/checking/value.js';
import { DiagnosticSink } from '../../src/language/diagnostics.js';
import { type Ast, LineIndex, parse } from '../../src/language/index.js';

function evaluate(text: string): { value: V.Value | undefined; codes: string[] } {
  const src = `let x = ${text}\n`;
  const { ast } = parse(src);
  const sink = new DiagnosticSink(new LineIndex(src));
  const value = evalExpr(
    (ast.statements[0] as Ast.LetDecl).value!,
    { resolve: () => 'unknown', names: () => [] },
    sink,
  );
  return { value, codes: sink.items.map((d) => d.code) };
}

function logOf(text: string): number {
  const { value, codes } = evaluate(text);
  assert.ok(value, `${text}: ${codes.join(', ')}`);
  return value.log;
}

test('doubles: ordinary arithmetic is exact IEEE arithmetic', () => {
  const cases: [string, number][] = [
    ['1/3', 1 / 3],
    ['0.1 + 0.2', 0.1 + 0.2],
    ['2^10', 1024],
    ['-2^2', -4],
    ['(-2)^3', -8],
    ['exp(1)', Math.exp(1)],
    ['e^2', Math.exp(2)],
    ['log(10)', Math.log(10)],
    ['sqrt(2)', Math.SQRT2],
    ['pi', Math.PI],
    ['1e-3', 0.001],
    ['2 * 3 - 4 / 8', 5.5],
  ];
  for (const [text, expected] of cases) {
    const { value, codes } = evaluate(text);
    assert.equal(value?.num, expected, `${text}: got ${value?.num}, expected ${expected} (${codes})`);
  }
});

test('log form: values beyond the double range keep their logarithm', () => {
  assert.equal(logOf('exp(1000)'), 1000);
  assert.equal(logOf('e^1000'), 1000);
  assert.equal(logOf('exp(1000) * exp(1000)'), 2000);
  assert.equal(logOf('exp(1000) / exp(998)'), 2);
  assert.equal(logOf('exp(32 * 0.5)'), 16);
  assert.ok(Math.abs(logOf('10^400') - 400 * Math.LN10) <= 1e-12 * 400 * Math.LN10);
  assert.ok(Math.abs(logOf('2^5000') - 5000 * Math.LN2) <= 1e-12 * 5000);
  assert.ok(Math.abs(logOf('exp(1000) + exp(1000)') - (1000 + Math.LN2)) <= 1e-12 * 1000);
  assert.ok(Math.abs(logOf('sqrt(exp(1000))') - 500) <= 1e-12 * 500);
  const minus = evaluate('exp(1000) - exp(1000)').value;
  assert.equal(minus?.sign, 0);
  const { value } = evaluate('log(exp(1000))');
  assert.equal(value?.num, 1000, 'log of a log-form value is exact');
  const tiny = evaluate('exp(-1000)').value;
  assert.equal(tiny?.num, 0);
  assert.equal(tiny?.log, -1000, 'underflow keeps the log');
  assert.equal(V.describe(V.fromLog(1, 1000)), '≈ 1.9701e434');
});

test('errors: each bad operation is reported once, never NaN', () => {
  for (const text of ['1/0', 'log(0)', 'log(-1)', 'sqrt(-1)', '(-8)^(1/3)', '0^-1', 'exp(exp(1000))']) {
    const { value, codes } = evaluate(text);
    assert.equal(value, undefined, text);
    assert.deepEqual(codes, ['not-finite'], `${text}: ${codes}`);
  }
  assert.deepEqual(evaluate('foo(1)').codes, ['unknown-function']);
  assert.deepEqual(evaluate('exp(1, 2)').codes, ['type-mismatch']);
  assert.deepEqual(evaluate('nope + 1/0').codes, ['unknown-name', 'not-finite']);
});
