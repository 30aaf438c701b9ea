// The TextMate grammar: scope assertions in test/grammar/*.align (vscode-tmgrammar-test format,
// `#` comment lines with ^ markers), plus a check that the grammar's hard-coded names agree with
// the language's tables, so adding a query cannot leave it uncoloured.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { FUNCTIONS, KEYWORDS, MODEL_FIELDS, QUERIES } from '../../src/language/index.js';

const root = resolve(import.meta.dirname, '../..');
const grammarPath = join(root, 'syntaxes/align.tmLanguage.json');

test('grammar scope assertions (vscode-tmgrammar-test)', () => {
  const cli = join(root, 'node_modules/vscode-tmgrammar-test/dist/unit.js');
  const r = spawnSync(process.execPath, [cli, '-g', grammarPath, 'test/grammar/*.align'], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /declarations\.align run successfuly/);
  assert.match(r.stdout, /queries\.align run successfuly/);
});

test('the grammar names every query, field, keyword and built-in function of the language', () => {
  const text = readFileSync(grammarPath, 'utf8');
  const grammar = JSON.parse(text) as { repository: Record<string, { begin?: string; match?: string }> };
  const query = grammar.repository.query.begin ?? '';
  for (const q of QUERIES) assert.ok(query.includes(q.name), `query ${q.name} in the grammar`);
  for (const f of MODEL_FIELDS) assert.ok(text.includes(f.name), `field ${f.name}`);
  for (const k of KEYWORDS) assert.ok(new RegExp(`\\(${k}\\)|\\b${k}\\b`).test(text), `keyword ${k}`);
  for (const f of FUNCTIONS) assert.ok(text.includes(f.name), `function ${f.name}`);
});
