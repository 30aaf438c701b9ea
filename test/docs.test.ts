// The repository's documentation stands on its own: no tracked file refers to a path outside the
// repository (the development machine's folders, someone's home folder), and every relative link
// in the Markdown files points to a file that exists, and to a heading that exists when it names
// one. The patterns below are written with escaped slashes, so this file never matches itself.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '..');

/** Paths outside the repository; a match preceded by a name character is part of a longer path. */
const OUTSIDE: readonly { readonly what: string; readonly pattern: RegExp }[] = [
  { what: 'the development machine’s work folder', pattern: /(?<![\w.~-])\/work\//g },
  { what: 'the shared folder next to the repository', pattern: /\.\.\/shared\b/g },
  { what: 'a shared math.md outside the repository', pattern: /\bshared\/math\.md\b/g },
  { what: 'root’s home folder', pattern: /(?<![\w.~-])\/root\//g },
  { what: 'a home folder', pattern: /(?<![\w.~-])\/(?:home|Users)\/[\w.-]+\//g },
  { what: 'a Windows home folder', pattern: /\b[A-Za-z]:\\+Users\\+[\w.-]+/g },
];

/** Tracked files (git's index), as paths relative to the repository root with '/' separators. */
function trackedFiles(): string[] {
  const r = spawnSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `git ls-files failed (${r.error?.message ?? r.stderr})`);
  return r.stdout.split('\0').filter((f) => f !== '');
}

/** The text of a tracked regular file, or null for binary files (a NUL byte) and non-files. */
function textOf(file: string): string | null {
  const path = join(root, file);
  if (!existsSync(path) || !lstatSync(path).isFile()) return null;
  const bytes = readFileSync(path);
  if (bytes.subarray(0, 8192).includes(0)) return null;
  return bytes.toString('utf8');
}

test('no tracked file refers to a path outside the repository', () => {
  const files = trackedFiles();
  assert.ok(files.includes('README.md') && files.includes('docs/math.md'), 'git ls-files lists the docs');
  const found: string[] = [];
  for (const file of files) {
    const text = textOf(file);
    if (text === null) continue;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      for (const { what, pattern } of OUTSIDE) {
        for (const m of lines[i].matchAll(pattern)) found.push(`${file}:${i + 1}: ${m[0]} (${what})`);
      }
    }
  }
  assert.deepEqual(found, [], `references to paths outside the repository:\n${found.join('\n')}`);
});

/** Lines outside fenced code blocks, with inline code spans blanked out. */
function proseLines(text: string): string[] {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of text.split('\n')) {
    const f = /^\s*(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (fence === null) fence = f[1][0];
      else if (f[1][0] === fence) fence = null;
      out.push('');
      continue;
    }
    out.push(fence === null ? line.replace(/(`+)[^`]*?\1/g, (s) => ' '.repeat(s.length)) : '');
  }
  return out;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to '-', repeats numbered. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | null = null;
  for (const line of text.split('\n')) {
    const f = /^\s*(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (fence === null) fence = f[1][0];
      else if (f[1][0] === fence) fence = null;
      continue;
    }
    if (fence !== null) continue;
    for (const a of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(a[1]);
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const plain = h[1].replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

test('relative links in the Markdown files point to files and headings that exist', () => {
  const markdown = trackedFiles().filter((f) => f.endsWith('.md'));
  assert.ok(markdown.includes('README.md'));
  const broken: string[] = [];
  for (const file of markdown) {
    const text = textOf(file);
    if (text === null) continue;
    const lines = proseLines(text);
    for (let i = 0; i < lines.length; i++) {
      const targets = [
        ...Array.from(lines[i].matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g), (m) => m[1]),
        ...Array.from(lines[i].matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/g), (m) => m[1]),
      ];
      for (const target of targets) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, …
        const where = `${file}:${i + 1}: ${target}`;
        const hash = target.indexOf('#');
        const pathPart = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
        const anchor = hash < 0 ? null : decodeURIComponent(target.slice(hash + 1));
        if (pathPart.startsWith('/')) {
          broken.push(`${where} (an absolute path)`);
          continue;
        }
        const resolved = pathPart === '' ? join(root, file) : resolve(root, dirname(file), pathPart);
        const rel = relative(root, resolved);
        if (rel.startsWith('..') || rel.startsWith(sep)) {
          broken.push(`${where} (outside the repository)`);
          continue;
        }
        if (!existsSync(resolved)) {
          broken.push(`${where} (no such file)`);
          continue;
        }
        if (anchor !== null && anchor !== '' && resolved.endsWith('.md')) {
          if (!anchorsOf(readFileSync(resolved, 'utf8')).has(anchor))
            broken.push(`${where} (no such heading)`);
        }
      }
    }
  }
  assert.deepEqual(broken, [], `broken relative links:\n${broken.join('\n')}`);
});
