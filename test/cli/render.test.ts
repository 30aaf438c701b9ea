// The CLI's tilt table lists the most likely tokens (larger φ first, ties by name) without
// sorting every token: the same ten a full sort gives, for either form of the table.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderValue } from '../../src/cli/render/queries.js';
import type { QueryResult, TiltValue } from '../../src/presentation/results.js';
import { TokenTable } from '../../src/presentation/tokens.js';
import { mulberry32 } from '../helpers/random.js';

function tiltResult(phi: TiltValue['phi']): QueryResult {
  const value: TiltValue = {
    lambda: 1,
    beta: 1,
    kl: 1,
    reward: 1,
    kl_per_token: 1,
    reward_per_token: 1,
    phi,
  };
  return {
    query: 'tilt',
    model: 'm',
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    value,
  } as QueryResult;
}

test('tilt table: the ten most likely tokens, ties by name, as a full sort orders them', () => {
  const rand = mulberry32(7);
  for (const n of [3, 10, 11, 500]) {
    // Few distinct values: many ties, broken by the token's name.
    const tokens = Array.from({ length: n }, (_, i) => `t${(i * 7919) % n}`);
    const values = Float64Array.from(tokens, () => Math.floor(rand() * 5) / 8);
    const sorted = tokens
      .map((t, i): [string, number] => [t, values[i]])
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 10);
    for (const phi of [new TokenTable(tokens, values), new TokenTable(tokens, values).toJSON()]) {
      const lines = renderValue(tiltResult(phi), 6).join('\n');
      const listed = [...lines.matchAll(/^\s+"(t\d+)"/gm)].map((m) => m[1]);
      assert.deepEqual(
        listed,
        sorted.map(([t]) => t),
        `${n} tokens`,
      );
      assert.equal(lines.includes(`(10 most likely of ${n} tokens shown)`), n > 10);
    }
  }
});
