// The chunked JSON writer of `eval --json` (src/cli/json.ts) against JSON.stringify: the same
// bytes for the documents the CLI writes, with per-token tables as columns (TokenTable) or objects.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { contractDocument } from '../../src/cli/commands/eval.js';
import {
  ContractViolation,
  contractJsonChunks,
  escapeInvisible,
  toContractJson,
} from '../../src/cli/json.js';
import { analyze } from '../../src/language/index.js';
import { TokenTable } from '../../src/presentation/tokens.js';
import { sampleAnalysis } from './sampleAnalysis.js';

/** What `eval --json` printed before the writer: JSON.stringify of the plain document. */
const reference = (value: unknown, indent = 2) => escapeInvisible(JSON.stringify(value, null, indent));

/** Token names that JSON must escape, or that a plain object treats specially. */
const ODD_TOKENS = [
  'plain',
  'with "quotes"',
  'back\\slash',
  'tab\there',
  'new\nline',
  '\u0000nul',
  '\u001b[2J',
  'del\u007f',
  'c1\u0085',
  '\u202eevil',
  'lone \ud800 surrogate',
  'pair 😀',
  'é ü ß 中文',
  '__proto__',
  'constructor',
  'toString',
  // Array-index keys come first in an object, ascending; the others are not indices.
  '12',
  '0',
  '4294967294',
  '4294967295',
  '01',
  '-1',
  '1.5',
  '1e3',
  '99999999999',
  '',
  ' ',
  'tok,comma',
  '","',
];

test('json writer: the same text as JSON.stringify for every indentation, odd token names included', () => {
  const values = Float64Array.from(ODD_TOKENS, (_, i) => (i === 3 ? 0 : (i + 1) / 7 / 10 ** i));
  const table = new TokenTable(ODD_TOKENS, values);
  const doc = {
    file: 'x.align',
    diagnostics: [],
    results: [
      {
        query: 'tilt',
        value: {
          lambda: null,
          kl: 1e-300,
          reward: -0,
          phi: table,
          p: table.toJSON(),
          empty: new TokenTable([], new Float64Array(0)),
        },
      },
      { query: 'frontier', value: { points: [{ lambda: 1.5, kl: 2 ** -1074, reward: 1e21 }], markov: true } },
      { error: 'a "quoted" message\u2028', extra: undefined, nested: [[], {}, [null, 'x']] },
    ],
  };
  const plain = JSON.parse(JSON.stringify(doc));
  for (const indent of [0, 1, 2, 4, 10, 12]) {
    assert.equal(toContractJson(doc, indent), reference(plain, indent), `indent ${indent}`);
    assert.equal(toContractJson(doc, indent), reference(doc, indent), `indent ${indent} (toJSON)`);
  }
});

test('json writer: a table larger than a batch and a chunk is written whole and in order', () => {
  // Plain tokens (quoted as they are), then tokens that need escapes (JSON.stringify each).
  for (const odd of [false, true]) {
    const tokens = Array.from({ length: 70_000 }, (_, i) => (odd && i % 1000 === 0 ? `t"${i}\\` : `tok${i}`));
    const values = Float64Array.from(tokens, (_, i) => Math.sin(i) / (i + 1));
    const doc = { results: [{ value: { phi: new TokenTable(tokens, values), after: [1, 2] } }] };
    const chunks = contractJsonChunks(doc, 2);
    assert.ok(chunks.length > 1, 'several chunks');
    assert.equal(chunks.join(''), reference(JSON.parse(JSON.stringify(doc))));
  }
});

test('json writer: ±Infinity as null, typed arrays as arrays, boxed and toJSON values as JSON.stringify', () => {
  const doc = {
    a: Number.POSITIVE_INFINITY,
    b: [Number.NEGATIVE_INFINITY, undefined, () => 1],
    c: Float64Array.of(1, 2.5),
    d: new Date(0),
    e: Object(3),
    f: Object('s'),
    g: Object(false),
    h: { toJSON: (key: string) => `key ${key}` },
    t: new TokenTable(['x', 'y'], Float64Array.of(Number.POSITIVE_INFINITY, 1)),
  };
  assert.equal(
    toContractJson(doc, 0),
    '{"a":null,"b":[null,null,null],"c":[1,2.5],"d":"1970-01-01T00:00:00.000Z","e":3,"f":"s","g":false,"h":"key h","t":{"x":null,"y":1}}',
  );
});

test('json writer: a NaN in a token table is a contract violation naming its token', () => {
  const doc = { results: [{ value: { phi: new TokenTable(['a', 'b c'], Float64Array.of(1, Number.NaN)) } }] };
  assert.throws(
    () => contractJsonChunks(doc),
    (e: unknown) => e instanceof ContractViolation && e.path === '$.results[0].value.phi["b c"]',
  );
});

test('json writer: real analyses (every example, the sample) print what JSON.stringify printed', () => {
  const root = join(import.meta.dirname, '..', '..');
  const docs: unknown[] = [contractDocument(sampleAnalysis(), 'sample.align')];
  for (const name of ['paper.align', 'toy.align', 'markov.align']) {
    let text: string;
    try {
      text = readFileSync(join(root, 'examples', name), 'utf8');
    } catch {
      continue;
    }
    const readFile = (p: string) => readFileSync(join(root, 'examples', p), 'utf8');
    docs.push(contractDocument(analyze(text.replace(/samples = \d+/g, 'samples = 200'), { readFile }), name));
  }
  assert.ok(docs.length > 1);
  for (const doc of docs) assert.equal(toContractJson(doc), reference(JSON.parse(JSON.stringify(doc))));
});

test('json writer: tables at the batch boundaries, with special numbers and index-like tokens anywhere', () => {
  const special = [
    0,
    -0,
    5e-324,
    1e-7,
    1e21,
    -1.5e300,
    0.1 + 0.2,
    Number.POSITIVE_INFINITY,
    123456789012345680000,
  ];
  for (const n of [1, 2, 1023, 1024, 1025, 2048, 2049, 3000]) {
    // Every 97th token is an array index ("0", "97", …): those come first in an object.
    const tokens = Array.from({ length: n }, (_, i) => (i % 97 === 0 ? String(i) : `w${i}`));
    const values = Float64Array.from(tokens, (_, i) => special[i % special.length] / (1 + (i % 3)));
    const doc = { phi: new TokenTable(tokens, values), n };
    for (const indent of [0, 2])
      assert.equal(toContractJson(doc, indent), reference(doc, indent), `${n} tokens, indent ${indent}`);
  }
});
