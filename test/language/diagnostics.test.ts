// One test per diagnostic code: the code, its exact range, and the quick-fix data where promised.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { analyze, DIAGNOSTIC_CODES } from '../../src/language/index.js';
import { expectDiagnostic, TOY } from './helpers.js';

const covered = new Set<string>();
function check(code: keyof typeof DIAGNOSTIC_CODES, source: string, options = {}) {
  covered.add(code);
  const result = expectDiagnostic(source, code, options);
  assert.equal(result.diagnostic.severity, DIAGNOSTIC_CODES[code].severity, `severity of ${code}`);
  return result;
}

const POLICY = 'policy uniform of toy { p 0.25 0.25 0.25 0.25 }\n';

test('syntax errors', () => {
  check('syntax-error', 'let x = ⟦)⟧\n');
  check('syntax-error', `${TOY}tilt(toy, delta = 1⟦⟧\nrenyi(toy)\n`);
  check('invalid-character', 'let x = 1 ⟦$⟧\n');
  check('unterminated-string', 'model m from ⟦"abc⟧\n');
  check('too-deeply-nested', `${TOY}tilt(toy, delta = ${'('.repeat(500)}⟦(⟧1${')'.repeat(501)})\n`);
});

test('unknown names carry a suggestion for the quick fix', () => {
  const cases: [keyof typeof DIAGNOSTIC_CODES, string, string][] = [
    ['unknown-model', `${TOY}tilt(⟦tyo⟧, delta = 1)\n`, 'toy'],
    ['unknown-model', `${TOY}policy q of ⟦tox⟧ { p 1 0 0 0 }\n`, 'toy'],
    ['unknown-policy', `${TOY}${POLICY}compare(toy, policy = ⟦unifrom⟧)\n`, 'uniform'],
    ['unknown-name', 'let budget = 2\nlet x = ⟦budgte⟧ + 1\n', 'budget'],
    ['unknown-function', 'let x = ⟦exq⟧(1)\n', 'exp'],
    ['unknown-query', `${TOY}⟦tlit⟧(toy, delta = 1)\n`, 'tilt'],
    ['unknown-field', 'model m {\n vocab a\n p 1\n reward 0\n ⟦lenght⟧ 2\n}\n', 'length'],
    ['unknown-parameter', `${TOY}tilt(toy, ⟦detla⟧ = 1)\n`, 'delta'],
  ];
  for (const [code, source, suggestion] of cases) {
    const { diagnostic } = check(code, source);
    assert.deepEqual(diagnostic.data, { suggestion }, `${code} data in ${source}`);
    assert.match(diagnostic.message, new RegExp(`did you mean '${suggestion}'`));
  }
});

test('definitions', () => {
  const { diagnostic } = check('duplicate-definition', 'let a = 1\nlet ⟦a⟧ = 2\n');
  assert.deepEqual(diagnostic.data, {
    first: { start: { line: 0, character: 4 }, end: { line: 0, character: 5 } },
  });
  check('reserved-name', 'let ⟦pi⟧ = 3\n');
  check('cyclic-definition', 'let a = ⟦a⟧ + 1\n');
  check('cyclic-definition', 'let a = b\nlet b = ⟦a⟧ * 2\n');
});

test('model problems', () => {
  check('duplicate-token', 'model m {\n vocab a b ⟦a⟧\n p 0.5 0.25 0.25\n reward 0 1 2\n}\n');
  check('duplicate-field', 'model m {\n vocab a\n p 1\n ⟦p⟧ 1\n reward 0\n}\n');
  const missing = check('missing-field', 'model ⟦m⟧ {\n vocab a b\n p 0.5 0.5\n}\n');
  assert.deepEqual(missing.diagnostic.data, { field: 'reward' });
  check('missing-field', `${TOY}policy ⟦q⟧ of toy { }\n`);
  const mismatch = check('length-mismatch', 'model m {\n vocab a b c\n p ⟦0.5 0.5⟧\n reward 0 1 2\n}\n');
  assert.deepEqual(mismatch.diagnostic.data, { expected: 3, actual: 2 });
  check('length-mismatch', `${TOY}policy q of toy { p ⟦0.5 0.5⟧ }\n`);
  const norm = check('p-not-normalized', 'model m {\n vocab a b\n p ⟦1 3⟧\n reward 0 1\n}\n');
  assert.deepEqual(norm.diagnostic.data, { sum: 4, normalized: [0.25, 0.75], replacement: '0.25 0.75' });
  check('negative-probability', 'model m {\n vocab a b c\n p 0.5 ⟦-0.5⟧ 1\n reward 0 1 2\n}\n');
  check('zero-mass', 'model m {\n vocab a b\n p ⟦0 0⟧\n reward 0 1\n}\n');
  check('invalid-length', 'model m {\n vocab a b\n p 0.5 0.5\n reward 0 1\n length ⟦2.5⟧\n}\n');
  check('invalid-length', 'model m {\n vocab a b\n p 0.5 0.5\n reward 0 1\n length ⟦0⟧\n}\n');
});

const CHAIN = (rows: string, start = 'start 0.5 0.5') =>
  `markov c {\n vocab a b\n ${start}\n${rows}\n reward 0 1\n length 4\n}\n`;

test('markov model problems', () => {
  const norm = check('row-not-normalized', CHAIN(' next a -> ⟦1 3⟧\n next b -> 0.5 0.5'));
  assert.deepEqual(norm.diagnostic.data, { sum: 4, normalized: [0.25, 0.75], replacement: '0.25 0.75' });
  const start = check('p-not-normalized', CHAIN(' next a -> 0.5 0.5\n next b -> 0.5 0.5', 'start ⟦1 1⟧'));
  assert.deepEqual(start.diagnostic.data, { sum: 2, normalized: [0.5, 0.5], replacement: '0.5 0.5' });
  const missingRow = check(
    'missing-row',
    'markov c {\n vocab a ⟦b⟧\n start 0.5 0.5\n next a -> 0.5 0.5\n reward 0 1\n}\n',
  );
  assert.deepEqual(missingRow.diagnostic.data, { token: 'b', count: 2 });
  const dup = check('duplicate-row', CHAIN(' next a -> 0.5 0.5\n next ⟦a⟧ -> 1 0\n next b -> 0.5 0.5'));
  assert.deepEqual(dup.diagnostic.data, {
    first: { start: { line: 3, character: 1 }, end: { line: 3, character: 18 } },
  });
  const unknown = check('unknown-token', CHAIN(' next a -> 0.5 0.5\n next ⟦bb⟧ -> 0.5 0.5'));
  assert.deepEqual(unknown.diagnostic.data, { suggestion: 'b' });
  const rowLength = check('length-mismatch', CHAIN(' next a -> ⟦0.5 0.25 0.25⟧\n next b -> 0.5 0.5'));
  assert.deepEqual(rowLength.diagnostic.data, { expected: 2, actual: 3 });
  const noStart = check(
    'missing-field',
    'markov ⟦c⟧ {\n vocab a b\n next a -> 1 0\n next b -> 0 1\n reward 0 1\n}\n',
  );
  assert.deepEqual(noStart.diagnostic.data, { field: 'start' });
  // Two absorbing states: no unique stationary distribution (an error naming both classes).
  const two = check(
    'not-irreducible',
    'markov c {\n vocab a b x\n start ⟦stationary⟧\n next a -> 1 0 0\n next b -> 0 1 0\n next x -> 0.5 0.25 0.25\n reward 0 1 0\n}\n',
  );
  assert.deepEqual(two.diagnostic.data, { closed: [['a'], ['b']], transient: ['x'] });
  assert.match(two.diagnostic.message, /2 closed classes \(\{'a'\}, \{'b'\}\).*transient states \{'x'\}/);
  // One closed class and a transient state: a warning, the start lives on the class.
  const one = expectDiagnostic(
    'markov c {\n vocab a b x\n start ⟦stationary⟧\n next a -> 0.5 0.5 0\n next b -> 0.5 0.5 0\n next x -> 0.5 0.25 0.25\n reward 0 1 0\n}\n',
    'not-irreducible',
  );
  assert.equal(one.diagnostic.severity, 'warning');
  assert.deepEqual(one.diagnostic.data, { closed: [['a', 'b']], transient: ['x'] });
  // An absorbing state beside another recurrent class: no asymptotics for equivalence or rate.
  const absorbing =
    'markov c {\n vocab a b z\n start 0.5 0.25 0.25\n next a -> 0.5 0.5 0\n next b -> 0.4 0.5 0.1\n next z -> 0 0 1\n reward 0 1 2\n length 4\n}\n';
  const needs = check('needs-irreducible', `${absorbing}⟦equivalence⟧(c, rate = 0.1)\n`);
  assert.deepEqual(needs.diagnostic.data, { classes: [['z'], ['a', 'b']] });
  check('needs-irreducible', `${absorbing}⟦rate⟧(c, lambda = 1)\n`);
  check('memoryless-only', `${CHAIN(' next a -> 0.5 0.5\n next b -> 0.5 0.5')}⟦renyi⟧(c, alpha = 2)\n`);
  // Finite-n queries still run on the absorbing chain.
  const a = analyze(`${absorbing}tilt(c, delta = 1)\nbon(c, N = 4)\n`);
  assert.equal(a.results.filter((r) => r.value !== undefined).length, 2, JSON.stringify(a.results));
});

test('values and parameters', () => {
  check('not-finite', 'let x = ⟦1/0⟧\n');
  check('not-finite', 'let x = ⟦log(-1)⟧\n');
  check('not-finite', `${TOY}tilt(toy, delta = ⟦exp(1000)⟧)\n`);
  check('not-finite', `${TOY}tilt(toy, delta = ⟦1e400⟧)\n`);
  check('not-finite', `${TOY}tilt(toy, delta = ⟦1${'0'.repeat(400)}⟧)\n`);
  check('underflow-to-zero', 'let x = ⟦1e-400⟧\n');
  check('underflow-to-zero', `model m {\n vocab a b\n p ⟦0.${'0'.repeat(399)}1⟧ 1\n reward 0 1\n}\n`);
  check('type-mismatch', `${TOY}tilt(toy, delta = ⟦0..1⟧)\n`);
  check('type-mismatch', 'let x = ⟦"a"⟧ + 1\n');
  check('missing-model', `${TOY}tilt(⟦delta = 1⟧)\n`);
  check('unexpected-argument', `${TOY}tilt(toy, ⟦toy⟧, delta = 1)\n`);
  const missing = check('missing-parameter', `${TOY}⟦tilt⟧(toy)\n`);
  assert.deepEqual(missing.diagnostic.data, { names: ['delta', 'lambda', 'beta'] });
  check('missing-parameter', `${TOY}⟦simulate⟧(toy, method = bon)\n`);
  check('conflicting-parameters', `${TOY}tilt(toy, delta = 1, ⟦lambda = 2⟧)\n`);
  check('duplicate-parameter', `${TOY}tilt(toy, delta = 1, ⟦delta⟧ = 2)\n`);
  check('unused-parameter', `${TOY}simulate(toy, ⟦N⟧ = 4)\n`);
  const invalid = check('invalid-value', `${TOY}simulate(toy, method = ⟦bn⟧)\n`);
  assert.deepEqual(invalid.diagnostic.data, { allowed: ['base', 'tilt', 'bon'], suggestion: 'bon' });
  check('invalid-value', `${TOY}frontier(toy, delta = ⟦2..1⟧)\n`);
  check('invalid-value', `${TOY}cumulants(toy, order = ⟦2.5⟧)\n`);
  const range = check('out-of-range', `${TOY}frontier(toy, steps = ⟦1⟧)\n`);
  assert.deepEqual(range.diagnostic.data, { min: 2, max: 10000 });
  check('out-of-range', `${TOY}equivalence(toy, rate = 0.1, n = ⟦0⟧..4)\n`);
  check('negative-budget', `${TOY}tilt(toy, delta = ⟦-1⟧)\n`);
  const over = check('budget-exceeds-max-kl', `${TOY}tilt(toy, delta = ⟦100⟧)\n`);
  const maxKL = (over.diagnostic.data as { maxKL: number }).maxKL;
  assert.ok(Math.abs(maxKL - 4 * Math.log(10)) <= 1e-12 * maxKL, `maxKL ${maxKL} vs 4 log 10`);
  assert.match(over.diagnostic.message, /maximum KL 9\.21/);
  check('budget-exceeds-max-kl', `${TOY}equivalence(toy, rate = ⟦3⟧)\n`);
  check('n-below-one', `${TOY}bon(toy, N = ⟦0.5⟧)\n`);
  check('n-below-one', `${TOY}bon(toy, logN = ⟦-1⟧)\n`);
  check('n-below-one', `${TOY}softbon(toy, N = ⟦0.5⟧, lambda = 1)\n`);
  check('out-of-range', `${TOY}softbon(toy, N = 4, lambda = ⟦-1⟧)\n`);
  check('out-of-range', `${TOY}reject(toy, accept = ⟦0⟧)\n`);
  check('out-of-range', `${TOY}reject(toy, accept = ⟦1.5⟧)\n`);
  // toy has n = 4: blocks of 3 do not divide it; the nearest divisor (2 and 4 tie at 1) is 2.
  const block = check('block-not-divisor', `${TOY}blockbon(toy, N = 4, block = ⟦3⟧)\n`);
  assert.deepEqual(block.diagnostic.data, { length: 4, nearest: 2 });
  assert.match(block.diagnostic.message, /nearest divisor is 2/);
  assert.deepEqual(check('block-not-divisor', `${TOY}methods(toy, block = ⟦5⟧)\n`).diagnostic.data, {
    length: 4,
    nearest: 4,
  });
  const above = check('threshold-above-max', `${TOY}reject(toy, threshold = ⟦12.5⟧)\n`);
  assert.deepEqual(above.diagnostic.data, { maxReward: 12 });
  // n·r_max itself is allowed (it accepts the top sequences only).
  const ok = analyze(`${TOY}reject(toy, threshold = 12)\nblockbon(toy, N = 4, block = 2)\n`);
  assert.deepEqual(
    ok.diagnostics.filter((d) => d.severity === 'error'),
    [],
    JSON.stringify(ok.diagnostics),
  );
});

test('a chain checks its method parameters against its own R* and n', () => {
  // `a` (reward 1) never follows itself: the best sequence of 4 is a b a b, R* = 2 (not n·r_max = 4).
  const chain = `markov c {
  vocab a b
  start 0.5 0.5
  next a -> 0 1
  next b -> 0.5 0.5
  reward 1 0
  length 4
}
`;
  const above = check('threshold-above-max', `${chain}reject(c, threshold = ⟦2.5⟧)\n`);
  assert.deepEqual(above.diagnostic.data, { maxReward: 2, markov: true });
  assert.match(above.diagnostic.message, /R\* .* = 2 of 'c'/);
  const block = check('block-not-divisor', `${chain}blockbon(c, N = 4, block = ⟦3⟧)\n`);
  assert.deepEqual(block.diagnostic.data, { length: 4, nearest: 2 }, 'a tie between 2 and 4 goes to 2');
  // R* itself is allowed: it accepts the best sequences only.
  const ok = analyze(`${chain}reject(c, threshold = 2)\nblockbon(c, N = 4, block = 2)\n`);
  assert.deepEqual(
    ok.diagnostics.filter((d) => d.severity === 'error'),
    [],
    JSON.stringify(ok.diagnostics),
  );
  assert.ok(
    ok.results.every((r) => r.error === undefined),
    JSON.stringify(ok.results.map((r) => r.error)),
  );
});

test('model files', () => {
  const csv = 'token,p,reward\na,0.5,0\nb,0.5,1\n';
  check('file-access-unavailable', 'model m from ⟦"x.csv"⟧\n');
  check('invalid-path', 'model m from ⟦"../x.csv"⟧\n', { readFile: () => csv });
  check('invalid-path', 'model m from ⟦"/etc/passwd"⟧\n', { readFile: () => csv });
  check('file-not-found', 'model m from ⟦"x.csv"⟧\n', { readFile: () => undefined });
  const throwing = () => {
    throw new Error('EACCES');
  };
  check('file-not-found', 'model m from ⟦"x.csv"⟧\n', { readFile: throwing });
  // A host that says why: its code and message become the diagnostic.
  const refused = check('file-refused', 'model m from ⟦"x.csv"⟧\n', {
    readFile: () => ({ code: 'file-refused', message: 'it is a named pipe (FIFO), not a regular file' }),
  });
  assert.equal(
    refused.diagnostic.message,
    "cannot read 'x.csv': it is a named pipe (FIFO), not a regular file",
  );
  const encoding = check('invalid-encoding', 'model m from ⟦"x.csv"⟧\n', {
    readFile: () => ({
      code: 'invalid-encoding',
      message: 'it is not valid UTF-8: byte 0xFF at offset 3 (line 1)',
    }),
  });
  assert.match(encoding.diagnostic.message, /offset 3 \(line 1\)/);
  // Anything else from a host is an unreadable file, never an unknown diagnostic code.
  check('file-not-found', 'model m from ⟦"x.csv"⟧\n', {
    readFile: () => ({ code: 'syntax-error', message: 'x' }) as never,
  });
  const bad = check('invalid-model-file', 'model m from ⟦"x.csv"⟧\n', {
    readFile: () => 'token,p,reward\na,zero,1\n',
  });
  assert.match(bad.diagnostic.message, /line 2/);
});

test('evaluation problems are diagnostics and result errors', () => {
  // 10 tokens with incommensurable rewards, n = 40: the exact law is too large at this limit.
  const source = `model m {\n vocab a b c\n p 0.5 0.3 0.2\n reward 0 1 sqrt(2)\n length 40\n}\n⟦bon⟧(m, N = 8)\n`;
  check('approximation', source, { limits: { maxExactSupport: 50 } });
  const sim = check('evaluation-failed', `${TOY}⟦simulate(toy, samples = 1000)⟧\n`, {
    limits: { maxSimulationWork: 10 },
  });
  const result = sim.analysis.results[0];
  assert.ok(
    result.error && result.value === undefined,
    `simulate over the work limit: ${JSON.stringify(result)}`,
  );
});

test('an argument over a broken let', () => {
  const { diagnostic, analysis } = check(
    'invalid-argument',
    `${TOY}let bad = log(-1)\ntilt(toy, delta = ⟦bad⟧)\n`,
  );
  assert.deepEqual(diagnostic.data, { let: 'bad' });
  assert.equal(analysis.results[0].value, undefined);
});

test('document budgets: size, problems, evaluation', () => {
  const big = check('document-too-large', `⟦⟧${TOY}tilt(toy, delta = 1)\n`, { maxTextLength: 40 });
  assert.deepEqual(big.diagnostic.data, { length: TOY.length + 21, limit: 40 });
  assert.equal(big.analysis.diagnostics.length, 1);
  assert.deepEqual(big.analysis.results, []);

  // 1,200 stray characters: the first 1000 are listed, the summary points at the 1001st.
  const junk = `${'$ '.repeat(1000)}⟦⟧${'$ '.repeat(200)}\n`;
  const many = check('too-many-problems', junk);
  assert.deepEqual(many.diagnostic.data, { more: 200 });
  assert.equal(many.analysis.diagnostics.length, 1001);

  const queries = `${TOY}${'frontier(toy, steps = 100)\n'.repeat(3)}⟦frontier(toy, steps = 100)⟧\ntilt(toy, delta = 1)\n`;
  const spent = check('evaluation-budget', queries, { limits: { maxResultNumbers: 1000 } });
  assert.deepEqual(spent.diagnostic.data, { limit: { maxResultNumbers: 1000 } });
  assert.deepEqual(
    spent.analysis.results.map((r) => r.value !== undefined),
    [true, true, true, false, false],
  );
  const counted = analyze(`${TOY}${'tilt(toy, delta = 1)\n'.repeat(5)}`, { limits: { maxQueries: 3 } });
  assert.deepEqual(
    counted.results.map((r) => r.error ?? 'value'),
    [
      'value',
      'value',
      'value',
      ...Array(2).fill('not evaluated: the document has more than 3 queries; only the first 3 are evaluated'),
    ],
  );
  assert.equal(counted.diagnostics.filter((d) => d.code === 'evaluation-budget').length, 1);
});

test('internal errors are caught and reported, never thrown', () => {
  covered.add('internal-error');
  const hostile = {
    get limits(): never {
      throw new Error('boom');
    },
  };
  const analysis = analyze(`${TOY}tilt(toy, delta = 1)\n`, hostile);
  assert.equal(analysis.diagnostics[0]?.code, 'internal-error');
  assert.match(analysis.diagnostics[0].message, /boom/);
});

after(() => {
  const missing = Object.keys(DIAGNOSTIC_CODES).filter((c) => !covered.has(c));
  assert.deepEqual(missing, [], `diagnostic codes without a test: ${missing.join(', ')}`);
});
