// Server pieces without the protocol: the formatter (canonical layout, idempotence, meaning
// preserved on every example), settings, completion contexts and the clamp used by a quick fix.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { shortDecimals } from '../../src/language/editor/fixes.js';
import { formatDocument } from '../../src/language/editor/format.js';
import { analyze, parse } from '../../src/language/index.js';
import { codeActionsFor, floorDigits } from '../../src/server/features/codeActions.js';
import { completionsAt } from '../../src/server/features/completion.js';
import { normaliseSettings } from '../../src/server/settings.js';
import { root } from './lsp.js';

const format = (text: string) => formatDocument(parse(text));

describe('formatter', () => {
  it('aligns model columns and normalises spacing', () => {
    assert.equal(
      format('model m{\nvocab a bb "c d"\np 0.5 0.25 0.25\nreward -1 2^2 (1+2)*3\nlength 4\n}\n'),
      'model m {\n  vocab   a    bb    "c d"\n  p       0.5  0.25  0.25\n  reward  -1   2^2   (1 + 2) * 3\n  length  4\n}\n',
    );
  });

  it('keeps comments, one blank line, one-line bodies and CRLF', () => {
    const text = '# head\r\n\r\n\r\nlet x=1 # one\r\npolicy q of m {p 0.5 0.5}\r\n# tail\r\n';
    assert.equal(format(text), '# head\r\n\r\nlet x = 1  # one\r\npolicy q of m { p 0.5 0.5 }\r\n# tail\r\n');
  });

  it('keeps a query with comments inside verbatim', () => {
    const text = 'tilt(m,\n  delta = 1, # the budget\n  )\n';
    assert.equal(format(text), text);
  });

  it('leaves a file with a syntax error alone', () => {
    assert.equal(format('tilt(m, delta = \n'), undefined);
    assert.equal(format('model m { vocab a b\n'), undefined);
  });

  it('keeps list items apart: `0.5 -0.5` stays two items, `0.5 - 0.5` one', () => {
    assert.equal(format('model m {\n  reward 0.5 -0.5\n}\n'), 'model m {\n  reward  0.5  -0.5\n}\n');
    assert.equal(format('model m {\n  reward 0.5 - 0.5\n}\n'), 'model m {\n  reward  0.5 - 0.5\n}\n');
  });

  for (const name of readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.align'))) {
    it(`is idempotent and preserves the meaning of examples/${name}`, () => {
      // Fewer Monte Carlo samples: the point is the formatter, not the sampler.
      const text = readFileSync(join(root, 'examples', name), 'utf8').replace(
        /samples = \d+/g,
        'samples = 100',
      );
      const once = format(text);
      assert.ok(once !== undefined, 'formattable');
      assert.equal(format(once), once, 'idempotent');
      const strip = (a: ReturnType<typeof analyze>) => ({
        codes: a.diagnostics.map((d) => d.code),
        results: a.results.map((r) => ({ query: r.query, model: r.model, value: r.value, error: r.error })),
      });
      const dir = join(root, 'examples');
      const readFile = (p: string) => readFileSync(join(dir, p), 'utf8');
      assert.deepEqual(strip(analyze(once, { readFile })), strip(analyze(text, { readFile })));
    });
  }
});

describe('numbers', () => {
  it('rounds a clamp down so it never exceeds the maximum', () => {
    assert.equal(floorDigits(2 * Math.log(2)), '1.38629');
    assert.equal(floorDigits(95.86266, 6), '95.8626');
    for (const x of [0.1, 1, 2.0794415416798357, 1e-9, 123456789]) assert.ok(Number(floorDigits(x)) <= x);
  });
});

describe('settings', () => {
  it('clamps and accepts nested or dotted keys', () => {
    const s = normaliseSettings({
      debounceMs: -5,
      significantDigits: 40,
      'inlayHints.enabled': false,
      codeLens: { enabled: false },
    });
    assert.equal(s.debounceMs, 0);
    assert.equal(s.significantDigits, 10);
    assert.equal(s.inlayHints.enabled, false);
    assert.equal(s.codeLens.enabled, false);
    assert.deepEqual(normaliseSettings('nonsense'), normaliseSettings(undefined));
  });
});

describe('completion contexts', () => {
  const labels = (text: string, snippets = true) => {
    const offset = text.indexOf('|');
    return completionsAt(parse(text.replace('|', '')), offset, snippets).map((i) => i.label);
  };
  const model = 'model m {\n  vocab a b\n  p 0.5 0.5\n  reward 0 1\n}\npolicy q of m { p 0.2 0.8 }\n';
  it('offers parameters that do not conflict with those given', () => {
    assert.deepEqual(labels(`${model}rate(m, delta = 1, |)`), ['x', 'steps']);
    assert.deepEqual(labels(`${model}bon(m, |)`), ['N', 'logN']);
  });
  it('offers policies for policy =, fields in a body, models after of', () => {
    assert.deepEqual(labels(`${model}compare(m, policy = |)`), ['q']);
    assert.deepEqual(labels('model m {\n  vocab a\n  |\n}'), ['p', 'reward', 'length']);
    assert.deepEqual(labels(`${model}policy r of |`), ['m']);
  });
  it('the templates make a file with no warnings: the model, a policy, then every query', () => {
    // Expand a snippet with its default placeholders, as accepting each one does.
    const expand = (snippet: string) =>
      snippet
        .replace(/\$\{\d+:([^}]*)\}/g, '$1')
        .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
        .replace(/\$\d+/g, '')
        .replace(/\\([$}\\])/g, '$1');
    const item = (text: string, label: string) => {
      const offset = text.length;
      const found = completionsAt(parse(text), offset, true).find((i) => i.label === label);
      assert.ok(found?.insertText, `${label} offered at the start of a line`);
      return expand(found.insertText);
    };
    let text = '';
    text += `${item(text, 'model')}\n`;
    text += `${item(text, 'policy')}\n`;
    for (const q of [
      'tilt',
      'frontier',
      'bon',
      'equivalence',
      'rate',
      'cumulants',
      'renyi',
      'compare',
      'simulate',
      'softbon',
      'blockbon',
      'reject',
      'winrate',
      'methods',
    ])
      text += `${item(text, q)}\n`;
    const a = analyze(text.replace(/samples = \d+/, 'samples = 100'));
    const problems = a.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
    assert.deepEqual(problems, [], text);
    assert.equal(a.results.length, 14);
    for (const r of a.results) assert.equal(r.error, undefined, `${r.query}: ${r.error}`);
  });

  it('parameters that would do nothing for the chosen method are not offered', () => {
    assert.deepEqual(labels(`${model}simulate(m, method = base, |)`), ['samples', 'seed']);
    assert.deepEqual(labels(`${model}simulate(m, method = bon, |)`), ['N', 'logN', 'samples', 'seed']);
    assert.ok(labels(`${model}simulate(m, |)`).includes('method'));
  });

  it('offers nothing inside a vocab list or a comment', () => {
    assert.deepEqual(labels('model m {\n  vocab a |\n}'), []);
    assert.deepEqual(labels('# tilt(|'), []);
  });
});

describe('quick fixes', () => {
  /** Applies one code action's edits to `text` (edits do not overlap; applied from the end). */
  function apply(
    text: string,
    edits: {
      range: { start: { line: number; character: number }; end: { line: number; character: number } };
      newText: string;
    }[],
  ): string {
    const lines = parse(text).lines;
    const sorted = edits
      .map((e) => ({ start: lines.offset(e.range.start), end: lines.offset(e.range.end), text: e.newText }))
      .sort((a, b) => b.start - a.start);
    let out = text;
    for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
    return out;
  }
  const fixesOf = (text: string) => {
    const a = analyze(text);
    return codeActionsFor('file:///x.align', parse(text), a.diagnostics as never).map((c) => ({
      title: c.title,
      code: (c.diagnostics?.[0]?.code ?? '') as string,
      result: apply(text, c.edit?.changes?.['file:///x.align'] ?? []),
    }));
  };
  // (canonical's p is not normalised on purpose: that warning has a fix of its own)
  const errorsOf = (text: string) => analyze(text).diagnostics.filter((d) => d.severity === 'error');
  const canonical = format('model m {\n  vocab a b c\n  p 1 1 2\n  reward 0 1 2\n  length 2\n}\n')!;

  it('normalise p keeps a canonically laid out model aligned, and the warning goes away', () => {
    const fix = fixesOf(canonical).find((f) => f.title.startsWith('Normalise p'));
    assert.ok(fix, 'offered');
    assert.equal(fix.result, format(fix.result), `still canonical:\n${fix.result}`);
    assert.match(fix.result, /p +0\.25 +0\.25 +0\.5\n/);
    assert.deepEqual(analyze(fix.result).diagnostics, []);
  });

  it('normalise p writes the shortest decimals that keep the sum (no 17-digit doubles)', () => {
    assert.deepEqual(shortDecimals([0.25, 0.25, 0.5]), ['0.25', '0.25', '0.5']);
    const thirds = shortDecimals([1 / 3, 1 / 3, 1 / 3]);
    assert.ok(
      thirds.every((t) => t.length < 17),
      thirds.join(' '),
    );
    assert.ok(Math.abs(thirds.reduce((s, t) => s + Number(t), 0) - 1) <= 1e-12);
    const fix = fixesOf('model m { vocab a b c; p 1 1 1; reward 0 1 2 }\n').find((f) =>
      f.title.startsWith('Normalise'),
    );
    assert.ok(fix);
    assert.deepEqual(analyze(fix.result).diagnostics, [], fix.result);
  });

  it('too many values of p: remove them, or remove them and normalise in one step', () => {
    const text = 'model m {\n  vocab a b\n  p 0.2 0.3 0.5\n  reward 0 1\n}\n';
    const titles = fixesOf(text).map((f) => f.title);
    assert.deepEqual(titles, [
      "Remove the last 1 value of 'p'",
      "Remove the last 1 value of 'p' and normalise it",
    ]);
    const combined = fixesOf(text)[1];
    assert.match(combined.result, /p 0\.4 0\.6\n/);
    assert.deepEqual(analyze(combined.result).diagnostics, []);
  });

  it('a block length that does not divide n: the fix writes the nearest divisor, and the error goes away', () => {
    const text = `${canonical}blockbon(m, N = 4, block = 3)\n`;
    const fixes = fixesOf(text).filter((f) => f.code === 'block-not-divisor');
    assert.deepEqual(
      fixes.map((f) => f.title),
      ['Change the block length to 2, the nearest divisor of n = 2'],
    );
    assert.match(fixes[0].result, /block = 2\)/);
    assert.deepEqual(errorsOf(fixes[0].result), []);
  });

  it('a threshold above n·r_max: the fix writes n·r_max, which accepts the top sequences', () => {
    const text = `${canonical}reject(m, threshold = 4.5)\n`;
    const fixes = fixesOf(text).filter((f) => f.code === 'threshold-above-max');
    assert.deepEqual(
      fixes.map((f) => f.title),
      ['Set the threshold to the largest reward n·r_max = 4'],
    );
    assert.match(fixes[0].result, /threshold = 4\)/);
    assert.deepEqual(errorsOf(fixes[0].result), []);
  });

  it('a threshold above the R* of a chain: the fix writes R*', () => {
    const chain = format(
      'markov c {\n  vocab a b\n  start 0.5 0.5\n  next a -> 0 1\n  next b -> 0.5 0.5\n  reward 1 0\n  length 4\n}\n',
    )!;
    const fixes = fixesOf(`${chain}reject(c, threshold = 3)\n`).filter(
      (f) => f.code === 'threshold-above-max',
    );
    assert.deepEqual(
      fixes.map((f) => f.title),
      ['Set the threshold to the largest reward R* = 2'],
    );
    assert.match(fixes[0].result, /threshold = 2\)/);
    assert.deepEqual(errorsOf(fixes[0].result), []);
  });

  it('data that does not fit its code, or a code that is no diagnostic code, gives no fix (and no crash)', () => {
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
    const hostile = [
      { code: 'constructor', data: {} },
      { code: '__proto__', data: {} },
      { code: 'budget-exceeds-max-kl', data: { maxKL: 'x' } },
      { code: 'length-mismatch', data: { expected: -1, actual: 2 } },
      { code: 'p-not-normalized', data: { sum: 2, normalized: [Number.NaN] } },
      { code: 'unknown-model', data: null },
      { code: 'block-not-divisor', data: { length: 8, nearest: 3 } },
      { code: 'block-not-divisor', data: { length: 8, nearest: 0 } },
      { code: 'threshold-above-max', data: { maxReward: Number.POSITIVE_INFINITY } },
    ].map((d) => ({ ...d, range, message: '' }));
    assert.deepEqual(codeActionsFor('file:///x.align', parse(canonical), hostile as never), []);
  });
});
