// The per-document cache: a one-character edit re-evaluates one query; results equal a fresh run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AnalysisCache, analyze } from '../../src/language/index.js';

const paper = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'paper.align'), 'utf8');

test('cached analysis equals uncached analysis, and only the edited query misses', () => {
  const cache = new AnalysisCache();
  const first = analyze(paper, { cache });
  assert.deepEqual(first, analyze(paper), 'a cold cache changes nothing');
  const queries = first.results.length;
  assert.equal(cache.misses, queries);
  const edited = paper.replace('frontier(chat, steps = 64)', 'frontier(chat, steps = 65)');
  const before = { hits: cache.hits, misses: cache.misses };
  const second = analyze(edited, { cache });
  assert.equal(cache.misses - before.misses, 1, 'one query re-evaluated');
  assert.equal(cache.hits - before.hits, queries - 1);
  assert.deepEqual(second, analyze(edited), 'cached results equal a fresh evaluation');
});

test('ranges are remapped: inserting lines above reuses every result at its new position', () => {
  const cache = new AnalysisCache();
  analyze(paper, { cache });
  const misses = cache.misses;
  const shifted = `# a new first line\n\n${paper}`;
  const a = analyze(shifted, { cache });
  assert.equal(cache.misses, misses, 'no re-evaluation');
  assert.deepEqual(a, analyze(shifted));
  // A model edit invalidates that model's queries only (here: all of them, one model).
  analyze(shifted.replace('length  32', 'length  31'), { cache });
  assert.equal(cache.misses - misses, a.results.length);
});

test('entries unused for two analyses are dropped', () => {
  const cache = new AnalysisCache();
  analyze(paper, { cache });
  const full = cache.size;
  analyze('', { cache });
  analyze('', { cache });
  assert.ok(full > 0);
  assert.equal(cache.size, 0);
});
