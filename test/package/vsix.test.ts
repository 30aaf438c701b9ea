// The packaged extension: `vsce package` (after a build) produces a .vsix whose files are
// exactly the allow-list of .vscodeignore (no sources, tests, maps or node_modules), under 3 MB,
// without vsce warnings; and the manifest agrees with the code (commands, settings, entry points).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Commands, defaultServerSettings } from '../../src/protocol/protocol.js';

const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** `!path` lines of .vscodeignore (the allow-list), as regular expressions over archive paths. */
function allowList(): { pattern: string; re: RegExp }[] {
  return readFileSync(join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('!'))
    .map((l) => l.slice(1))
    .map((pattern) => ({
      pattern,
      re: new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*\*/g, '.+')
          .replace(/\*/g, '[^/]+')}$`,
        'i',
      ),
    }));
}

describe('packaged .vsix', () => {
  let dir: string;
  let vsix: string;
  let output: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'align-vsix-'));
    vsix = join(dir, 'align-lab.vsix');
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
    assert.equal(b.status, 0, `build failed:\n${b.stdout}\n${b.stderr}`);
    const vsce = join(root, 'node_modules/@vscode/vsce/vsce');
    const p = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '-o', vsix], {
      cwd: root,
      encoding: 'utf8',
    });
    output = `${p.stdout}\n${p.stderr}`;
    assert.equal(p.status, 0, `vsce package failed:\n${output}`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('holds exactly the allow-listed files', () => {
    const listing = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8' });
    assert.equal(listing.status, 0, listing.stderr);
    const files = listing.stdout
      .split('\n')
      .filter((f) => f.startsWith('extension/'))
      .map((f) => f.slice('extension/'.length))
      // vsce renames LICENSE → LICENSE.txt and lower-cases readme/changelog.
      .map((f) => (f === 'LICENSE.txt' ? 'LICENSE' : f));
    const allowed = allowList();
    const stray = files.filter((f) => !allowed.some((a) => a.re.test(f)));
    assert.deepEqual(stray, [], 'files outside the allow-list');
    // Every exact (non-glob) entry is present: the extension cannot run without it.
    const exact = allowed.filter((a) => !a.pattern.includes('*')).map((a) => a.re);
    const missing = exact.filter((re) => !files.some((f) => re.test(f)));
    assert.deepEqual(missing, [], 'allow-listed files missing from the .vsix');
    for (const f of files) assert.ok(!/\.(map|ts)$|^(src|test|node_modules)\//.test(f), `${f} must not ship`);
  });

  it('is at most 3 MB and packs without warnings', () => {
    assert.ok(statSync(vsix).size <= 3 * 1024 * 1024, `${statSync(vsix).size} bytes`);
    assert.doesNotMatch(output, /WARNING/i);
  });
});

describe('manifest', () => {
  it('contributes every command the extension registers, and no other', () => {
    const contributed = pkg.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(contributed, Object.values(Commands).sort());
    const referenced = [
      ...pkg.contributes.keybindings.map((k: { command: string }) => k.command),
      ...Object.values(pkg.contributes.menus as Record<string, { command: string }[]>).flatMap((m) =>
        m.map((x) => x.command),
      ),
    ];
    for (const c of referenced) assert.ok(contributed.includes(c), `${c} is contributed`);
  });

  it('declares every setting the server reads, with the same defaults', () => {
    const props = pkg.contributes.configuration.properties;
    assert.equal(props['alignLab.debounceMs'].default, defaultServerSettings.debounceMs);
    assert.equal(props['alignLab.significantDigits'].default, defaultServerSettings.significantDigits);
    assert.equal(props['alignLab.inlayHints.enabled'].default, defaultServerSettings.inlayHints.enabled);
    assert.equal(props['alignLab.codeLens.enabled'].default, defaultServerSettings.codeLens.enabled);
    assert.equal(props['alignLab.maxExactSize'].default, defaultServerSettings.maxExactSize);
    assert.equal(props['alignLab.queryTimeLimitMs'].default, defaultServerSettings.queryTimeLimitMs);
    assert.ok(props['alignLab.preview.followActiveEditor']);
  });

  it('contributes no static snippets (completion offers templates where they fit, from the server)', () => {
    assert.equal(pkg.contributes.snippets, undefined);
  });

  it('points at the bundles and files it ships', () => {
    assert.equal(pkg.main, './dist/extension.js');
    assert.equal(pkg.browser, './dist/extension-browser.js');
    assert.equal(pkg.engines.vscode, '^1.100.0');
    assert.ok(pkg.activationEvents.includes('onLanguage:align'));
    for (const f of [
      pkg.icon,
      pkg.contributes.languages[0].configuration,
      pkg.contributes.grammars[0].path,
    ]) {
      assert.ok(existsSync(join(root, f)), `${f} exists`);
    }
    const build = readFileSync(join(root, 'scripts/build.mjs'), 'utf8');
    for (const out of [
      'dist/extension.js',
      'dist/extension-browser.js',
      'dist/server.js',
      'dist/server-browser.js',
    ]) {
      assert.ok(build.includes(`out: '${out}'`), `${out} is built by scripts/build.mjs`);
    }
  });

  it('ships a 128×128 PNG icon', () => {
    const png = readFileSync(join(root, pkg.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.equal(png.readUInt32BE(16), 128);
    assert.equal(png.readUInt32BE(20), 128);
  });
});
