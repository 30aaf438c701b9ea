// alignLab/setParameter and alignLab/previewParameter over stdio (the preview's sliders): the
// value is checked against the query table before any edit (unknown parameter, outside the valid
// range, conflicting with a parameter of its group, not a number → a refusal, never an edit); a
// plain reference to a numeric `let` used nowhere else moves the let; previewParameter evaluates
// the query with the value substituted and leaves the document alone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { analyze } from '../../src/language/index.js';
import { wireAnalysis } from '../../src/presentation/wire.js';
import {
  PreviewParameterRequest,
  type SetParameterParams,
  SetParameterRequest,
  type TextEditLike,
} from '../../src/protocol/protocol.js';
import { type LspClient, startClient } from './lsp.js';

const TEXT = `model toy {
  vocab  a b c
  p      0.5 0.3 0.2
  reward 0 1 2
  length 8
}
let own = 2
let shared = 1
let formula = 2 * 0.5
tilt(toy, delta = 4)
tilt(toy, beta = 0.5)
renyi(toy, alpha = 2)
equivalence(toy, rate = 0.5, n = 1..16)
bon(toy, N = 16)
frontier(toy, steps = 64)
tilt(toy, delta = own)
tilt(toy, delta = shared)
rate(toy, lambda = shared)
cumulants(toy, lambda = formula)
rate(toy, x = 0..2)
`;
const uri = 'file:///tmp/align-lab-set-parameter.align';
const lineOf = (prefix: string) => TEXT.split('\n').findIndex((l) => l.startsWith(prefix));

/** Applies LSP edits to a text (from the end, so offsets stay valid). */
function apply(text: string, edits: readonly TextEditLike[]): string {
  const offset = (p: { line: number; character: number }) => {
    const lines = text.split('\n');
    return lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  };
  return [...edits]
    .map((e) => ({ from: offset(e.range.start), to: offset(e.range.end), text: e.newText }))
    .sort((a, b) => b.from - a.from)
    .reduce((t, e) => t.slice(0, e.from) + e.text + t.slice(e.to), text);
}

describe('setting a query parameter (the preview sliders)', () => {
  let c: LspClient;
  before(async () => {
    c = await startClient();
    await c.open(uri, TEXT);
  });
  after(async () => {
    await c.shutdown();
  });
  const params = (query: string, name: string, value: number): SetParameterParams => ({
    uri,
    version: 1,
    position: { line: lineOf(query), character: 1 },
    name,
    value,
  });
  const set = (query: string, name: string, value: number) =>
    c.conn.sendRequest(SetParameterRequest, params(query, name, value));

  it('refuses what the query table does not allow, with a message, never an edit', async () => {
    const cases: [string, string, number, string, RegExp][] = [
      ['tilt(toy, delta = 4)', 'alpha', 1, 'unknown-parameter', /tilt has no parameter 'alpha'/],
      ['tilt(toy, delta = 4)', 'delta', -1, 'out-of-range', /'delta' of tilt must lie in \[0, ∞\), not −1/],
      ['tilt(toy, beta = 0.5)', 'beta', 0, 'out-of-range', /\(0, ∞\), not 0/],
      ['renyi(toy, alpha = 2)', 'alpha', 0, 'out-of-range', /'alpha' of renyi/],
      ['equivalence(toy, rate', 'rate', 0, 'out-of-range', /'rate' of equivalence/],
      ['bon(toy, N = 16)', 'N', 0.5, 'out-of-range', /\[1, ∞\)/],
      ['bon(toy, N = 16)', 'N', Number.NaN, 'out-of-range', /finite/],
      ['tilt(toy, delta = 4)', 'lambda', 1, 'conflicting-parameters', /already has 'delta'/],
      ['bon(toy, N = 16)', 'logN', 3, 'conflicting-parameters', /already has 'N'/],
      ['frontier(toy, steps = 64)', 'steps', 2.5, 'not-a-number', /whole number/],
      ['frontier(toy, steps = 64)', 'delta', 1, 'not-a-number', /does not take a number/],
      ['rate(toy, x = 0..2)', 'x', 1, 'not-a-number', /written as a range/],
      ['let own', 'delta', 1, 'no-query', /no query at line 7/],
    ];
    for (const [query, name, value, code, message] of cases) {
      const r = await set(query, name, value);
      const what = `${query}: ${name} = ${value} → ${JSON.stringify(r)}`;
      assert.ok(r && 'refused' in r && !('edits' in r), what);
      assert.equal(r.refused.code, code, what);
      assert.match(r.refused.message, message, what);
    }
  });

  it('writes valid values: replaces a literal, appends a missing parameter', async () => {
    const r = await set('tilt(toy, beta = 0.5)', 'beta', 0.25);
    assert.ok(r && 'edits' in r, JSON.stringify(r));
    assert.match(apply(TEXT, r.edits), /^tilt\(toy, beta = 0\.25\)$/m);
    const added = await set('rate(toy, x = 0..2)', 'lambda', 1.5);
    assert.ok(added && 'edits' in added, JSON.stringify(added));
    assert.match(apply(TEXT, added.edits), /^rate\(toy, x = 0\.\.2, lambda = 1\.5\)$/m);
    // At the edge of the valid range: Δ = 0 and N = 1 are allowed.
    for (const [query, name, value] of [
      ['tilt(toy, delta = 4)', 'delta', 0],
      ['bon(toy, N = 16)', 'N', 1],
    ] as const) {
      const edge = await set(query, name, value);
      assert.ok(edge && 'edits' in edge, `${query} ${name} = ${value}: ${JSON.stringify(edge)}`);
    }
  });

  it('moves a numeric let used only by this query; replaces a shared or expression-valued reference', async () => {
    const own = await set('tilt(toy, delta = own)', 'delta', 3);
    assert.ok(own && 'edits' in own, JSON.stringify(own));
    const moved = apply(TEXT, own.edits);
    assert.match(moved, /^let own = 3$/m, 'the let moves');
    assert.match(moved, /^tilt\(toy, delta = own\)$/m, 'the query keeps its reference');
    const shared = await set('tilt(toy, delta = shared)', 'delta', 3);
    assert.ok(shared && 'edits' in shared, JSON.stringify(shared));
    const replaced = apply(TEXT, shared.edits);
    assert.match(replaced, /^let shared = 1$/m, 'a let used elsewhere stays');
    assert.match(replaced, /^tilt\(toy, delta = 3\)$/m);
    assert.match(replaced, /^rate\(toy, lambda = shared\)$/m, 'its other use is unchanged');
    const formula = await set('cumulants(toy, lambda = formula)', 'lambda', 3);
    assert.ok(formula && 'edits' in formula, JSON.stringify(formula));
    const written = apply(TEXT, formula.edits);
    assert.match(written, /^let formula = 2 \* 0\.5$/m, 'an expression is never overwritten by a number');
    assert.match(written, /^cumulants\(toy, lambda = 3\)$/m);
  });

  it('previews a value: the query evaluated as after the edit, the document untouched', async () => {
    const published = c.published.length;
    const resultsBefore = c.results.get(uri);
    for (const [query, name, value] of [
      ['tilt(toy, delta = own)', 'delta', 3],
      ['tilt(toy, beta = 0.5)', 'beta', 0.25],
      ['bon(toy, N = 16)', 'N', 100],
    ] as const) {
      const r = await c.conn.sendRequest(PreviewParameterRequest, params(query, name, value));
      assert.ok(r && 'result' in r, `${query}: ${JSON.stringify(r)}`);
      const edit = await set(query, name, value);
      assert.ok(edit && 'edits' in edit);
      // In the JSON form the client receives (per-token tables as objects).
      const expected = wireAnalysis(analyze(apply(TEXT, edit.edits))).results[
        r.result.range.start.line - lineOf('tilt(toy, delta = 4)')
      ];
      assert.equal(r.result.query, expected.query);
      assert.deepEqual(r.result.value, expected.value, `${query} with ${name} = ${value}`);
      assert.deepEqual(r.result.range.start, { line: lineOf(query), character: 0 });
    }
    const refused = await c.conn.sendRequest(
      PreviewParameterRequest,
      params('tilt(toy, beta = 0.5)', 'beta', 0),
    );
    assert.ok(
      refused && 'refused' in refused && refused.refused.code === 'out-of-range',
      JSON.stringify(refused),
    );
    const stale = await c.conn.sendRequest(PreviewParameterRequest, {
      ...params('tilt(toy, beta', 'beta', 1),
      version: 0,
    });
    assert.equal(stale, null, 'a stale version is not previewed');
    assert.equal(c.published.length, published, 'no diagnostics published');
    assert.equal(c.results.get(uri), resultsBefore, 'no results published');
  });
});
