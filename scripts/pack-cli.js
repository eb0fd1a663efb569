#!/usr/bin/env node
// `npm run pack:cli [-- --out DIR]`: the CLI as its own npm package, `hotpath` with the `hotpath`
// bin (`npx hotpath ...`), built from the same core as the extension: a production build of the
// CLI's bundles into a staging folder (out/cli-package), a package.json generated from the
// repository's, the package README (scripts/packaging.js), then `npm pack` into DIR (default
// out/packages). Prints the tarball's path on the last line. No runtime dependencies: the
// bundles carry them (the TypeScript compiler once, dist/engines/typescript.js); 0x is an
// optional peer (the 0x engine looks for it in the profiled project first).
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { repo, stage, buildProduction, copyFiles, writePackageReadme } = require('./packaging');

const root = require(path.join(repo, 'package.json'));
const outArg = process.argv.indexOf('--out');
const outDir = path.resolve(outArg >= 0 ? process.argv[outArg + 1] : path.join(repo, 'out', 'packages'));

const dir = stage('cli-package');
buildProduction(dir, ['cli', 'preload', 'engines', 'webview']);
// Everything these targets built (the registry and one bundle per command, the preload, the run
// guard, the samples worker, the compiler and rank's worker, the report's page) except the bundles
// only the extension loads, which the engines and webview targets build too.
const extensionOnly = new Set(['engines/rank.js', 'engines/refactor.js', 'webview/prove.js', 'webview/diff.js', 'webview/chartjs.js', 'webview/leaks.js', 'webview/live.js']);
const wanted = (f) => f.endsWith('.js') && !extensionOnly.has(f);
for (const f of fs.readdirSync(path.join(dir, 'dist'), { recursive: true, withFileTypes: true })) {
  if (!f.isFile()) continue;
  const rel = path.relative(path.join(dir, 'dist'), path.join(f.parentPath ?? f.path, f.name)).split(path.sep).join('/');
  if (!wanted(rel)) fs.rmSync(path.join(dir, 'dist', rel));
}
copyFiles(dir, ['LICENSE', 'CHANGELOG.md', 'media/flame.css']);
writePackageReadme(dir);
const pkg = {
  name: 'hotpath',
  version: root.version,
  description: 'Profile Node.js programs (every process and worker), rank modules by what there is to gain, apply safe performance fixes and prove the speed-up: the CLI of the Hotpath VS Code extension.',
  license: root.license,
  bin: { hotpath: 'dist/cli.js' },
  engines: { node: root.engines.node },
  files: ['dist', 'media', 'docs', 'README.md', 'LICENSE', 'CHANGELOG.md'],
  keywords: ['profiler', 'performance', 'cpuprofile', 'flamegraph', 'benchmark', 'startup', 'cli'],
  ...(root.repository ? { repository: root.repository } : {}),
  peerDependencies: { '0x': root.devDependencies['0x'] },
  peerDependenciesMeta: { '0x': { optional: true } },
};
fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
fs.mkdirSync(outDir, { recursive: true });
const r = spawnSync('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: dir, encoding: 'utf8' });
if (r.status !== 0) {
  process.stderr.write(r.stderr);
  throw new Error(`npm pack failed (exit ${r.status})`);
}
const [info] = JSON.parse(r.stdout);
console.log(`pack-cli: ${info.entryCount} files, ${(info.size / 2 ** 20).toFixed(2)} MiB packed, ${(info.unpackedSize / 2 ** 20).toFixed(2)} MiB unpacked`);
console.log(path.join(outDir, info.filename));
