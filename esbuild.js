// Builds every bundle of the project. `node esbuild.js [--production] [--watch] [--only a,b] [--quiet]`.
// Each target is its own bundle: the extension must stay small at activation, so heavy engines
// (TypeScript, ts-morph) live in separate bundles that the extension requires on first use.
const esbuild = require('esbuild');
const path = require('path');

const args = process.argv.slice(2);
const production = args.includes('--production');
const watch = args.includes('--watch');
const quiet = args.includes('--quiet');
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? new Set(args[onlyArg + 1].split(',')) : null;

const node = { platform: 'node', format: 'cjs', target: 'node20' };
const targets = [
  // The VS Code adapter. `vscode` is provided by the host.
  { name: 'extension', entryPoints: ['src/extension/activate.ts'], outfile: 'dist/extension.js', external: ['vscode'], ...node },
  // Worker thread the extension loads profiles in (off the extension host's thread).
  { name: 'extension', entryPoints: { profileLoader: 'src/extension/runs/loaderWorker.ts' }, outdir: 'dist', ...node },
  // Worker thread that reads the samples of a big .cpuprofile while the nodes are read (see
  // src/core/profile/parallelSamples.ts): it must sit next to every bundle that opens profiles
  // (dist/extension.js, dist/profileLoader.js, dist/cli.js), so it is built with either target.
  { name: 'profileWorker', with: ['extension', 'cli'], entryPoints: { profileIngestWorker: 'src/core/profile/samplesWorker.ts' }, outdir: 'dist', ...node },
  // The headless CLI, the same core as the extension.
  { name: 'cli', entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, ...node },
  // Injected into every profiled Node process with NODE_OPTIONS=--require: no dependencies.
  { name: 'preload', entryPoints: ['src/core/runner/preload.ts'], outfile: 'dist/preload.js', ...node },
  // The run guard (src/core/runner/guard.ts): ends a target's tree when Hotpath dies; next to every bundle that runs targets.
  { name: 'runGuard', with: ['preload', 'cli', 'extension'], entryPoints: { runGuard: 'src/core/runner/guardMain.ts' }, outdir: 'dist', ...node },
  // Heavy engines, loaded lazily by the extension (never at activation).
  { name: 'engines', entryPoints: { rank: 'src/core/rank/index.ts', refactor: 'src/core/refactor/index.ts', rankWorker: 'src/core/rank/worker.ts' }, outdir: 'dist/engines', ...node },
  // Browser side of the panels.
  { name: 'webview', entryPoints: { flame: 'webview/flame/main.ts', prove: 'webview/prove/main.ts', diff: 'webview/diff/main.ts' }, outdir: 'dist/webview', platform: 'browser', format: 'iife', target: 'es2022' },
  // Tests that run inside a real VS Code extension host (see test/vscode/README.md).
  { name: 'vscode-tests', entryPoints: ['test/vscode/suite/*.ts'], outdir: 'out/test/vscode/suite', external: ['vscode', 'mocha'], ...node },
];

const fs = require('fs');
function exists(entry) {
  const files = typeof entry === 'object' && !Array.isArray(entry) ? Object.values(entry) : entry;
  return files.every((f) => f.includes('*') ? fs.existsSync(path.dirname(f)) : fs.existsSync(f));
}

async function main() {
  const selected = targets.filter((t) => (!only || only.has(t.name) || (t.with || []).some((n) => only.has(n))) && exists(t.entryPoints));
  const started = Date.now();
  await Promise.all(selected.map(async ({ name, with: _with, ...options }) => {
    const config = {
      bundle: true,
      sourcemap: production ? false : 'linked',
      minify: production,
      logLevel: quiet ? 'error' : 'warning',
      legalComments: 'none',
      ...options,
    };
    if (watch) {
      const ctx = await esbuild.context(config);
      await ctx.watch();
      console.log(`[watch] ${name}`);
    } else {
      await esbuild.build(config);
    }
  }));
  if (!watch && !quiet) console.log(`built ${selected.map((t) => t.name).join(', ')} in ${Date.now() - started} ms`);
}

main().catch((err) => {
  console.error(err.message || err);
  process.exit(1);
});
