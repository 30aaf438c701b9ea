// docs/language.md documents every query, parameter and diagnostic code; every example file
// analyses without errors and every query in it has a value.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyze, DIAGNOSTIC_CODES, QUERIES } from '../../src/language/index.js';

const root = join(import.meta.dirname, '..', '..');
const doc = readFileSync(join(root, 'docs', 'language.md'), 'utf8');

test('docs/language.md covers every query, parameter and diagnostic code', () => {
  const missing: string[] = [];
  for (const q of QUERIES) {
    if (!doc.includes(`### \`${q.name}\``)) missing.push(`query ${q.name}`);
    for (const p of q.params)
      if (!doc.includes(`| \`${p.name}\` |`)) missing.push(`parameter ${q.name}.${p.name}`);
  }
  for (const code of Object.keys(DIAGNOSTIC_CODES))
    if (!doc.includes(`| \`${code}\` |`)) missing.push(`code ${code}`);
  assert.deepEqual(missing, []);
});

test('every example analyses cleanly and every query has a value', () => {
  const dir = join(root, 'examples');
  const files = readdirSync(dir).filter((f) => f.endsWith('.align'));
  assert.ok(files.includes('paper.align'));
  for (const file of files) {
    const a = analyze(readFileSync(join(dir, file), 'utf8'), {
      file,
      readFile: (p) => readFileSync(join(dir, p), 'utf8'),
    });
    const problems = a.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
    assert.deepEqual(problems, [], `${file}: ${JSON.stringify(problems)}`);
    const failed = a.results.filter((r) => r.error);
    assert.deepEqual(failed, [], `${file}: ${JSON.stringify(failed)}`);
    assert.ok(a.results.length > 0, file);
  }
});
