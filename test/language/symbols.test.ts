// The symbol index (definitions, references, rename targets) and semantic token classes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSymbolIndex, classifyTokens, parse } from '../../src/language/index.js';
import { TOY } from './helpers.js';

const SRC = `${TOY}let budget = 2 * pi
let twice = budget * 2
policy q of toy { p 0.1 0.2 0.3 0.4 }
tilt(toy, delta = budget)
compare(toy, policy = q, delta = twice)
simulate(toy, method = bon, N = 4)
let budget = 3
`;

test('definitions and references with exact ranges; duplicates resolve to the first', () => {
  const { ast, text } = { ...parse(SRC), text: SRC };
  const index = buildSymbolIndex(ast);
  assert.deepEqual(
    index.definitions.map((d) => `${d.kind}:${d.name}@${d.range.start.line}:${d.range.start.character}`),
    ['model:toy@0:6', 'let:budget@6:4', 'let:twice@7:4', 'policy:q@8:7', 'let:budget@12:4'],
  );
  const refs = index.references.map(
    (r) => `${r.kind}:${r.name}@${r.range.start.line}:${r.range.start.character}`,
  );
  assert.deepEqual(refs, [
    'let:budget@7:12',
    'model:toy@8:12',
    'model:toy@9:5',
    'let:budget@9:18',
    'model:toy@10:8',
    'policy:q@10:22',
    'let:twice@10:33',
    'model:toy@11:9',
  ]);
  for (const r of index.references) assert.equal(text.slice(r.start, r.end), r.name);
  const budget = index.lookup('let', 'budget')!;
  assert.equal(budget.range.start.line, 6, 'first definition wins');
  assert.equal(index.referencesTo(budget).length, 2);
  const at = index.symbolAt(SRC.indexOf('policy = q') + 'policy = '.length);
  assert.equal(at?.definition.kind, 'policy');
  assert.equal(at?.reference?.name, 'q');
  assert.equal(index.symbolAt(SRC.indexOf('method')), undefined, 'parameter names are not symbols');
});

test('semantic tokens classify every meaningful token', () => {
  const parsed = parse(`# hi\n${SRC}`);
  const tokens = classifyTokens(parsed);
  const of = (text: string, nth = 0) => {
    const hits = tokens.filter((t) => parsed.text.slice(t.start, t.end) === text);
    assert.ok(hits[nth], `no token '${text}'`);
    return `${hits[nth].type}${hits[nth].modifiers.length ? `+${hits[nth].modifiers.join('+')}` : ''}`;
  };
  assert.equal(of('# hi'), 'comment');
  assert.equal(of('model'), 'keyword');
  assert.equal(of('toy'), 'type+declaration');
  assert.equal(of('toy', 2), 'type');
  assert.equal(of('vocab'), 'property');
  assert.equal(of('a'), 'enumMember');
  assert.equal(of('0.4'), 'number');
  assert.equal(of('budget'), 'variable+declaration+readonly');
  assert.equal(of('pi'), 'variable+readonly+defaultLibrary');
  assert.equal(of('budget', 1), 'variable+readonly');
  assert.equal(of('q'), 'class+declaration');
  assert.equal(of('tilt'), 'function');
  assert.equal(of('delta'), 'parameter');
  assert.equal(of('policy', 1), 'parameter');
  assert.equal(of('bon'), 'enumMember');
  assert.equal(of('*'), 'operator');
  for (const t of tokens) {
    const pos = parsed.lines.position(t.start);
    assert.deepEqual([t.line, t.character], [pos.line, pos.character]);
    assert.ok(t.length > 0);
  }
});
