// The memoryless reduction through the language (docs/math-markov.md §8): a `markov` model whose
// start and every row are p answers every query with the numbers of the `model` with p, to 1e-12
// relative. Driven by the query table (QUERIES): every query kind must have an invocation below,
// so a new kind cannot be forgotten; a kind defined for memoryless models only must say so on
// the chain (`memoryless-only`). The two sides share no numerical code: the chain's answers come
// from the backward recursion, the (state, lattice) programme and markovMethods.ts; the model's
// from A(s), the convolution and methods.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/language/index.js';
import { presentationOf } from '../../src/presentation/kinds.js';
import { MEMORYLESS_ONLY, QUERIES } from '../../src/presentation/queries.js';
import type { QueryResult } from '../../src/presentation/results.js';

const P = [0.4, 0.3, 0.2, 0.1];
const Q = [0.1, 0.2, 0.3, 0.4];
const VOCAB = 'a b c d';
const rows = (p: number[]) =>
  VOCAB.split(' ')
    .map((t) => `  next ${t} -> ${p.join(' ')}`)
    .join('\n');

const DOC = `model iid {
  vocab ${VOCAB}
  p ${P.join(' ')}
  reward 0 1 2 3.5
  length 8
}
markov chain {
  vocab ${VOCAB}
  start ${P.join(' ')}
${rows(P)}
  reward 0 1 2 3.5
  length 8
}
policy q of iid {
  p ${Q.join(' ')}
}
policy qc of chain {
  start ${Q.join(' ')}
${rows(Q)}
}
`;

/** One invocation per query kind, on a model (and its policy for `compare`). */
const INVOCATIONS: Record<string, (model: string, policy: string) => string> = {
  tilt: (m) => `tilt(${m}, delta = 2)`,
  frontier: (m) => `frontier(${m}, steps = 16)`,
  bon: (m) => `bon(${m}, N = 16)`,
  equivalence: (m) => `equivalence(${m}, rate = 0.3, n = 1..32, steps = 4)`,
  rate: (m) => `rate(${m}, delta = 2, x = 0..3, steps = 7)`,
  cumulants: (m) => `cumulants(${m}, lambda = 0.5, order = 4)`,
  renyi: (m) => `renyi(${m}, alpha = 2)`,
  compare: (m, q) => `compare(${m}, policy = ${q}, delta = 2)`,
  simulate: (m) => `simulate(${m}, method = tilt, delta = 1, samples = 1000, seed = 3)`,
  softbon: (m) => `softbon(${m}, N = 16, lambda = 0.8)`,
  blockbon: (m) => `blockbon(${m}, N = 4, block = 2)`,
  reject: (m) => `reject(${m}, threshold = 12)`,
  winrate: (m) => `winrate(${m}, delta = 1.5)`,
  methods: (m) => `methods(${m}, N = 1..256, steps = 5)`,
};

/**
 * Fields that are not the same on both sides by construction: the Monte Carlo estimates (the
 * chain draws each token from its row's alias table, the model from one table: different
 * streams) and the wording of compare's note (KL(q‖p) of a chain, KL(qⁿ‖pⁿ) of a model). Keys the
 * chain has and the model has not (`markov`, its readouts) are not compared either.
 */
const NOT_COMPARED: Record<string, readonly string[]> = {
  simulate: ['reward_mean', 'reward_stderr'],
  compare: ['bound_note'],
};

const REL = 1e-12;
/** Absolute floor, for numbers that are 0 up to rounding on one side (KL at λ = 0, …). */
const ABS = 1e-13;

/** Compares every number of `model` with the chain's at the same path (chain-only keys allowed). */
function compareValues(
  kind: string,
  path: string,
  chain: unknown,
  model: unknown,
  skip: readonly string[],
): void {
  if (typeof model === 'number') {
    assert.equal(
      typeof chain,
      'number',
      `${kind} ${path}: the chain gives ${JSON.stringify(chain)}, the model ${model}`,
    );
    const c = chain as number;
    const err = Math.abs(c - model);
    assert.ok(
      err <= Math.max(REL * Math.abs(model), ABS),
      `${kind} ${path}: chain ${c}, model ${model} (abs err ${err}, rel err ${err / Math.abs(model)})`,
    );
    return;
  }
  if (model === null || typeof model !== 'object') {
    assert.deepEqual(chain, model, `${kind} ${path}`);
    return;
  }
  if (Array.isArray(model)) {
    assert.ok(Array.isArray(chain), `${kind} ${path}: the chain gives no array`);
    assert.equal((chain as unknown[]).length, model.length, `${kind} ${path}: lengths differ`);
    model.forEach((v, i) => {
      compareValues(kind, `${path}[${i}]`, (chain as unknown[])[i], v, skip);
    });
    return;
  }
  const c = chain as Record<string, unknown>;
  for (const [key, v] of Object.entries(model as Record<string, unknown>)) {
    if (path === '' && skip.includes(key)) continue;
    assert.ok(key in c, `${kind} ${path}.${key}: the model has it, the chain does not`);
    compareValues(kind, `${path}.${key}`, c[key], v, skip);
  }
}

describe('memoryless reduction through the language: a chain with every row p is the model p', () => {
  test('every query kind of the table has an invocation here', () => {
    assert.deepEqual(
      QUERIES.map((q) => q.name).sort(),
      Object.keys(INVOCATIONS).sort(),
      'add the new query kind to INVOCATIONS',
    );
  });

  const source = `${DOC}${QUERIES.map((q) => `${INVOCATIONS[q.name]('iid', 'q')}\n${INVOCATIONS[q.name]('chain', 'qc')}\n`).join('')}`;
  const analysis = analyze(source);
  const results = analysis.results;

  test('the document is analysed without unexpected errors', () => {
    const problems = analysis.diagnostics.filter(
      (d) => (d.severity === 'error' || d.severity === 'warning') && d.code !== 'memoryless-only',
    );
    assert.deepEqual(problems, [], source);
    assert.equal(results.length, 2 * QUERIES.length);
  });

  for (const [k, spec] of QUERIES.entries()) {
    test(`${spec.name}: the chain's numbers are the model's`, () => {
      const model: QueryResult = results[2 * k];
      const chain: QueryResult = results[2 * k + 1];
      assert.equal(model.query, spec.name);
      assert.equal(chain.query, spec.name);
      assert.equal(model.error, undefined, `${spec.name} on the model: ${model.error}`);
      if (spec.name in MEMORYLESS_ONLY) {
        assert.ok(chain.error !== undefined, `${spec.name} is memoryless-only: the chain must say so`);
        return;
      }
      assert.equal(chain.error, undefined, `${spec.name} on the chain: ${chain.error}`);
      compareValues(spec.name, '', chain.value, model.value, NOT_COMPARED[spec.name] ?? []);
    });

    if (!(spec.name in MEMORYLESS_ONLY))
      test(`${spec.name}: the chain's labels name its law of sequences p, the model's pⁿ`, () => {
        const model = results[2 * k].value!;
        const chain = results[2 * k + 1].value!;
        assert.ok((chain as { markov?: unknown }).markov, `${spec.name}: the chain's value says markov`);
        const pres = presentationOf(spec.name);
        const texts = (v: typeof model) => {
          const formula = pres.formula(v);
          return [
            ...pres.quantities(v).map((x) => x.label),
            ...(pres.curve?.(v)?.columns.map((c) => c.header) ?? []),
            formula.tex,
            ...formula.values.map((x) => x[0]),
          ];
        };
        const power = /[pqφ]ⁿ|\^n\b/;
        for (const t of texts(chain)) assert.doesNotMatch(t, power, `${spec.name} on the chain: '${t}'`);
        // The model's rows come first on both sides (the chain adds its readouts after them): a
        // row that names pⁿ is the chain's row with p, and the kinds that show a KL to the base
        // model, or a win rate against it, name it.
        const mine = pres.quantities(model).map((x) => x.label);
        const theirs = pres.quantities(chain).map((x) => x.label);
        mine.forEach((label, i) => {
          if (power.test(label))
            assert.equal(label.replace(/([pqφ])ⁿ/g, '$1'), theirs[i], `${spec.name}: row ${i}`);
        });
        const hasKL = [
          'tilt',
          'bon',
          'equivalence',
          'compare',
          'softbon',
          'blockbon',
          'reject',
          'methods',
        ].includes(spec.name);
        assert.equal(
          texts(model).some((t) => power.test(t)),
          hasKL,
          `${spec.name}: the model's labels ${hasKL ? 'name' : 'do not name'} pⁿ`,
        );
      });
  }
});
