// Property tests: random and mutated files never crash the pipeline, always yield diagnostics
// with in-range positions, finish in bounded time, and never put NaN/Infinity in a result.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { analyze, LineIndex } from '../../src/language/index.js';
import type { Analysis } from '../../src/presentation/results.js';

const paper = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'paper.align'), 'utf8');
// Small limits keep each run fast; they exercise the approximation and refusal paths too.
const OPTIONS = {
  limits: { maxExactSupport: 3000, maxSimulationWork: 20000 },
  readFile: (path: string) =>
    path.endsWith('.json') ? '{"vocab":["a"],"p":[1],"reward":[0]}' : 'token,p,reward\na,0.5,1\nb,0.5,2\n',
};
const TIME_LIMIT_MS = 3000;

function assertSound(text: string, a: Analysis): void {
  const lines = new LineIndex(text);
  const lengths = lines.lineStarts.map((s, i) => {
    const next = i + 1 < lines.lineStarts.length ? lines.lineStarts[i + 1] : text.length;
    return next - s;
  });
  const inRange = (p: { line: number; character: number }) =>
    Number.isInteger(p.line) &&
    p.line >= 0 &&
    p.line < lines.lineCount &&
    p.character >= 0 &&
    p.character <= lengths[p.line];
  for (const d of a.diagnostics) {
    assert.notEqual(d.code, 'internal-error', `${d.message}\nin ${JSON.stringify(text)}`);
    assert.ok(
      inRange(d.range.start) && inRange(d.range.end),
      `range ${JSON.stringify(d.range)} of ${d.code} outside ${JSON.stringify(text)}`,
    );
    const s = d.range.start;
    const e = d.range.end;
    assert.ok(
      s.line < e.line || (s.line === e.line && s.character <= e.character),
      `inverted range ${JSON.stringify(d.range)}`,
    );
    assert.ok(typeof d.message === 'string' && d.message.length > 0);
  }
  for (const r of a.results) {
    assert.ok(
      (r.value === undefined) !== (r.error === undefined),
      `exactly one of value/error: ${JSON.stringify(r)}`,
    );
    assert.ok(inRange(r.range.start) && inRange(r.range.end));
    // Walk the value: every number finite (JSON.stringify would hide NaN as null).
    const stack: unknown[] = [r.value];
    while (stack.length) {
      const v = stack.pop();
      if (typeof v === 'number') assert.ok(Number.isFinite(v), `non-finite ${v} in ${r.query}: ${text}`);
      else if (v && typeof v === 'object') stack.push(...Object.values(v));
    }
  }
}

function run(text: string): void {
  const t0 = performance.now();
  const a = analyze(text, OPTIONS);
  const ms = performance.now() - t0;
  assert.ok(
    ms < TIME_LIMIT_MS,
    `analysis took ${ms.toFixed(0)} ms for ${JSON.stringify(text.slice(0, 200))}`,
  );
  assertSound(text, a);
}

const FRAGMENTS = [
  'model',
  'policy',
  'let',
  'of',
  'from',
  'toy',
  'q',
  'x',
  '{',
  '}',
  '(',
  ')',
  ',',
  ';',
  '=',
  '..',
  '+',
  '-',
  '*',
  '/',
  '^',
  '\n',
  '\r\n',
  ' ',
  '  ',
  '#c',
  '//c',
  '"a b"',
  '"open',
  'vocab a b',
  'p 0.5 0.5',
  'reward 0 1',
  'length 3',
  'length 1e9',
  'tilt',
  'frontier',
  'bon',
  'equivalence',
  'rate',
  'cumulants',
  'renyi',
  'compare',
  'simulate',
  'delta',
  'lambda',
  'beta',
  'N',
  'logN',
  'steps',
  'x',
  'n',
  'alpha',
  'order',
  'method',
  'samples',
  'seed',
  'exp',
  'log',
  'sqrt',
  'e',
  'pi',
  '0',
  '1',
  '-1',
  '0.5',
  '1e300',
  '1e-400',
  '1e400',
  'exp(1000)',
  '2^5000',
  '1/0',
  '"m.csv"',
  '"../x.csv"',
  '"m.json"',
  '$',
  'λ',
  '😀',
];

test('fuzz: token soup never breaks the pipeline', () => {
  const soup = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }).map((parts) => parts.join(' '));
  fc.assert(
    fc.property(soup, (text) => run(text)),
    { numRuns: 300, seed: 20261126 },
  );
});

test('fuzz: arbitrary unicode strings never break the pipeline', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => run(text)),
    { numRuns: 200, seed: 7 },
  );
});

test('fuzz: mutations of paper.align (deletions, insertions, replacements)', () => {
  const mutation = fc.record({
    at: fc.nat({ max: paper.length }),
    remove: fc.nat({ max: 40 }),
    insert: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 8 })),
  });
  const mutated = fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ms) => {
    let text = paper;
    for (const m of ms) {
      const at = Math.min(m.at, text.length);
      text = text.slice(0, at) + m.insert + text.slice(at + m.remove);
    }
    return text;
  });
  fc.assert(
    fc.property(mutated, (text) => run(text)),
    { numRuns: 80, seed: 42 },
  );
});

test('fuzz: well-formed random models give values for every query or a typed error', () => {
  const model = fc.record({
    p: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }),
    r: fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 6, maxLength: 6 }),
    n: fc.integer({ min: 1, max: 40 }),
    delta: fc.double({ min: 0, max: 50, noNaN: true }),
    logN: fc.double({ min: 0, max: 2000, noNaN: true }),
  });
  fc.assert(
    fc.property(model, ({ p, r, n, delta, logN }) => {
      const k = p.length;
      const text = `model m {\n vocab ${p.map((_, i) => `t${i}`).join(' ')}\n p ${p.join(' ')}\n reward ${r.slice(0, k).join(' ')}\n length ${n}\n}
tilt(m, delta = ${delta})\nfrontier(m, steps = 5)\nbon(m, logN = ${logN})\nrate(m, delta = ${delta}, steps = 5)\ncumulants(m, delta = ${delta})\nrenyi(m, alpha = 0.5)\nequivalence(m, rate = 0.1, n = 1..${n}, steps = 3)\n`;
      run(text);
    }),
    { numRuns: 60, seed: 3 },
  );
});
