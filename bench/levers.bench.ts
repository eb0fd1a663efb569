// Startup levers measured on real CLIs installed from npm, through Hotpath's own CLI:
//   compile-cache: each package is unpacked as a project of its own (`npm pack`, its production
//   dependencies installed, a git commit), `hotpath fixes --kind compile-cache --apply` fixes its
//   bin entry, then `hotpath compare --ref HEAD` runs the original (a temporary worktree) against
//   the fixed tree, interleaved, under the Node that has the compile cache (>= 22.1: Node 24 from
//   the VS Code test cache, `node scripts/setup-vscode.js` installs it), and once more under this
//   machine's Node with --node20 (20: the guarded call must change nothing). Smoke outputs are
//   compared byte for byte on both Nodes. The CLIs of bench/PAYOFF.md come from its install cache.
//   replace-dependency: a package that requires es-shims / ponyfills the e18e data maps to
//   built-ins is unpacked the same way, `hotpath fixes --kind replace-dependency --apply` replaces
//   the ones a fresh-process check shows are drop-ins, and `hotpath compare --ref HEAD` measures
//   loading the package (require) before and after; a smoke script (its rules run by ESLint on a
//   sample) must print the same before and after.
// Usage: node --import tsx bench/levers.bench.ts [--runs N] [--only tsc,sass,mocha,eslint-plugin-react] [--node24 PATH] [--node20]
// Figures: bench/LEVERS.md.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const arg = (name: string) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : undefined; };
const RUNS = Number(arg('--runs') ?? 20);
const ONLY = arg('--only')?.split(',');

export function findNode24(): string | undefined {
  const given = arg('--node24') ?? process.env.HOTPATH_NODE24;
  if (given) return given;
  const dir = path.join(os.homedir(), '.cache', 'hotpath-vscode', 'node24', 'node_modules');
  for (const d of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const bin = path.join(dir, d, 'bin', 'node');
    if (d.startsWith('node-') && fs.existsSync(bin)) return bin;
  }
  return undefined;
}

interface Target {
  name: string; spec: string; bin: string; args: string[]; /** Input files written into the project before its commit. */ files?: Record<string, string>;
  /** Installed as bench/payoffPlan.bench.ts installs it (bench/.cache/payoff: the package's folder, its production dependencies inside). */
  payoff?: boolean;
}

/** CommonJS CLIs whose bin loads the rest with require() after the entry (eslint and prettier already call enableCompileCache themselves). */
export const COMPILE_CACHE_TARGETS: Target[] = [
  { name: 'tsc', spec: 'typescript@5.9', bin: 'bin/tsc', args: ['--version'] },
  { name: 'tsc-check', spec: 'typescript@5.9', bin: 'bin/tsc', args: ['--noEmit', '--lib', 'es2022', 'hello.ts'], files: { 'hello.ts': 'export const greeting: string = `hello ${[1, 2].map((n) => n * 2).join()}`;\n' } },
  { name: 'sass', spec: 'sass@1', bin: 'sass.js', args: ['--version'] },
  { name: 'sass-compile', spec: 'sass@1', bin: 'sass.js', args: ['--no-source-map', 'in.scss'], files: { 'in.scss': '$c: #336;\n@use "sass:color";\n.a { color: $c; .b { color: color.adjust($c, $lightness: 20%); } }\n' } },
  { name: 'rollup', spec: 'rollup@4', bin: 'dist/bin/rollup', args: ['--version'] },
  { name: 'terser', spec: 'terser@5', bin: 'bin/terser', args: ['--version'] },
  // The CLIs of bench/PAYOFF.md, their startup commands (eslint calls enableCompileCache itself; stylelint's bin is an ES module with static imports).
  { name: 'eslint', spec: 'eslint@9.39.5', bin: 'bin/eslint.js', args: ['--help'], payoff: true },
  { name: 'mocha', spec: 'mocha@10.8.2', bin: 'bin/mocha.js', args: ['--version'], payoff: true },
  { name: 'markdownlint-cli', spec: 'markdownlint-cli@0.41.0', bin: 'markdownlint.js', args: ['--version'], payoff: true },
  { name: 'nodemon', spec: 'nodemon@3.1.14', bin: 'bin/nodemon.js', args: ['--version'], payoff: true },
  { name: 'knex', spec: 'knex@3.3.0', bin: 'bin/cli.js', args: ['--version'], payoff: true },
  { name: 'json-server', spec: 'json-server@0.17.4', bin: 'lib/cli/bin.js', args: ['--version'], payoff: true },
  { name: 'stylelint', spec: 'stylelint@16.26.1', bin: 'bin/stylelint.mjs', args: ['--version'], payoff: true },
  { name: 'http-server', spec: 'http-server@14.1.1', bin: 'bin/http-server', args: ['--help'], payoff: true },
];

const sh = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
const git = (cwd: string, ...args: string[]) => sh('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@hotpath.invalid', '-c', 'commit.gpgsign=false', ...args], cwd);

/**
 * The package as a project of its own: its published files, one commit, and its production
 * dependencies (installed beside it with the package itself, as a user's install would; its
 * `node_modules` links there, since some packages' own manifests name unpublished dev versions).
 */
export function unpack(spec: string, into: string, files: Record<string, string> = {}, extraDeps: string[] = []): string {
  fs.mkdirSync(into, { recursive: true });
  const tgz = sh('npm', ['pack', spec, '--silent'], into).trim().split('\n').pop()!;
  sh('tar', ['-xzf', tgz], into);
  fs.rmSync(path.join(into, tgz));
  const dir = path.join(into, 'package');
  const deps = path.join(into, 'deps');
  fs.mkdirSync(deps);
  fs.writeFileSync(path.join(deps, 'package.json'), '{"private":true}');
  sh('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', spec, ...extraDeps], deps);
  fs.symlinkSync(path.join(deps, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return commitAsPublished(dir, files);
}

/** The input files written, node_modules ignored, one commit. */
function commitAsPublished(dir: string, files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n.hotpath\n');
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'as published');
  return dir;
}

/** A package of bench/PAYOFF.md: installed once into bench/.cache/payoff (shared with payoffPlan.bench.ts), copied, one commit. */
export function fromPayoffCache(spec: string, into: string, files: Record<string, string> = {}): string {
  const cached = path.join(__dirname, '.cache', 'payoff', spec.replace(/[/@]/g, '_'));
  if (!fs.existsSync(path.join(cached, '.done'))) {
    fs.rmSync(cached, { recursive: true, force: true });
    fs.mkdirSync(cached, { recursive: true });
    const tgz = sh('npm', ['pack', spec, '--silent'], cached).trim().split('\n').pop()!;
    sh('tar', ['-xzf', tgz], cached);
    fs.rmSync(path.join(cached, tgz));
    for (const f of fs.readdirSync(path.join(cached, 'package'))) fs.renameSync(path.join(cached, 'package', f), path.join(cached, f));
    fs.rmdirSync(path.join(cached, 'package'));
    sh('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], cached);
    fs.writeFileSync(path.join(cached, '.done'), new Date().toISOString());
  }
  fs.cpSync(cached, into, { recursive: true, verbatimSymlinks: true });
  fs.rmSync(path.join(into, '.done'));
  return commitAsPublished(into, files);
}

function smoke(node: string, dir: string, t: Target): string {
  const env = { ...process.env };
  delete env.NODE_COMPILE_CACHE;
  const r = spawnSync(node, [t.bin, ...t.args], { cwd: dir, encoding: 'utf8', env });
  return `${r.status}\n${r.stdout}\n${r.stderr}`;
}

interface Compared { cpuComparison: { verdict: string; ratio: number; ratioCI: { lo: number; hi: number } | null; p: number } | null; verdict: string; ratio: number; ratioCI: { lo: number; hi: number } | null; p: number; before: { stats: { wall: { median: number; medianCI: { lo: number; hi: number } } } }; after: { stats: { wall: { median: number; medianCI: { lo: number; hi: number } } } }; sentence: string }

function compare(dir: string, node: string, t: Target): Compared {
  const r = spawnSync(process.execPath, [CLI, 'compare', '--ref', 'HEAD', '--runs', String(RUNS), '--warmup', '2', '--json', '--', node, t.bin, ...t.args], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`compare failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout) as Compared;
}

const ms = (x: number) => `${x.toFixed(0)} ms`;
const line = (c: Compared) => `before ${ms(c.before.stats.wall.median)} [${ms(c.before.stats.wall.medianCI.lo)}-${ms(c.before.stats.wall.medianCI.hi)}], `
  + `after ${ms(c.after.stats.wall.median)} [${ms(c.after.stats.wall.medianCI.lo)}-${ms(c.after.stats.wall.medianCI.hi)}], `
  + `ratio ${c.ratio.toFixed(3)}${c.ratioCI ? ` [${c.ratioCI.lo.toFixed(3)}-${c.ratioCI.hi.toFixed(3)}]` : ''}, p ${c.p.toPrecision(2)}: ${c.verdict}`
  + (c.cpuComparison ? `; CPU ratio ${c.cpuComparison.ratio.toFixed(3)}${c.cpuComparison.ratioCI ? ` [${c.cpuComparison.ratioCI.lo.toFixed(3)}-${c.cpuComparison.ratioCI.hi.toFixed(3)}]` : ''}, p ${c.cpuComparison.p.toPrecision(2)}: ${c.cpuComparison.verdict}` : '');

interface ReplaceTarget { name: string; spec: string; extraDeps: string[]; smoke: string }

const REPLACE_TARGETS: ReplaceTarget[] = [{
  name: 'eslint-plugin-react', spec: 'eslint-plugin-react@7', extraDeps: ['eslint@9'],
  smoke: `const { Linter } = require('eslint'); const plugin = require('./');
const rules = Object.fromEntries(Object.keys(plugin.rules).filter((r) => !plugin.rules[r].meta.deprecated).map((r) => ['react/' + r, 'error']));
const code = 'const A = () => <div><span key={1} style="x">{[1, 2].map((n) => <b>{n}</b>)}</span><input value="v" /></div>; class B extends React.Component { render() { return <A onClick={function () {}} />; } }';
const messages = new Linter().verify(code, { plugins: { react: plugin }, languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } }, settings: { react: { version: '18.0' } }, rules });
console.log(Object.keys(plugin.rules).length, Object.keys(plugin.configs).join(','), messages.map((m) => m.ruleId + ':' + m.line + ':' + m.column).join(' '));`,
}];

function replaceDependencies(tmp: string): void {
  for (const t of REPLACE_TARGETS.filter((x) => !ONLY || ONLY.includes(x.name))) {
    const dir = unpack(t.spec, path.join(tmp, t.name), { 'smoke.js': t.smoke }, t.extraDeps);
    const version = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
    const smokeOut = () => spawnSync(process.execPath, ['smoke.js'], { cwd: dir, encoding: 'utf8' });
    const before = smokeOut();
    const applied = JSON.parse(sh(process.execPath, [CLI, 'fixes', '.', '--kind', 'replace-dependency', '--apply', '--json'], dir));
    const fixes = applied.fixes as { module: string; safe: boolean; reason: string | null; replacement: { loadMs: { median: number } | null; replacementMs: { median: number } | null } | null }[];
    const byPkg = new Map<string, { safe: number; advice: number; load?: number; repl?: number; why?: string }>();
    for (const f of fixes) {
      const e = byPkg.get(f.module) ?? { safe: 0, advice: 0 };
      if (f.safe) e.safe++; else { e.advice++; e.why ??= f.reason ?? undefined; }
      e.load ??= f.replacement?.loadMs?.median;
      e.repl ??= f.replacement?.replacementMs?.median;
      byPkg.set(f.module, e);
    }
    const after = smokeOut();
    const same = before.stdout === after.stdout && before.status === after.status;
    console.log(`${t.name} ${version}: ${applied.changedFiles.length} files changed; smoke output ${same ? 'identical' : 'CHANGED'} (${before.stdout.trim().split(' ').slice(0, 2).join(' ')}...)`);
    for (const [pkg, e] of byPkg) {
      console.log(`  ${pkg}: ${e.safe} fixed, ${e.advice} advice${e.load !== undefined ? `; require ${e.load.toFixed(2)} ms, built-in ${e.repl?.toFixed(3)} ms (median of 3 fresh processes)` : ''}${e.safe === 0 && e.why ? ` (${e.why.slice(0, 140)})` : ''}`);
    }
    if (!applied.changedFiles.length) continue;
    const load = { name: t.name, spec: t.spec, bin: '-e', args: ["require('./')"] };
    console.log(`  load the package (node -e "require('./')"), ${process.version}: ${line(compare(dir, process.execPath, load))}`);
  }
}

function main(): void {
  const node24 = findNode24();
  if (!node24) throw new Error('no Node >= 22.1 found: run `node scripts/setup-vscode.js` or pass --node24 PATH');
  const v24 = sh(node24, ['--version'], ROOT).trim();
  if (!fs.existsSync(CLI)) throw new Error('dist/cli.js missing: run `node esbuild.js` first');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-levers-'));
  console.log(`compile-cache on real CLIs: ${RUNS} interleaved runs per side, ${v24} and ${process.version}; load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  try {
    replaceDependencies(tmp);
    for (const t of COMPILE_CACHE_TARGETS.filter((x) => !ONLY || ONLY.includes(x.name))) {
      const dir = t.payoff ? fromPayoffCache(t.spec, path.join(tmp, t.name), t.files) : unpack(t.spec, path.join(tmp, t.name), t.files);
      const version = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
      const smokeBefore = [smoke(node24, dir, t), smoke(process.execPath, dir, t)];
      const applied = JSON.parse(sh(process.execPath, [CLI, 'fixes', '.', '--kind', 'compile-cache', '--apply', '--json'], dir));
      const fix = applied.fixes.find((f: { kind: string; safe: boolean }) => f.kind === 'compile-cache');
      if (!fix?.safe || !applied.changedFiles.length) {
        console.log(`${t.name} ${version}: not fixed: ${fix ? fix.reason : 'no compile-cache fix offered'}`);
        continue;
      }
      const same = smoke(node24, dir, t) === smokeBefore[0] && smoke(process.execPath, dir, t) === smokeBefore[1];
      const on24 = compare(dir, node24, t);
      console.log(`${t.name} ${version} (${t.bin} ${t.args.join(' ')}; fixed ${applied.changedFiles.join(', ')}; smoke outputs ${same ? 'identical' : 'CHANGED'}; load ${os.loadavg()[0].toFixed(1)})`);
      console.log(`  ${v24}: ${line(on24)}`);
      // Node 20 has no compile cache: the guarded call must change nothing (--node20 measures it too).
      if (process.argv.includes('--node20')) console.log(`  ${process.version}: ${line(compare(dir, process.execPath, t))}`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    console.log(`load at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  }
}

if (require.main === module) main();
