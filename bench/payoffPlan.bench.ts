// Does the startup plan pay on real programs? For each CLI below, installed from npm into a
// temporary git repository (npm pack + npm install --omit=dev, cached in bench/.cache/payoff):
//   1. record the smoke commands' outputs (stdout, stderr, exit code);
//   2. profile the startup command PLAN_PROFILES times with `hotpath profile --plan`;
//   3. `hotpath fixes --plan --run <those runs> --apply --verify --json` (behind a checkpoint);
//   4. every changed file must pass `node --check`, every smoke output must be byte-identical;
//   5. `hotpath compare --ref HEAD --runs PLAN_RUNS` on the startup command (interleaved, plain
//      runs without the preload): median, 95 % interval, verdict;
//   6. the predicted saving (ms, and as a share of the profiled startup) against the measured one.
// The load average is printed per case. Figures and the package list are kept in bench/PAYOFF.md.
//
//   node --import tsx bench/payoffPlan.bench.ts [--only eslint,mocha] [--runs 20] [--profiles 3]
// or `npm run bench -- payoffPlan`. Exit 1 when an output changed or a changed file does not parse.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

interface Case {
  name: string;
  /** npm spec, pinned so the figures can be repeated. */
  spec: string;
  /** Peer dependencies the CLI needs to run at all. */
  extra?: string[];
  /** The startup command: arguments to node, run in the package folder. */
  startup: string[];
  /** Other commands whose output must not change (the startup command is always checked too). */
  smoke: string[][];
  /** Input files written before the first commit. */
  files?: Record<string, string>;
}

// Servers never exit: their startup command runs the server's CLI through this launcher, which
// exits once it listens (written into the project; it is the bench's, not the package's).
const LISTEN_EXIT = `// Runs a server's CLI in this process and exits once it listens: its startup as a command that ends.
const net = require('net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  this.once('listening', () => process.exit(0));
  return listen.apply(this, args);
};
process.argv.splice(1, 1);
require(require('path').resolve(process.argv[1]));
`;

const CASES: Case[] = [
  {
    name: 'eslint', spec: 'eslint@9.39.5', startup: ['bin/eslint.js', '--help'],
    smoke: [['bin/eslint.js', '--version'], ['bin/eslint.js', '--no-config-lookup', '--rule', '{"no-unused-vars":"error","semi":"error"}', 'sample.js']],
    files: { 'sample.js': 'const unused = 1\nconsole.log("hi");\n' },
  },
  {
    name: 'mocha', spec: 'mocha@10.8.2', startup: ['bin/mocha.js', '--version'],
    smoke: [['bin/mocha.js', '--help'], ['bin/mocha.js', '--reporter', 'tap', 'sample.test.js']],
    files: { 'sample.test.js': "const assert = require('assert');\ndescribe('sample', () => { it('adds', () => assert.strictEqual(1 + 1, 2)); });\n" },
  },
  {
    name: 'markdownlint-cli', spec: 'markdownlint-cli@0.41.0', startup: ['markdownlint.js', '--version'],
    smoke: [['markdownlint.js', '--help'], ['markdownlint.js', 'sample.md']],
    files: { 'sample.md': '# Title\n\nSome text  \n## Sub\ntext\n' },
  },
  { name: 'nodemon', spec: 'nodemon@3.1.14', startup: ['bin/nodemon.js', '--version'], smoke: [['bin/nodemon.js', '--help']] },
  { name: 'knex', spec: 'knex@3.3.0', startup: ['bin/cli.js', '--version'], smoke: [['bin/cli.js', '--help']] },
  { name: 'json-server', spec: 'json-server@0.17.4', startup: ['lib/cli/bin.js', '--version'], smoke: [['lib/cli/bin.js', '--help']] },
  {
    name: 'stylelint', spec: 'stylelint@16.26.1', startup: ['bin/stylelint.mjs', '--version'],
    smoke: [['bin/stylelint.mjs', '--help'], ['bin/stylelint.mjs', '--config', 'lint.json', 'sample.css']],
    files: { 'lint.json': '{"rules":{"color-no-invalid-hex":true,"block-no-empty":true}}\n', 'sample.css': 'a { color: #ggg; }\nb {}\n' },
  },
  { name: 'http-server', spec: 'http-server@14.1.1', startup: ['bin/http-server', '--help'], smoke: [['bin/http-server', '--version']] },
  {
    name: 'http-server (listen)', spec: 'http-server@14.1.1', startup: ['listen-exit.js', 'bin/http-server', '-p', '0', '-s'],
    smoke: [['bin/http-server', '--help']], files: { 'listen-exit.js': LISTEN_EXIT },
  },
  {
    name: 'json-server (listen)', spec: 'json-server@0.17.4', startup: ['listen-exit.js', 'lib/cli/bin.js', 'db.json', '--port', '0', '--quiet'],
    smoke: [['lib/cli/bin.js', '--help']], files: { 'listen-exit.js': LISTEN_EXIT, 'db.json': '{"posts":[{"id":1,"title":"a"}]}\n' },
  },
  { name: '@babel/cli', spec: '@babel/cli@7.29.7', extra: ['@babel/core@7.29.17'], startup: ['bin/babel.js', '--version'], smoke: [['bin/babel.js', '--help']] },
  { name: 'typescript', spec: 'typescript@5.9.3', startup: ['bin/tsc', '--version'], smoke: [['bin/tsc', '--help']] },
];

const ROOT = path.join(__dirname, '..');
// HOTPATH_BENCH_DIST: a copy of dist/ to run (so a rebuild during a long run changes nothing).
const CLI = path.join(process.env.HOTPATH_BENCH_DIST ?? path.join(ROOT, 'dist'), 'cli.js');
const CACHE = path.join(__dirname, '.cache', 'payoff');
const arg = (name: string) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : undefined; };
const RUNS = Number(arg('--runs') ?? process.env.PLAN_RUNS ?? 20);
const PROFILES = Number(arg('--profiles') ?? process.env.PLAN_PROFILES ?? 3);
const ONLY = (arg('--only') ?? '').split(',').filter(Boolean);

function sh(cmd: string, args: string[], cwd: string, timeoutMs = 600_000): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function must(r: { status: number | null; stdout: string; stderr: string }, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}): ${(r.stderr || r.stdout).slice(-2000)}`);
  return r.stdout;
}

/** The package installed once in bench/.cache/payoff, copied into a fresh git repository per run. */
function prepare(c: Case): string {
  const cached = path.join(CACHE, c.spec.replace(/[/@]/g, '_'));
  if (!fs.existsSync(path.join(cached, '.done'))) {
    fs.rmSync(cached, { recursive: true, force: true });
    fs.mkdirSync(cached, { recursive: true });
    const tgz = must(sh('npm', ['pack', c.spec, '--silent'], cached), `npm pack ${c.spec}`).trim().split('\n').pop()!;
    must(sh('tar', ['-xzf', tgz], cached), 'tar');
    fs.rmSync(path.join(cached, tgz));
    for (const f of fs.readdirSync(path.join(cached, 'package'))) fs.renameSync(path.join(cached, 'package', f), path.join(cached, f));
    fs.rmdirSync(path.join(cached, 'package'));
    must(sh('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', ...(c.extra ?? [])], cached), `npm install (${c.spec})`);
    fs.writeFileSync(path.join(cached, '.done'), new Date().toISOString());
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hotpath-payoff-${c.name.replace(/[/@]/g, '_')}-`));
  fs.cpSync(cached, dir, { recursive: true, verbatimSymlinks: true });
  fs.rmSync(path.join(dir, '.done'));
  for (const [f, text] of Object.entries(c.files ?? {})) fs.writeFileSync(path.join(dir, f), text);
  fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n.hotpath\n');
  const git = (...a: string[]) => must(sh('git', ['-c', 'user.email=bench@hotpath', '-c', 'user.name=bench', ...a], dir), `git ${a[0]}`);
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'base');
  return dir;
}

interface Outcome {
  name: string; spec: string; command: string; load: [number, number];
  leaving?: number; edits?: number; files?: string[]; predictedMs?: number; predictedRange?: [number, number]; predictedShare?: number;
  /** The plan's self load time of what leaves (the prediction before the CPU profile's split) and its share. */
  selfMs?: number; selfShare?: number; sharedMs?: number;
  /** The change in process-tree CPU time (%), before -> after medians. */
  cpuChangePct?: number; cpuChangeCI?: [number, number]; cpuVerdict?: string; cpuBefore?: number; cpuAfter?: number;
  verifyLeft?: number; verifyStill?: number;
  before?: number; after?: number; changePct?: number; changeCI?: [number, number]; verdict?: string; measuredMs?: number;
  outputsIdentical?: boolean; parseErrors?: string[]; error?: string; note?: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function hotpath(dir: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  return sh(process.execPath, [CLI, ...args], dir, 1_800_000);
}

function smokeAll(c: Case, dir: string): string[] {
  return [c.startup, ...c.smoke].map((argv) => {
    const r = sh(process.execPath, argv, dir, 120_000);
    return JSON.stringify({ argv, status: r.status, stdout: r.stdout, stderr: r.stderr });
  });
}

function runCase(c: Case): Outcome {
  const command = ['node', ...c.startup].join(' ');
  const out: Outcome = { name: c.name, spec: c.spec, command, load: [os.loadavg()[0], 0] };
  const dir = prepare(c);
  try {
    const before = smokeAll(c, dir);
    const ids: string[] = [];
    for (let i = 0; i < PROFILES; i++) {
      const r = hotpath(dir, ['profile', '--plan', '--json', '--', process.execPath, ...c.startup]);
      const j = JSON.parse(r.stdout || '{}');
      if (!j.outDir) throw new Error(`profile --plan stored no run: ${r.stderr.slice(-1000)}`);
      ids.push(path.basename(j.outDir));
    }
    const planned = hotpath(dir, ['fixes', '--plan', '--run', ids.join(','), '--apply', '--verify', '--json']);
    const res = JSON.parse(must(planned, 'fixes --plan --apply'));
    const plan = res.plan;
    Object.assign(out, {
      leaving: plan.leaving.length, edits: plan.edits.length, files: res.changedFiles, predictedMs: plan.saving.medianMs,
      predictedRange: [plan.saving.minMs, plan.saving.maxMs], predictedShare: plan.share?.median,
      selfMs: plan.savingSelf?.medianMs, sharedMs: plan.shared?.medianMs,
      selfShare: plan.savingSelf && plan.startup ? median(plan.savingSelf.perRunMs.map((v: number, i: number) => v / plan.startup.perRunMs[i])) : undefined,
      verifyLeft: res.verify?.left?.length, verifyStill: res.verify?.stillLoaded?.length,
    });
    if (res.applyError) throw new Error(`apply: ${res.applyError}`);
    out.parseErrors = [];
    for (const f of res.changedFiles as string[]) {
      const r = sh(process.execPath, ['--check', path.join(dir, f)], dir);
      if (r.status !== 0) out.parseErrors.push(`${f}: ${r.stderr.split('\n').slice(0, 3).join(' ')}`);
    }
    const after = smokeAll(c, dir);
    out.outputsIdentical = after.every((a, i) => a === before[i]);
    if (!out.outputsIdentical) {
      const i = after.findIndex((a, k) => a !== before[k]);
      out.note = `changed output: ${before[i].slice(0, 300)} -> ${after[i].slice(0, 300)}`;
    }
    if (!res.changedFiles.length) {
      out.note ??= plan.leaving.length ? 'nothing to edit' : 'no module can leave startup';
      return out;
    }
    const cmp = hotpath(dir, ['compare', '--ref', 'HEAD', '--runs', String(RUNS), '--warmup', '2', '--json', '--', process.execPath, ...c.startup]);
    const j = JSON.parse(cmp.stdout || '{}');
    if (!j.before?.stats?.wall || !j.after?.stats?.wall) throw new Error(`compare failed (${j.sentence ?? 'no result'}): ${cmp.stderr.slice(-600)}`);
    const b = j.before.stats.wall.median;
    const a = j.after.stats.wall.median;
    Object.assign(out, {
      before: b, after: a, changePct: j.changePct, changeCI: [j.changePctCI?.lo, j.changePctCI?.hi], verdict: j.verdict, measuredMs: b - a,
    });
    const [cb, ca] = [j.before.stats.cpu?.median, j.after.stats.cpu?.median];
    const cc = j.cpuComparison;
    if (cb && ca) Object.assign(out, { cpuBefore: cb, cpuAfter: ca, cpuChangePct: cc?.changePct ?? (ca / cb - 1) * 100, cpuVerdict: cc?.verdict, ...(cc?.changePctCI ? { cpuChangeCI: [cc.changePctCI.lo, cc.changePctCI.hi] } : {}) });
    console.log(`  ${c.name}: estimated ${f1(out.predictedShare! * 100)} % (self-time ${f1(out.selfShare! * 100)} %, shared ${f0(out.sharedMs)} ms); measured wall ${f1(-j.changePct)} % [${f1(-j.changePctCI?.hi)}, ${f1(-j.changePctCI?.lo)}], CPU ${f1(-(out.cpuChangePct ?? NaN))} % [${f1(-(out.cpuChangeCI?.[1] ?? NaN))}, ${f1(-(out.cpuChangeCI?.[0] ?? NaN))}] (${f0(out.cpuBefore)} -> ${f0(out.cpuAfter)} ms); error ${f1(out.predictedShare! * 100 + j.changePct)} points (self-time ${f1(out.selfShare! * 100 + j.changePct)}); load ${f1(os.loadavg()[0])}`);
    return out;
  } catch (err) {
    out.error = (err as Error).message;
    return out;
  } finally {
    out.load[1] = os.loadavg()[0];
    if (!process.env.PLAN_KEEP) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(`  kept ${dir}`);
  }
}

const f0 = (v: number | undefined) => (v === undefined || v === null || Number.isNaN(v) ? '-' : v.toFixed(0));
const f1 = (v: number | undefined) => (v === undefined || v === null || Number.isNaN(v) ? '-' : v.toFixed(1));

/** The measured saving's 95 % interval in ms: the interval of the ratio of medians, applied to the before median. */
function measuredRange(o: Outcome): [number, number] | undefined {
  if (o.before === undefined || !o.changeCI) return undefined;
  return [(-o.changeCI[1] / 100) * o.before, (-o.changeCI[0] / 100) * o.before];
}

function row(o: Outcome): string {
  const r = measuredRange(o);
  const measured = o.changePct === undefined ? '-' : `${f0(o.measuredMs)} ms [${f0(r?.[0])}, ${f0(r?.[1])}], ${f1(-o.changePct!)} % [${f1(-o.changeCI![1])}, ${f1(-o.changeCI![0])}] ${o.verdict}`;
  const predicted = o.predictedMs === undefined ? '-' : `${f0(o.predictedMs)} ms (${f0(o.predictedRange?.[0])}-${f0(o.predictedRange?.[1])})${o.predictedShare !== undefined ? `, ${f1(o.predictedShare * 100)} %` : ''}`;
  const inside = r && o.predictedMs !== undefined ? (o.predictedMs >= r[0] && o.predictedMs <= r[1] ? ', inside the CI' : ', outside the CI') : '';
  const err = o.predictedMs !== undefined && o.measuredMs !== undefined && o.measuredMs > 0 ? `${f0(((o.predictedMs - o.measuredMs) / o.measuredMs) * 100)} %${inside}` : '-';
  const shareErr = o.predictedShare !== undefined && o.changePct !== undefined && o.changePct < 0 ? `${f0(((o.predictedShare * 100 + o.changePct) / -o.changePct) * 100)} %` : '-';
  return `| ${o.name} | \`${o.command}\` | ${o.leaving ?? '-'} / ${o.edits ?? '-'} in ${o.files?.length ?? '-'} | ${predicted} | ${measured} (${f0(o.before)} -> ${f0(o.after)} ms) | ${err} | ${shareErr} | ${o.outputsIdentical === undefined ? '-' : o.outputsIdentical ? 'yes' : 'NO'} | ${o.verifyLeft ?? '-'} left, ${o.verifyStill ?? '-'} still | ${f1(o.load[0])}-${f1(o.load[1])} |${o.error ? ` error: ${o.error.slice(0, 200)}` : o.note ? ` ${o.note}` : ''}`;
}

function main(): void {
  if (!fs.existsSync(CLI)) throw new Error('build first: node esbuild.js');
  const cases = CASES.filter((c) => !ONLY.length || ONLY.includes(c.name));
  console.log(`payoff of the startup plan: ${cases.length} package(s), ${PROFILES} profiled run(s) each, compare --runs ${RUNS}; node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log('| package | startup command | leave / edits in files | predicted saving: median (range), share | measured: saving [95 % CI], faster % [95 % CI], verdict (medians) | prediction error (ms) | prediction error (share) | outputs identical | verify | load |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  const results: Outcome[] = [];
  for (const c of cases) {
    const o = runCase(c);
    results.push(o);
    console.log(row(o));
  }
  fs.mkdirSync(path.join(__dirname, '.cache'), { recursive: true });
  const file = path.join(__dirname, '.cache', `payoff-plan-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify(results, null, 2));
  const faster = results.filter((o) => o.verdict === 'faster' && -o.changePct! >= 20);
  const within = results.filter((o) => o.predictedMs !== undefined && o.measuredMs !== undefined && o.measuredMs > 0 && Math.abs(o.predictedMs - o.measuredMs) <= 0.3 * o.measuredMs);
  const withinShare = results.filter((o) => o.predictedShare !== undefined && o.changePct !== undefined && o.changePct < 0 && Math.abs(o.predictedShare * 100 + o.changePct) <= 0.3 * -o.changePct);
  const measured = results.filter((o) => o.measuredMs !== undefined);
  const inCI = measured.filter((o) => { const r = measuredRange(o); return r && o.predictedMs! >= r[0] && o.predictedMs! <= r[1]; });
  const broken = results.filter((o) => o.outputsIdentical === false || (o.parseErrors ?? []).length);
  console.log(`\n${faster.length} of ${results.length} significantly faster by 20 % or more (target: 3); predictions within 30 % of the measured saving: ${within.length} of ${measured.length} (inside its 95 % interval: ${inCI.length}; as a share of the startup: ${withinShare.length}); changed outputs or unparsable files: ${broken.length} (target 0). Results: ${path.relative(ROOT, file)}`);
  process.exitCode = broken.length ? 1 : 0;
}

main();
