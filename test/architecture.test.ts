// Enforces the dependency directions of docs/architecture.md:
//   core ← language ← {server, cli}; src/node (file access on disk) serves cli and the node
//   server's entry point;  presentation (results contract, query table, formatting) is
//   a leaf read by language, protocol, server, cli and the webview; client and webview share only
//   protocol (and presentation) with the rest. Inside the language layer the stages point one way
//   (syntax ← checking ← evaluation; editor aids read syntax and checking), nothing outside the
//   core imports past src/core/index.ts, and no module of src/ or webview/ is part of an import
//   cycle. A violation names the file and the offending import.
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
  { area: 'src/presentation', areas: [], packages: () => false },
  { area: 'src/language', areas: ['src/core', 'src/presentation'], packages: () => false },
  {
    area: 'src/protocol',
    areas: ['src/presentation'],
    packages: (p) => p === 'vscode-languageserver-protocol' || p === 'vscode-jsonrpc',
  },
  // Reading files on disk, shared by the CLI and the node language server (its main.ts only).
  {
    area: 'src/node',
    areas: ['src/language', 'src/presentation', 'src/protocol'],
    packages: (p) => nodeBuiltin(p),
  },
  {
    area: 'src/cli',
    areas: ['src/language', 'src/presentation', 'src/protocol', 'src/node'],
    packages: (p) => nodeBuiltin(p),
  },
  {
    area: 'src/server',
    areas: ['src/language', 'src/presentation', 'src/protocol', 'src/node'],
    packages: (p) =>
      nodeBuiltin(p) || p.startsWith('vscode-languageserver') || p === 'vscode-jsonrpc' || p === 'vscode-uri',
  },
  {
    area: 'src/client',
    areas: ['src/protocol'],
    packages: (p) =>
      nodeBuiltin(p) || p === 'vscode' || p.startsWith('vscode-languageclient') || p === 'vscode-uri',
  },
  {
    area: 'webview',
    areas: ['src/protocol', 'src/presentation'],
    packages: (p) => !nodeBuiltin(p) && p !== 'vscode',
  },
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

/** The file a relative specifier resolves to (`.js` written for `.ts`), or undefined. */
function resolveFile(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(file), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

test('layering: outside src/core, only src/core/index.ts is imported (the documented API)', () => {
  const index = join(root, 'src/core/index.ts');
  const violations: string[] = [];
  for (const area of ['src', 'webview']) {
    for (const file of sources(area)) {
      if (file.startsWith(join(root, 'src/core'))) continue;
      for (const spec of importsOf(file)) {
        const to = resolveFile(file, spec);
        if (to?.startsWith(join(root, 'src/core')) && to !== index)
          violations.push(`${relative(root, file)} imports '${spec}'`);
      }
    }
  }
  assert.deepEqual(violations, [], `imports past the core's index:\n${violations.join('\n')}`);
});

/** The stages of the language layer and the stages each may import. */
const STAGES: Record<string, string[]> = {
  syntax: [],
  checking: ['syntax'],
  evaluation: ['syntax', 'checking'],
  editor: ['syntax', 'checking'],
};

test('layering: the language stages point one way (syntax ← checking ← evaluation; editor)', () => {
  const violations: string[] = [];
  const languageRoot = join(root, 'src/language');
  const stageOf = (f: string) => relative(languageRoot, f).split(/[\\/]/)[0];
  for (const [stage, allowed] of Object.entries(STAGES)) {
    for (const file of sources(`src/language/${stage}`)) {
      for (const spec of importsOf(file)) {
        const to = resolveFile(file, spec);
        if (!to?.startsWith(languageRoot)) continue;
        const target = stageOf(to);
        // Files at the language root: diagnostics.ts (codes and sink) and suggest.ts ("did you
        // mean"), read by every stage, are allowed; the pipeline (analyze.ts) and index.ts sit
        // above every stage.
        if (target === 'diagnostics.ts' || target === 'suggest.ts') continue;
        if (target !== stage && !allowed.includes(target))
          violations.push(`${relative(root, file)} (${stage}) imports '${spec}' (${target})`);
      }
    }
  }
  assert.deepEqual(violations, [], `stage violations:\n${violations.join('\n')}`);
});

test('layering: no import cycles in src/ or webview/ (type-only imports included)', () => {
  const graph = new Map<string, string[]>();
  for (const area of ['src', 'webview']) {
    for (const file of sources(area)) {
      const deps: string[] = [];
      for (const spec of importsOf(file)) {
        const to = resolveFile(file, spec);
        if (to) deps.push(to);
      }
      graph.set(file, deps);
    }
  }
  // Tarjan's strongly connected components: a component of more than one file is a cycle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(relative(root, w));
      } while (w !== v);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  assert.deepEqual(cycles, [], `import cycles:\n${cycles.map((c) => c.join(' ↔ ')).join('\n')}`);
});
