// Large inputs are handled correctly (their speed is measured in bench/language.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bigFile, wideModel } from '../../bench/language.js';
import { analyze, check, parse } from '../../src/language/index.js';
import { tokenRecordOf } from '../../src/presentation/tokens.js';

test('a 50,257-token model on three lines: parsed, merged to 11 rewards, tilted', () => {
  const a = analyze(wideModel(50_257));
  assert.deepEqual(a.diagnostics, []);
  const model = a.models?.[0];
  assert.equal(model?.tokens, 50_257);
  assert.equal(model?.distinct_rewards, 11);
  const tilt = a.results[0];
  assert.ok(tilt.value && tilt.query === 'tilt', JSON.stringify(tilt.error));
  const phi = tokenRecordOf(tilt.value.phi);
  assert.equal(Object.keys(phi).length, 50_257);
  const total = Object.values(phi).reduce((s, x) => s + x, 0);
  assert.ok(Math.abs(total - 1) < 1e-9, `Σφ = ${total}`);
  assert.ok(Math.abs(tilt.value.kl - 1) < 1e-9, `KL = Δ = 1, got ${tilt.value.kl}`);
});

test('a 10,000-line file parses and checks without diagnostics', () => {
  const parsed = parse(bigFile(10_000));
  assert.deepEqual(parsed.diagnostics, []);
  const checked = check(parsed.ast, parsed.lines);
  assert.deepEqual(checked.diagnostics, []);
  assert.ok(checked.queries.length > 2900, `${checked.queries.length} queries`);
  assert.ok(checked.queries.every((q) => q.blocked === undefined));
});

test('the p-not-normalized quick fix (data.replacement) removes the warning', () => {
  const src = 'model m {\n vocab a b c\n p 1 2 5\n reward 0 1 2\n}\n';
  const [d] = analyze(src).diagnostics;
  assert.equal(d.code, 'p-not-normalized');
  const { replacement } = d.data as { replacement: string };
  const lines = src.split('\n');
  const line = lines[d.range.start.line];
  lines[d.range.start.line] =
    line.slice(0, d.range.start.character) + replacement + line.slice(d.range.end.character);
  assert.deepEqual(analyze(lines.join('\n')).diagnostics, [], `after the fix: ${lines.join('\n')}`);
});
