// A stand-in for the `vscode` module (the real one exists only inside VS Code), for probes that
// load the extension bundle in a plain node child: test/package/activation.test.ts and the
// activation figure of bench/server.ts. Every property is a callable, constructible proxy and
// nothing is thenable; the top level lists the real API's exported names (read from
// @types/vscode) because bundlers copy a CommonJS module's own keys. Plain CommonJS on purpose:
// the probes run without tsx, whose on-the-fly compilation would distort the timing.
'use strict';
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

/** A proxy standing for the API value at `path` (e.g. "vscode.window.createWebviewPanel()"). */
function make(path) {
  return new Proxy(function mock() {}, {
    get(_t, prop) {
      if (prop === 'then') return undefined;
      if (prop === Symbol.toPrimitive) return () => path;
      if (prop === Symbol.iterator) return [][Symbol.iterator];
      return make(`${path}.${String(prop)}`);
    },
    apply: () => make(`${path}()`),
    construct: () => make(`new ${path}`),
  });
}

/**
 * Makes `require('vscode')` return the stand-in from now on; returns it so a probe can replace
 * the parts it records (e.g. `api.commands`).
 */
function installMockVscode(root) {
  const dts = readFileSync(join(root, 'node_modules/@types/vscode/index.d.ts'), 'utf8');
  const api = {};
  for (const m of dts.matchAll(/^\s*export (?:namespace|class|enum|function|const|let) (\w+)/gm))
    api[m[1]] = make(`vscode.${m[1]}`);
  api.version = '1.100.0';
  const load = Module._load;
  Module._load = (request, ...rest) => (request === 'vscode' ? api : load(request, ...rest));
  return api;
}

/** The ExtensionContext fields the extension reads. */
function mockContext(api, root) {
  return {
    subscriptions: [],
    extensionUri: api.Uri,
    asAbsolutePath: (p) => join(root, p),
    globalState: api.Memento,
    workspaceState: api.Memento,
  };
}

module.exports = { installMockVscode, make, mockContext };
