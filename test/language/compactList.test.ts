// The parser's fast path for plain model lists (compactList.ts) must build exactly the tree,
// diagnostics and models of the general path; only the allocation differs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { analyze, check, parse } from '../../src/language/index.js';
import { compactLists, numberValue } from '../../src/language/syntax/compactList.js';

function bothPaths<T>(f: () => T): [T, T] {
  const fast = f();
  compactLists.enabled = false;
  try {
    return [fast, f()];
  } finally {
    compactLists.enabled = true;
  }
}

/** Parse + check, as plain JSON (a compact field's `items` are built by its toJSON). */
function pipeline(src: string): unknown {
  const parsed = parse(src);
  const checked = check(parsed.ast, parsed.lines);
  const models = [...checked.models.values()].map((m) => ({ ...m, decl: undefined, law: undefined }));
  return JSON.parse(
    JSON.stringify({ ast: parsed.ast, d: parsed.diagnostics, c: checked.diagnostics, models }),
  );
}

const CASES = [
  'model m {\n  vocab a b c\n  p 0.5 0.25 0.25\n  reward 0 -1 2\n  length 4\n}\ntilt(m, delta = 1)\n',
  'model m { vocab a, b, c; p 1, 2, 5,; reward -1 +2 .5 }\n',
  'model m {\n vocab a b a\n p 0 0 0\n reward 1e3 2E-2 3.25e+1\n}\n',
  'model m {\n vocab 1 2 x_1 model\n p 0.1 -0.2 0.3 0.8 # comment\n reward 0 - 1 2 3 4\n}\n',
  'model m {\n vocab a b\n p 0.5 0.5 // c\n reward 1-2 3\n}\n',
  'model m {\n vocab a "b c" d\n p 1/3 1/3 1/3\n reward 0 1e400 2\n}\n',
  'model m {\n vocab a b\n p 0.5,, 0.5\n reward 1 2)\n length 2.5\n}\n',
  'model m {\n vocab a b\n p 0.5 0.5 $\n reward 1 2 "x\n}\n',
  'model m {\n vocab é b\n p 0.5 0.5\n reward 1. 2\n}\npolicy q of m { p 0.3 0.7 }\n',
  'model m {\n vocab a b\n p 0.5 0.5\n reward 1 2}\ncompare(m, policy = q)\n',
  'model m {\n vocab\n p\n reward -0 0\n}\n',
];

test('compact lists: the same tree, diagnostics and models as the general path', () => {
  for (const src of CASES) {
    const [fast, general] = bothPaths(() => pipeline(src));
    assert.deepEqual(fast, general, src);
    const [a, b] = bothPaths(() => analyze(src));
    assert.deepEqual(a, b, src);
  }
});

test('compact lists: random lists of numbers, signs, commas and names', () => {
  const item = fc.oneof(
    fc.constantFrom(
      '0',
      '1',
      '-1',
      '+2',
      '.5',
      '1e3',
      '2.5E-7',
      '1e400',
      '-0',
      '0.1',
      'a',
      'x1',
      '1/2',
      '- 1',
      '1-2',
    ),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
    fc.integer().map(String),
  );
  const sep = fc.constantFrom(' ', '  ', ', ', ',', '\t', ' ,');
  const line = fc
    .array(fc.tuple(sep, item), { maxLength: 8 })
    .map((xs) => xs.map(([s, x]) => s + x).join(''));
  fc.assert(
    fc.property(line, line, line, (v, p, r) => {
      const src = `model m {\n vocab${v}\n p${p}\n reward${r}\n}\ntilt(m, delta = 1)\n`;
      const [fast, general] = bothPaths(() => pipeline(src));
      assert.deepEqual(fast, general, src);
    }),
    { numRuns: 300 },
  );
});

test('numberValue equals Number() on the literal', () => {
  const literals = [
    '0',
    '007',
    '0.1',
    '.5',
    '1e22',
    '1e23',
    '123456789012345678',
    '2.5E-7',
    '1e-400',
    '4.9e-324',
  ];
  for (const s of literals) assert.equal(numberValue(s, 0, s.length), Number(s), s);
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: 0 }), (x) => {
      for (const s of [String(x), x.toPrecision(12), x.toFixed(6), x.toExponential(5)]) {
        if (!/^[0-9]*\.?[0-9]+(e[+-]?[0-9]+)?$/i.test(s)) continue;
        assert.equal(numberValue(s, 0, s.length), Number(s), s);
      }
    }),
    { numRuns: 2000 },
  );
});

test('a compact field builds its items on demand, like the general path', () => {
  const src = 'model m {\n vocab a b\n p 0.5 -0.5\n}\n';
  const [fast, general] = bothPaths(() => parse(src).ast.statements[0]);
  const f = fast.kind === 'model' ? fast.fields : [];
  const g = general.kind === 'model' ? general.fields : [];
  assert.deepEqual(
    JSON.parse(JSON.stringify(f.map((x) => x.items))),
    JSON.parse(JSON.stringify(g.map((x) => x.items))),
  );
  assert.equal(f[1].items[1].kind, 'unary');
});
