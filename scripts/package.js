#!/usr/bin/env node
// `npm run package [-- --out FILE]`: the .vsix (default hotpath-<version>.vsix). A production build
// goes into a staging folder, out/vsix (dist/ keeps the development build the tests and the CLI
// use), with the package README (scripts/packaging.js: no developer set-up, every link packaged)
// and the files the installed extension runs; then `vsce package` there (it prints the file list).
// Dependencies are bundled by esbuild (the TypeScript compiler once, dist/engines/typescript.js),
// so vsce runs with --no-dependencies.
'use strict';
const fs = require('fs');
const path = require('path');
const { repo, run, stage, buildProduction, copyFiles, writePackageReadme } = require('./packaging');

const pkg = require(path.join(repo, 'package.json'));
const outArg = process.argv.indexOf('--out');
const out = path.resolve(outArg >= 0 ? process.argv[outArg + 1] : path.join(repo, `${pkg.name}-${pkg.version}.vsix`));

const dir = stage('vsix');
buildProduction(dir, ['extension', 'preload', 'engines', 'webview']);
// What the installed extension runs: its bundles (no source maps), media, the manifest files.
for (const f of fs.readdirSync(path.join(dir, 'dist'), { recursive: true })) {
  if (f.endsWith('.map')) fs.rmSync(path.join(dir, 'dist', f));
}
copyFiles(dir, ['package.json', 'LICENSE', 'CHANGELOG.md', ...fs.readdirSync(path.join(repo, 'media'), { recursive: true })
  .filter((f) => fs.statSync(path.join(repo, 'media', f)).isFile()).map((f) => `media/${f.split(path.sep).join('/')}`)]);
const linked = writePackageReadme(dir);
fs.writeFileSync(path.join(dir, '.vscodeignore'), '**/*.map\n');
console.log(`package: README.md with ${linked.length} linked file(s): ${linked.join(', ')}`);

const vsce = path.join(repo, 'node_modules', '@vscode', 'vsce', 'vsce');
// No repository is published yet: README links stay relative (they resolve inside the package).
const flags = pkg.repository ? ['--no-dependencies'] : ['--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links'];
fs.mkdirSync(path.dirname(out), { recursive: true });
run(process.execPath, [vsce, 'package', ...flags, '--out', out], { cwd: dir });
console.log(`package: ${path.relative(process.cwd(), out) || out} (${(fs.statSync(out).size / 2 ** 20).toFixed(2)} MiB)`);
