// Requires an extension bundle with a stub `vscode` (every property a callable no-op proxy), then
// calls activate() with a stub context and exits: what activation loads and costs, without an
// editor. `node bench/activateStub.js dist/extension.js` (used by startup.bench.js and
// selfPlan.bench.js).
'use strict';
const Module = require('module');
const path = require('path');
const fs = require('fs');
const handler = {
  get(t, k) { if (k === 'then') return undefined; if (k === Symbol.toPrimitive) return () => ''; if (k === Symbol.iterator) return function* () {}; if (!(k in t)) t[k] = mk(); return t[k]; },
  set(t, k, v) { Reflect.defineProperty(t, k, { value: v, writable: true, configurable: true }); return true; },
  apply() { return mk(); }, construct() { return mk(); },
};
function mk() { return new Proxy(function () {}, handler); }
const bundle = path.resolve(process.argv[2]);
// The API names the bundle uses, as own properties (esbuild's namespace import copies own keys).
const api = {};
for (const m of fs.readFileSync(bundle, 'utf8').matchAll(/vscode\d*\.([A-Za-z_]+)/g)) api[m[1]] = mk();
const resolve = Module._resolveFilename;
Module._resolveFilename = function (req, ...rest) { return req === 'vscode' ? 'vscode' : resolve.call(this, req, ...rest); };
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: api };
const storage = fs.mkdtempSync(path.join(require('os').tmpdir(), 'hotpath-selfplan-storage-'));
const stub = mk();
const context = new Proxy({ subscriptions: [], extensionPath: path.dirname(path.dirname(bundle)), storageUri: { fsPath: storage } },
  { get: (t, k) => (k in t ? t[k] : stub) });
require(bundle).activate(context);
fs.rmSync(storage, { recursive: true, force: true });
// Activation is over; the watchers and timers it started would keep this process alive.
process.exit(0);
