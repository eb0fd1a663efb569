// Preload for bench/topLevelSync.bench.js: times the synchronous work CommonJS modules do while
// they evaluate (the top level of a module, and functions it calls then): fs *Sync calls,
// child_process *Sync calls and JSON.parse. Reads the module loader makes itself (the source of
// the next module, package.json files) are not counted. Writes a JSON summary to
// $HOTPATH_TLS_OUT when the process exits. CommonJS only: ES module evaluation is not seen.
'use strict';
const Module = require('module');
const fs = require('fs');
const cp = require('child_process');
const { performance } = require('perf_hooks');
const started = performance.now();
const stack = []; // 'module' while a module's body runs, 'loader' while the loader reads or parses
let inCall = false;
const totals = {}; // kind -> { ms, calls }
const sites = {}; // module file -> ms
const current = [];

function wrap(owner, name, kind) {
  const orig = owner[name];
  if (typeof orig !== 'function') return;
  owner[name] = function (...args) {
    if (inCall || stack[stack.length - 1] !== 'module') return orig.apply(this, args);
    inCall = true;
    const t = performance.now();
    try { return orig.apply(this, args); } finally {
      const ms = performance.now() - t;
      inCall = false;
      const k = `${kind}.${name}`;
      (totals[k] ??= { ms: 0, calls: 0 }).ms += ms;
      totals[k].calls++;
      const file = current[current.length - 1] ?? '?';
      sites[file] = (sites[file] ?? 0) + ms;
    }
  };
}
// Reads and lookups (writes are the program's output, not deferrable set-up work).
for (const name of ['readFileSync', 'readdirSync', 'statSync', 'lstatSync', 'existsSync', 'accessSync', 'realpathSync', 'openSync', 'readSync']) wrap(fs, name, 'fs');
for (const name of ['execSync', 'execFileSync', 'spawnSync']) wrap(cp, name, 'child_process');
wrap(JSON, 'parse', 'JSON');

for (const ext of Object.keys(Module._extensions)) {
  const orig = Module._extensions[ext];
  Module._extensions[ext] = function (module, filename) {
    stack.push('loader');
    try { return orig.call(this, module, filename); } finally { stack.pop(); }
  };
}
// Resolving a require() (realpath, stat of candidates) is the loader's work too.
for (const name of ['_resolveFilename', '_load']) {
  const orig = Module[name];
  Module[name] = function (...args) {
    stack.push('loader');
    try { return orig.apply(this, args); } finally { stack.pop(); }
  };
}
const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) {
  stack.push('module');
  current.push(filename);
  try { return compile.call(this, content, filename); } finally { stack.pop(); current.pop(); }
};

process.on('exit', () => {
  const out = process.env.HOTPATH_TLS_OUT;
  if (!out) return;
  const top = Object.entries(sites).sort((a, b) => b[1] - a[1]).slice(0, 5);
  require('fs').writeFileSync(out, JSON.stringify({ wallMs: performance.now() - started, totals, top }));
});
