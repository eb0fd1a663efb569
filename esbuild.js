// Builds every bundle of the project. `node esbuild.js [--production] [--watch] [--only a,b] [--quiet] [--out-root DIR]`
// (--out-root: write dist/ under DIR instead of the repository, e.g. a package's staging folder).
// Each target is its own bundle: the extension must stay small at activation, so heavy engines
// (the TypeScript compiler) live in separate bundles that the extension requires on first use.
const esbuild = require('esbuild');
const path = require('path');

const args = process.argv.slice(2);
const production = args.includes('--production');
const watch = args.includes('--watch');
const quiet = args.includes('--quiet');
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? new Set(args[onlyArg + 1].split(',')) : null;
const outRootArg = args.indexOf('--out-root');
const OUT_ROOT = outRootArg >= 0 ? path.resolve(args[outRootArg + 1]) : __dirname;

const fs = require('fs');
const node = { platform: 'node', format: 'cjs', target: 'node20' };

// The extension's feature bundles: every `require('./<dir>/<file>')` in src/extension/lazy.ts becomes
// dist/ext-<file>.js, loaded on the feature's first use (activation parses only dist/extension.js).
const EXTENSION_LAZY = path.join(__dirname, 'src', 'extension', 'lazy.ts');
function extensionFeatures() {
  return [...fs.readFileSync(EXTENSION_LAZY, 'utf8').matchAll(/require\('\.\/([\w/]+)'\)/g)].map((m) => m[1]);
}
const featureBundles = {
  name: 'extension-feature-bundles',
  setup(build) {
    build.onResolve({ filter: /^\.\/[\w/]+$/ }, (args) =>
      args.kind === 'require-call' && path.resolve(args.importer) === EXTENSION_LAZY ? { path: `./ext-${path.basename(args.path)}.js`, external: true } : undefined);
  },
};

// The CLI's commands: every `import('./<name>')` in the registry, src/cli/commands/index.ts.
const CLI_REGISTRY = path.join(__dirname, 'src', 'cli', 'commands', 'index.ts');
function cliCommands() {
  return [...fs.readFileSync(CLI_REGISTRY, 'utf8').matchAll(/import\('\.\/(\w+)'\)/g)].map((m) => m[1]);
}
const commandBundles = {
  name: 'cli-command-bundles',
  setup(build) {
    build.onResolve({ filter: /^\.\/\w+$/ }, (args) =>
      args.kind === 'dynamic-import' && path.resolve(args.importer) === CLI_REGISTRY ? { path: `./cli-${args.path.slice(2)}.js`, external: true } : undefined);
  },
};
// A command's later part: a `require('./<part>')` in a command's file is its own bundle too,
// dist/cli-<part>.js, loaded only when the command gets that far (`profile --help` never loads the runner).
const CLI_COMMANDS = path.join(__dirname, 'src', 'cli', 'commands');
function cliCommandParts() {
  return [...new Set(cliCommands().flatMap((c) => [...fs.readFileSync(path.join(CLI_COMMANDS, `${c}.ts`), 'utf8').matchAll(/require\('\.\/(\w+)'\)/g)].map((m) => m[1])))];
}
const commandParts = {
  name: 'cli-command-parts',
  setup(build) {
    build.onResolve({ filter: /^\.\/\w+$/ }, (args) =>
      args.kind === 'require-call' && path.dirname(path.resolve(args.importer)) === CLI_COMMANDS ? { path: `./cli-${args.path.slice(2)}.js`, external: true } : undefined);
  },
};

// One copy of the TypeScript compiler: `dist/engines/typescript.js`. Every bundle that parses
// source (the engines, the CLI's rank and fixes commands) requires that file at run time instead of
// bundling its own copy, and loads it only when it parses (never at CLI start or activation).
const TYPESCRIPT_BUNDLE = path.join(OUT_ROOT, 'dist', 'engines', 'typescript.js');
const typescriptStamp = () => `// typescript ${require('typescript/package.json').version} ${production ? 'production' : 'development'}`;
function firstLine(file) {
  try { return fs.readFileSync(file, 'utf8').slice(0, 200).split('\n')[0]; } catch { return undefined; }
}
const sharedTypescript = ({ lazy = false } = {}) => ({
  name: 'shared-typescript',
  setup(build) {
    const outDir = build.initialOptions.outdir || path.dirname(build.initialOptions.outfile);
    let rel = path.relative(path.resolve(OUT_ROOT, outDir), TYPESCRIPT_BUNDLE).split(path.sep).join('/');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    if (!lazy) {
      build.onResolve({ filter: /^typescript$/ }, () => ({ path: rel, external: true }));
      return;
    }
    // The CLI's commands: `typescript` is a small module whose every export is a getter that
    // requires the compiler on first use, so `rank --help`, a bad flag or a measured-only rank
    // never load its 9 MB (0.6-0.9 s of CPU per call measured).
    build.onResolve({ filter: /^typescript$/ }, () => ({ path: 'typescript', namespace: 'lazy-typescript' }));
    build.onResolve({ filter: /.*/, namespace: 'lazy-typescript' }, (a) => ({ path: a.path, external: true }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-typescript' }, () => ({ contents: lazyTypescript(rel), loader: 'js' }));
  },
});
function lazyTypescript(rel) {
  const names = Object.keys(require('typescript'));
  return `let ts;\nconst load = () => ts || (ts = require(${JSON.stringify(rel)}));\n` +
    `for (const k of ${JSON.stringify(names)}) Object.defineProperty(exports, k, { enumerable: true, get: () => load()[k] });\n`;
}
// The refactor engine's slice of the e18e module-replacements data (see scripts/replacementsSubset.js):
// in every bundle that holds the refactor engine (the engines, the CLI's commands).
const replacementsSubset = require('./scripts/replacementsSubset').plugin;
// One chart.js for the panels that chart: `chart.js` imported anywhere but webview/shared/chartjs.ts
// reads what that script left on globalThis (the page loads dist/webview/chartjs.js first).
const CHARTJS_ENTRY = 'webview/shared/chartjs.ts';
const sharedChartJs = {
  name: 'shared-chartjs',
  setup(build) {
    build.onResolve({ filter: /^chart\.js$/ }, (args) =>
      path.resolve(args.importer) === path.resolve(CHARTJS_ENTRY) ? undefined : { path: 'chart.js', namespace: 'shared-chartjs' });
    build.onLoad({ filter: /.*/, namespace: 'shared-chartjs' }, () => ({
      contents: "if (!globalThis.HotpathChartJs) throw new Error('dist/webview/chartjs.js must load before this panel'); module.exports = globalThis.HotpathChartJs;",
      loader: 'js',
    }));
  },
};

const targets = [
  // The VS Code adapter. `vscode` is provided by the host.
  { name: 'extension', entryPoints: ['src/extension/activate.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [featureBundles], ...node },
  // Its features, each its own bundle next to it (src/extension/lazy.ts).
  { name: 'extension', entryPoints: Object.fromEntries(extensionFeatures().map((f) => [`ext-${path.basename(f)}`, `src/extension/${f}.ts`])), outdir: 'dist', external: ['vscode'], plugins: [featureBundles], ...node },
  // Worker thread the extension loads profiles in (off the extension host's thread).
  { name: 'extension', entryPoints: { profileLoader: 'src/extension/runs/loaderWorker.ts' }, outdir: 'dist', ...node },
  // Worker thread that reads the samples of a big .cpuprofile while the nodes are read (see
  // src/core/profile/parallelSamples.ts): it must sit next to every bundle that opens profiles
  // (dist/extension.js, dist/profileLoader.js, dist/cli.js), so it is built with either target.
  { name: 'profileWorker', with: ['extension', 'cli'], entryPoints: { profileIngestWorker: 'src/core/profile/samplesWorker.ts' }, outdir: 'dist', ...node },
  // The headless CLI, the same core as the extension.
  // `dist/cli.js` is only the command registry (so `hotpath --version` and `--help` parse a few
  // KB); each command is its own bundle, `dist/cli-<name>.js`, loaded when that command runs.
  // Commands load with require, not import(): Node would load a CommonJS bundle through its ES module
  // loader (cjs-module-lexer parses the whole bundle for its exports), 100-250 ms of CPU per run here.
  { name: 'cli', entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [commandBundles], supported: { 'dynamic-import': false }, ...node },
  { name: 'cli', entryPoints: Object.fromEntries([...cliCommands(), ...cliCommandParts()].map((c) => [`cli-${c}`, `src/cli/commands/${c}.ts`])), outdir: 'dist', plugins: [sharedTypescript({ lazy: true }), replacementsSubset, commandParts], ...node },
  // Injected into every profiled Node process with NODE_OPTIONS=--require: no dependencies.
  { name: 'preload', entryPoints: ['src/core/runner/preload.ts'], outfile: 'dist/preload.js', ...node },
  // The run guard (src/core/runner/guard.ts): ends a target's tree when Hotpath dies; next to every bundle that runs targets.
  { name: 'runGuard', with: ['preload', 'cli', 'extension'], entryPoints: { runGuard: 'src/core/runner/guardMain.ts' }, outdir: 'dist', ...node },
  // Injected beside it by `hotpath fixes --calls`: counts the calls of memoize candidates.
  { name: 'preload', with: ['cli'], entryPoints: { callcount: 'src/core/runner/callCountPreload.ts' }, outdir: 'dist', ...node },
  // Heavy engines, loaded lazily by the extension (never at activation).
  { name: 'engines', entryPoints: { rank: 'src/core/rank/index.ts', refactor: 'src/core/refactor/index.ts', rankWorker: 'src/core/rank/worker.ts' }, outdir: 'dist/engines', plugins: [sharedTypescript(), replacementsSubset], ...node },
  // The compiler itself, once, required by the bundles above (built with the engines or the CLI).
  // Rebuilt only when the installed version or the build mode changed (it is 9 MB: ~10 s here).
  { name: 'typescript', with: ['engines', 'cli'], entryPoints: { typescript: require.resolve('typescript') }, outdir: 'dist/engines', banner: { js: typescriptStamp() }, upToDate: () => firstLine(TYPESCRIPT_BUNDLE) === typescriptStamp(), ...node },
  // Browser side of the panels; chart.js is its own script (dist/webview/chartjs.js), loaded first
  // by the pages that chart (see sharedChartJs).
  { name: 'webview', entryPoints: { flame: 'webview/flame/main.ts', prove: 'webview/prove/main.ts', diff: 'webview/diff/main.ts', leaks: 'webview/leaks/main.ts', live: 'webview/live/main.ts', chartjs: CHARTJS_ENTRY }, outdir: 'dist/webview', platform: 'browser', format: 'iife', target: 'es2022', plugins: [sharedChartJs] },
  // Tests that run inside a real VS Code extension host (see test/vscode/README.md).
  { name: 'vscode-tests', entryPoints: ['test/vscode/suite/*.ts'], outdir: 'out/test/vscode/suite', external: ['vscode', 'mocha'], ...node },
];

function exists(entry) {
  const files = typeof entry === 'object' && !Array.isArray(entry) ? Object.values(entry) : entry;
  return files.every((f) => f.includes('*') ? fs.existsSync(path.dirname(f)) : fs.existsSync(f));
}

async function main() {
  // `npm test` builds everything once before the tests and sets this: the builds test files run
  // in their before() hooks are then no-ops, so test files running in parallel never rewrite a
  // bundle another one is executing.
  if (process.env.HOTPATH_PREBUILT === '1' && !watch && OUT_ROOT === __dirname) return;
  const selected = targets.filter((t) => (!only || only.has(t.name) || (t.with || []).some((n) => only.has(n))) && exists(t.entryPoints));
  const started = Date.now();
  const skipped = [];
  await Promise.all(selected.map(async ({ name, with: _with, upToDate, ...options }) => {
    if (!watch && upToDate && upToDate()) { skipped.push(name); return; }
    if (options.outfile) options.outfile = path.resolve(OUT_ROOT, options.outfile);
    if (options.outdir) options.outdir = path.resolve(OUT_ROOT, options.outdir);
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
  if (!watch && !quiet) console.log(`built ${selected.map((t) => t.name).filter((n) => !skipped.includes(n)).join(', ')} in ${Date.now() - started} ms${skipped.length ? ` (${skipped.join(', ')} up to date)` : ''}`);
}

main().catch((err) => {
  console.error(err.message || err);
  process.exit(1);
});
