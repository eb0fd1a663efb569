#!/usr/bin/env node
// `npm run package`: production build, then `vsce package` into hotpath-<version>.vsix (vsce prints the file list).
// Dependencies are bundled by esbuild, so vsce runs with --no-dependencies; .vscodeignore keeps
// the package to dist/, media/ and the manifest files.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const pkg = require(path.join(root, 'package.json'));
const out = path.join(root, `${pkg.name}-${pkg.version}.vsix`);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`package: ${[cmd, ...args].join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

// Built in place (other tools use dist/ too); .vscodeignore leaves source maps out of the package.
run(process.execPath, ['esbuild.js', '--production']);
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
// No repository is published yet: keep README links relative (they resolve inside the package).
const flags = ['--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links'];
run(process.execPath, [vsce, 'package', ...flags, '--out', out]);
const mb = fs.statSync(out).size / 2 ** 20;
// Put the development build (with source maps) back for the tests and the CLI.
if (!process.argv.includes('--keep-production')) run(process.execPath, ['esbuild.js', '--quiet']);
console.log(`package: ${path.relative(root, out)} (${mb.toFixed(2)} MiB)`);
