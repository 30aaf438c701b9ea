// Enforces the dependency direction  core ← language ← {server, cli}; src/node (file access on disk)
// sits between language/protocol and {cli, server}; client and webview share only protocol types. A violation names the file and the offending import.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  const abs = join(root, dir);
  let names: string[];
  try {
    names = readdirSync(abs);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    const path = join(abs, name);
    if (statSync(path).isDirectory()) out.push(...sources(relative(root, path)));
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

/** Every module specifier imported or required by a file. */
function importsOf(file: string): string[] {
  return importStatements(file).map((s) => s.spec);
}

function importStatements(file: string): { spec: string; typeOnly: boolean }[] {
  // Comments are blanked first so that prose such as `model m from "x.csv"` is not taken for an import.
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|(^|[^:'"`])\/\/.*$/gm, '$1');
  const out: { spec: string; typeOnly: boolean }[] = [];
  const re =
    /^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(new RegExp(re.source, 'gm'))) {
    out.push({ spec: m[1] ?? m[2] ?? m[3] ?? m[4], typeOnly: /^\s*(?:import|export)\s+type\s/.test(m[0]) });
  }
  return out;
}

/** The top-level area (`src/core`, `webview`, …) a relative import resolves to, or the package name. */
function target(file: string, spec: string): { area?: string; pkg?: string } {
  if (spec.startsWith('.')) {
    const rel = relative(root, resolve(dirname(file), spec))
      .split('\\')
      .join('/');
    const parts = rel.split('/');
    return { area: parts[0] === 'src' ? `src/${parts[1]}` : parts[0] };
  }
  const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
  return { pkg };
}

interface Rule {
  area: string;
  areas: string[]; // areas it may import from (itself implied)
  typeOnly?: string[]; // areas it may import from only with `import type`
  packages: (pkg: string) => boolean;
}

const nodeBuiltin = (p: string) => p.startsWith('node:');
const rules: Rule[] = [
  { area: 'src/core', areas: [], packages: () => false },
  { area: 'src/language', areas: ['src/core'], packages: () => false },
  // protocol may re-export the language's result *types* (`import type`, erased from bundles).
  {
    area: 'src/protocol',
    areas: ['src/language'],
    typeOnly: ['src/language'],
    packages: (p) => p === 'vscode-languageserver-protocol' || p === 'vscode-jsonrpc',
  },
  // Reading files on disk, shared by the CLI and the node language server.
  { area: 'src/node', areas: ['src/language', 'src/protocol'], packages: (p) => nodeBuiltin(p) },
  {
    area: 'src/cli',
    areas: ['src/core', 'src/language', 'src/protocol', 'src/node'],
    packages: (p) => nodeBuiltin(p),
  },
  {
    area: 'src/server',
    areas: ['src/core', 'src/language', 'src/protocol', 'src/node'],
    packages: (p) =>
      nodeBuiltin(p) || p.startsWith('vscode-languageserver') || p === 'vscode-jsonrpc' || p === 'vscode-uri',
  },
  {
    area: 'src/client',
    areas: ['src/protocol'],
    packages: (p) =>
      nodeBuiltin(p) || p === 'vscode' || p.startsWith('vscode-languageclient') || p === 'vscode-uri',
  },
  { area: 'webview', areas: ['src/protocol'], packages: (p) => !nodeBuiltin(p) && p !== 'vscode' },
];

for (const rule of rules) {
  test(`layering: ${rule.area} imports only what it may`, () => {
    const violations: string[] = [];
    for (const file of sources(rule.area)) {
      for (const { spec, typeOnly } of importStatements(file)) {
        const t = target(file, spec);
        const allowed = t.area
          ? t.area === rule.area ||
            (rule.areas.includes(t.area) && (typeOnly || !rule.typeOnly?.includes(t.area)))
          : rule.packages(t.pkg ?? '');
        if (!allowed) violations.push(`${relative(root, file)} imports '${spec}'`);
      }
    }
    assert.deepEqual(violations, [], `forbidden imports:\n${violations.join('\n')}`);
  });
}

test('layering: the web-worker server does not reach src/node (it has no file system)', () => {
  // src/server may import src/node only from its node entry point, main.ts.
  const offenders = sources('src/server')
    .filter((f) => !f.endsWith(join('src', 'server', 'main.ts')))
    .flatMap((f) =>
      importsOf(f)
        .filter((spec) => target(f, spec).area === 'src/node')
        .map((spec) => `${relative(root, f)} imports '${spec}'`),
    );
  assert.deepEqual(offenders, []);
});

test('layering: the import scanner sees imports (self-check)', () => {
  const file = join(root, 'test/architecture.test.ts');
  assert.ok(importsOf(file).includes('node:assert/strict'));
  // A comment that reads like an import (see the blanking above) is not one.
  assert.ok(!importsOf(file).includes('x.csv'));
  assert.deepEqual(target(join(root, 'src/core/x.ts'), '../language/y'), { area: 'src/language' });
});
