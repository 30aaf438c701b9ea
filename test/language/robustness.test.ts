// Hostile or careless input the language must survive with a located, truthful answer (issue 14):
// broken `let`s never become silent defaults, names that are special in JavaScript are ordinary
// names, and deep nesting is a diagnostic, not a stack overflow.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../src/language/index.js';
import type { Analysis, TiltValue } from '../../src/presentation/results.js';
import { tokenRecordOf, tokenValue } from '../../src/presentation/tokens.js';
import { expectDiagnostic, TOY } from './helpers.js';

const results = (a: Analysis) =>
  a.results.map((r) => (r.error !== undefined ? `error: ${r.error}` : 'value'));

describe('a query whose argument has an error is not evaluated', () => {
  for (const [what, lets, arg] of [
    ['log of a negative number', 'let bad = log(-1)\n', 'bad'],
    ['a cyclic let', 'let bad = bad + 1\n', 'bad'],
    ['a let using an unknown name', 'let bad = nope * 2\n', 'bad'],
    ['an expression over a broken let', 'let bad = log(-1)\n', '2 * bad + 1'],
  ] as const) {
    it(`${what}: error at the argument, no value`, () => {
      const source = `${TOY}${lets}tilt(toy, delta = ⟦${arg}⟧)\n`;
      const { diagnostic, analysis } = expectDiagnostic(source, 'invalid-argument');
      assert.equal(diagnostic.severity, 'error');
      assert.match(diagnostic.message, /'delta' has no value: 'bad' \(line \d+\) has an error/);
      assert.deepEqual(results(analysis), [`error: ${diagnostic.message}`]);
    });
  }

  it('every parameter kind: count, range, integer', () => {
    for (const q of [
      'bon(toy, N = ⟦bad⟧)',
      'frontier(toy, delta = ⟦0..bad⟧)',
      'frontier(toy, steps = ⟦bad⟧)',
    ]) {
      const { analysis } = expectDiagnostic(`${TOY}let bad = log(-1)\n${q}\n`, 'invalid-argument');
      assert.equal(analysis.results[0].value, undefined, q);
    }
  });

  it('a let too large for a double is reported at the use that needs a double', () => {
    const { diagnostic, analysis } = expectDiagnostic(
      `${TOY}let big = exp(1000)\ntilt(toy, delta = ⟦big⟧)\n`,
      'not-finite',
    );
    assert.match(diagnostic.message, /'delta' .* overflows a double/);
    assert.equal(analysis.results[0].value, undefined);
    // …while N of best-of-N takes it (kept in log form).
    assert.equal(analyze(`${TOY}let big = exp(1000)\nbon(toy, N = big)\n`).results[0].error, undefined);
  });

  it('an error inside the argument itself is reported once, where it is', () => {
    const { analysis } = expectDiagnostic(`${TOY}tilt(toy, delta = ⟦log(-1)⟧)\n`, 'not-finite');
    assert.equal(analysis.diagnostics.filter((d) => d.code === 'invalid-argument').length, 0);
    assert.equal(analysis.results[0].value, undefined);
  });

  it('a model entry over a broken let is reported at the entry', () => {
    const source = TOY.replace('p 0.4', 'p ⟦bad⟧').replace('model toy', 'let bad = log(-1)\nmodel toy');
    const { diagnostic, analysis } = expectDiagnostic(`${source}tilt(toy, delta = 1)\n`, 'invalid-argument');
    assert.match(diagnostic.message, /this p entry has no value: 'bad'/);
    assert.equal(analysis.results[0].value, undefined);
  });

  it('a syntax error inside the arguments blocks the query; a closing parenthesis still being typed does not', () => {
    const a = analyze(`${TOY}tilt(toy, delta = )\nbon(toy, N = 4 4)\ntilt(toy, delta = 1\n`);
    assert.deepEqual(results(a), [
      "error: 'delta' has no value (see the error in its argument)",
      "error: the query has a syntax error: expected ',' or ')' but found '4'",
      'value',
    ]);
  });

  it('a good let next to a broken one still works', () => {
    const a = analyze(`${TOY}let bad = log(-1)\nlet good = 1\ntilt(toy, delta = good)\n`);
    assert.equal(a.results[0].error, undefined);
    assert.equal((a.results[0].value as TiltValue).kl, 1);
  });
});

describe('names that are special in JavaScript are ordinary names', () => {
  const special = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
  const source = `model __proto__ {
  vocab ${special.join(' ')}
  p 0.3 0.25 0.2 0.15 0.1
  reward 0 1 2 3 4
  length 8
}
model constructor {
  vocab a b
  p 0.5 0.5
  reward 0 1
}
let toString = 2
let valueOf = 0.5
policy hasOwnProperty of __proto__ { p 0.2 0.2 0.2 0.2 0.2 }
tilt(__proto__, delta = toString)
tilt(constructor, lambda = valueOf)
compare(__proto__, policy = hasOwnProperty, delta = 1)
`;

  it('as tokens, models, lets and policies: every token keeps its φ, p and r, φ sums to 1', () => {
    const a = analyze(source);
    assert.deepEqual(
      a.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    assert.deepEqual(results(a), ['value', 'value', 'value']);
    const tilt = a.results[0].value as TiltValue;
    assert.equal(tilt.kl, 2);
    for (const table of [tilt.phi, tilt.p!, tilt.r!]) {
      assert.deepEqual(
        Object.keys(tokenRecordOf(table)),
        special,
        'every token is an own key, in vocabulary order',
      );
      for (const t of special) assert.equal(typeof tokenValue(table, t), 'number', t);
    }
    const sum = Object.values(tokenRecordOf(tilt.phi)).reduce((s, x) => s + x, 0);
    assert.ok(Math.abs(sum - 1) < 1e-14, `φ sums to ${sum}`);
    // The same after a round trip through JSON (what the CLI prints and the server sends).
    const parsed = JSON.parse(JSON.stringify(tilt)) as TiltValue;
    assert.deepEqual(Object.keys(parsed.phi), special);
    assert.equal(tokenValue(parsed.phi, '__proto__'), tokenValue(tilt.phi, '__proto__'));
    assert.equal(typeof tokenValue(parsed.phi, '__proto__'), 'number');
    assert.equal(tokenValue(parsed.phi, 'missing'), undefined);
    assert.equal(tokenValue({}, 'constructor'), undefined, 'an inherited member is not a token');
    assert.equal(a.results[1].model, 'constructor');
  });

  it('in a JSON model file (both layouts)', () => {
    const files: Record<string, string> = {
      'rows.json': JSON.stringify(special.map((token, i) => ({ token, p: 0.2, reward: i }))),
      'cols.json': JSON.stringify({ vocab: special, p: [0.2, 0.2, 0.2, 0.2, 0.2], reward: [0, 1, 2, 3, 4] }),
    };
    for (const name of Object.keys(files)) {
      const a = analyze(`model m from "${name}"\ntilt(m, delta = 1)\n`, { readFile: (p) => files[p] });
      assert.deepEqual(results(a), ['value'], name);
      assert.deepEqual(Object.keys(tokenRecordOf((a.results[0].value as TiltValue).phi)), special, name);
    }
  });
});

describe('deep nesting is a located diagnostic, never a stack overflow', () => {
  const M = 'model m { vocab a b; p 0.5 0.5; reward 0 1; length 4 }\n';
  const onlyCodes = (a: Analysis) => a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
  const cases: [string, string, string[]?][] = [
    ['1,800 parentheses', `tilt(m, delta = ${'('.repeat(1800)}1${')'.repeat(1800)})`],
    ['100,000 parentheses', `tilt(m, delta = ${'('.repeat(100_000)}1${')'.repeat(100_000)})`],
    // …and the parentheses left open are a syntax error of their own (reported once).
    ['unclosed parentheses', `tilt(m, delta = ${'('.repeat(5000)}1)`, ['too-deeply-nested', 'syntax-error']],
    ['a sum of 3,100 terms', `tilt(m, delta = ${Array(3100).fill('0.0001').join(' + ')})`],
    ['1,000 nested calls', `tilt(m, delta = ${'exp('.repeat(1000)}0${')'.repeat(1000)})`],
    ['5,000 signs', `tilt(m, delta = ${'- '.repeat(5000)}1)`],
    ['a tower of 1,000 powers', `tilt(m, delta = ${Array(1000).fill('1').join('^')})`],
    [
      'a deep model entry',
      `model d { vocab a b; p 0.5 ${'('.repeat(3000)}0.5${')'.repeat(3000)}; reward 0 1 }`,
    ],
  ];
  for (const [what, line, codes = ['too-deeply-nested']] of cases) {
    it(`${what}: one too-deeply-nested error, located on its line`, () => {
      const a = analyze(`${M}${line}\n`);
      assert.deepEqual(onlyCodes(a), codes, what);
      const d = a.diagnostics.find((x) => x.code === 'too-deeply-nested')!;
      assert.equal(d.range.start.line, 1, `${what}: on the line of the expression`);
      for (const r of a.results)
        assert.equal(r.value, undefined, `${what}: nothing evaluated with a default`);
    });
  }

  it('500 levels are still fine (the limit is far above what a person writes)', () => {
    const a = analyze(`${M}tilt(m, delta = ${'('.repeat(499)}0.25${')'.repeat(499)})\n`);
    assert.deepEqual(onlyCodes(a), []);
    assert.equal((a.results[0].value as TiltValue).kl, 0.25);
  });

  for (const order of ['defined before use', 'defined after use'] as const) {
    it(`a chain of 5,000 lets, ${order}, resolves without recursion`, () => {
      const lets = Array.from({ length: 5000 }, (_, i) =>
        order === 'defined before use'
          ? `let x${i} = ${i === 0 ? '0.001' : `x${i - 1} + 0.0001`}`
          : `let x${i} = ${i === 4999 ? '0.001' : `x${i + 1} + 0.0001`}`,
      );
      const root = order === 'defined before use' ? 'x4999' : 'x0';
      const a = analyze(`${M}${lets.join('\n')}\ntilt(m, delta = ${root})\n`);
      assert.deepEqual(onlyCodes(a), []);
      const kl = (a.results[0].value as TiltValue).kl;
      assert.ok(Math.abs(kl - (0.001 + 4999 * 0.0001)) < 1e-12, `Δ = ${kl}`);
    });
  }

  it('a cycle through a long chain is reported once, at the reference that closes it', () => {
    const lets = Array.from({ length: 3000 }, (_, i) => `let x${i} = x${(i + 1) % 3000} + 1`);
    const a = analyze(`${M}${lets.join('\n')}\ntilt(m, delta = x0)\n`);
    assert.deepEqual(onlyCodes(a).filter((c) => c === 'cyclic-definition').length, 1);
    assert.equal(a.results[0].value, undefined);
  });
});

describe('one cause, one report: no follow-on errors', () => {
  const body = '  vocab a b c\n  p 0.2 0.3 0.5\n  reward 0 1 2\n  length 8\n}\n';
  const queries =
    'tilt(chat, delta = 1)\nbon(chat, N = 4)\nfrontier(chat)\npolicy q of chat { p 0.3 0.3 0.4 }\n';
  const errors = (a: Analysis) => a.diagnostics.filter((d) => d.severity === 'error');

  it('a stray character before a model: one error, the model and its queries are fine', () => {
    const a = analyze(`x model chat {\n${body}${queries}`);
    assert.deepEqual(
      errors(a).map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]),
      [['syntax-error', 0, 0, 1]],
    );
    assert.match(errors(a)[0].message, /unexpected 'x' before 'model'/);
    assert.deepEqual(results(a), ['value', 'value', 'value']);
  });

  it('a misspelt keyword: one error with a suggestion; uses of the name say why, without errors of their own', () => {
    const a = analyze(`modle chat {\n${body}${queries}`);
    assert.deepEqual(
      errors(a).map((d) => d.code),
      ['syntax-error'],
    );
    assert.match(errors(a)[0].message, /found 'modle'; did you mean 'model'\?/);
    for (const r of a.results)
      assert.match(
        String(r.error),
        /model 'chat' is not defined: line 1, which was meant to define it, has a syntax error/,
      );
  });

  it('an unknown model that nothing tried to define is still reported at each use', () => {
    const a = analyze(queries);
    assert.equal(errors(a).filter((d) => d.code === 'unknown-model').length, 4);
  });
});
