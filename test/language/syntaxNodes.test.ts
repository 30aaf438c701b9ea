// Syntax nodes compute their ranges on first access (syntaxNodes.ts), the symbol index collects
// references on first use, and checked queries keep their parameters in a SmallMap: each must
// behave exactly like the plain objects, eager lists and Maps they replace.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SmallMap } from '../../src/language/checking/smallMap.js';
import { buildSymbolIndex, LineIndex, parse } from '../../src/language/index.js';
import { TOY } from './helpers.js';

const SRC = `${TOY}let budget = 2 * (pi - 1)\ntilt(toy, delta = budget)\nrate(toy, x = -1..2, steps = 5)\n`;

/** Every object in a tree that has numeric start/end (nodes, with or without `kind`). */
function nodesOf(value: unknown, out: { start: number; end: number; range: unknown }[] = []) {
  if (Array.isArray(value)) for (const x of value) nodesOf(x, out);
  else if (value && typeof value === 'object') {
    const node = value as { start?: unknown; end?: unknown; range: unknown };
    if (typeof node.start === 'number' && typeof node.end === 'number')
      out.push(node as { start: number; end: number; range: unknown });
    for (const key of Object.keys(value)) nodesOf((value as Record<string, unknown>)[key], out);
    if ('items' in node) nodesOf((node as { items: unknown }).items, out);
  }
  return out;
}

test('a node range is its offsets in the line index, built once', () => {
  const parsed = parse(SRC);
  const lines = new LineIndex(SRC);
  const nodes = nodesOf(parsed.ast);
  assert.ok(nodes.length > 30, `${nodes.length} nodes`);
  for (const node of nodes) {
    assert.deepEqual(node.range, lines.range(node.start, node.end));
    assert.equal(node.range, node.range, 'the same object on every access');
  }
});

test('a tree serialises with its ranges and compares like plain objects', () => {
  const json = JSON.parse(JSON.stringify(parse(SRC).ast));
  const lines = new LineIndex(SRC);
  for (const node of nodesOf(json)) assert.deepEqual(node.range, lines.range(node.start, node.end));
  assert.deepEqual(parse(SRC).ast, parse(SRC).ast);
  assert.notDeepEqual(parse(SRC).ast, parse(`${SRC}\n`).ast);
});

test('references are collected on first use, the same on every access', () => {
  const index = buildSymbolIndex(parse(SRC).ast);
  const budget = index.lookup('let', 'budget')!;
  assert.equal(index.referencesTo(budget).length, 1);
  assert.equal(index.references, index.references);
  assert.deepEqual(
    index.references.map((r) => `${r.kind}:${r.name}@${r.range.start.line}:${r.range.start.character}`),
    ['model:toy@7:5', 'let:budget@7:18', 'model:toy@8:5'],
  );
});

test('SmallMap behaves as an insertion-ordered Map', () => {
  const small = new SmallMap<string, number>(1);
  const map = new Map<string, number>();
  const ops: [string, number | null][] = [
    ['a', 1],
    ['b', 2],
    ['c', 3],
    ['a', 4],
    ['b', null],
    ['d', 5],
    ['e', 6],
    ['c', null],
    ['b', 7],
  ];
  for (const [key, value] of ops) {
    if (value === null) assert.equal(small.delete(key), map.delete(key));
    else {
      small.set(key, value);
      map.set(key, value);
    }
    assert.equal(small.size, map.size);
    assert.deepEqual([...small], [...map]);
    assert.deepEqual([...small.keys()], [...map.keys()]);
    assert.deepEqual([...small.values()], [...map.values()]);
    for (const k of ['a', 'b', 'c', 'd', 'e', 'z']) {
      assert.equal(small.get(k), map.get(k));
      assert.equal(small.has(k), map.has(k));
    }
  }
  const seen: string[] = [];
  small.forEach((v, k, m) => {
    seen.push(`${k}=${v}:${m === small}`);
  });
  assert.deepEqual(
    seen,
    [...map].map(([k, v]) => `${k}=${v}:true`),
  );
  assert.equal(small.delete('z'), false);
});
