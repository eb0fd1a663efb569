// The startup plan on a real run of test/fixtures/startup-plan (`node cli.js greet`): every
// import edge and which functions ran are recorded by the preload, the solver finds the module
// that can leave startup (builder.js, with builder-plan.js that only it loads), keeps the one
// another importer uses while it loads (linter.js: cli.js's lazy-load of it only defers) and
// the one a function that ran uses (format.js); the edits take builder.js out of a real run
// and every command prints what it printed before. Timing is checked in bench/, not here.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { hotpath, noRawError, ROOT } from '../cli/cli';
import { tempDir } from '../tempDirs';
import { listPlan } from './planCli';
import { solve, type Graph } from '../../../src/core/plan/solve';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'startup-plan');
const COMMANDS = [['greet'], ['greet', 'Ada'], ['build'], ['lint', 'y']];

function node(dir: string, args: string[]): string {
  return execFileSync(process.execPath, [path.join(dir, 'cli.js'), ...args], { encoding: 'utf8', timeout: 30000 });
}

describe('startup plan: a real run of a small CLI', function () {
  this.timeout(300_000);
  let dir: string;
  let plan: any;
  let applied: any;
  let text: string;
  let perFile: any;
  let perFileApplied: { json: any; text: string };
  const outputs = new Map<string, string>();

  before(() => {
    dir = tempDir('startup-plan');
    fs.cpSync(FIXTURE, dir, { recursive: true });
    for (const args of COMMANDS) outputs.set(args.join(' '), node(dir, args));
    const profiled = hotpath(dir, ['profile', '--plan', '--', process.execPath, 'cli.js', 'greet']);
    assert.strictEqual(profiled.code, 0, profiled.stderr + profiled.stdout);
    assert.match(profiled.stdout, /Startup plan from this run: hotpath fixes --plan --run \S+/);
    // Per-file lazy-loads of every import of cli.js (--all), labelled by the plan of this run;
    // applied, then cli.js is put back for the plan.
    const runId = /--run (\S+)/.exec(profiled.stdout)![1];
    const listedPerFile = hotpath(dir, ['fixes', 'cli.js', '--run', runId, '--all', '--kind', 'lazy-import', '--json']);
    assert.strictEqual(listedPerFile.code, 0, listedPerFile.stderr);
    perFile = JSON.parse(listedPerFile.stdout);
    const original = fs.readFileSync(path.join(dir, 'cli.js'), 'utf8');
    const appliedPerFile = hotpath(dir, ['fixes', 'cli.js', '--run', runId, '--all', '--kind', 'lazy-import', '--apply', '--json']);
    assert.strictEqual(appliedPerFile.code, 0, appliedPerFile.stderr);
    perFileApplied = { json: JSON.parse(appliedPerFile.stdout), text: fs.readFileSync(path.join(dir, 'cli.js'), 'utf8') };
    fs.writeFileSync(path.join(dir, 'cli.js'), original);
    ({ plan, text } = listPlan(dir));
    const run = hotpath(dir, ['fixes', '--plan', '--apply', '--verify', '--measure', '3', '--json']);
    assert.strictEqual(run.code, 0, run.stderr);
    applied = JSON.parse(run.stdout);
  });

  it('the preload records every edge (cache hits too) and which functions ran', () => {
    const runs = path.join(dir, '.hotpath', 'runs');
    const runDir = path.join(runs, fs.readdirSync(runs)[0]);
    const files = fs.readdirSync(runDir);
    const imports = JSON.parse(fs.readFileSync(path.join(runDir, files.find((f) => f.endsWith('.imports.json'))!), 'utf8'));
    const edge = (from: string, to: string) => imports.edges.find((e: any) => e.from === path.join(dir, from) && e.to === path.join(dir, to));
    // banner.js requires linter.js after cli.js loaded it: a cache hit, absent from `modules`' parents.
    assert.deepStrictEqual(imports.modules.filter((m: any) => m.file === path.join(dir, 'lib/linter.js')).map((m: any) => m.parent), [path.join(dir, 'cli.js')]);
    assert.deepStrictEqual(edge('lib/banner.js', 'lib/linter.js'), { from: path.join(dir, 'lib/banner.js'), to: path.join(dir, 'lib/linter.js'), request: './linter', eager: true, late: false });
    // greet() requires shout.js after cli.js had loaded (main runs from setImmediate): a late edge.
    assert.strictEqual(edge('cli.js', 'lib/shout.js').late, true);
    assert.strictEqual(edge('cli.js', 'lib/shout.js').eager, false);
    const coverage = JSON.parse(fs.readFileSync(path.join(runDir, files.find((f) => f.endsWith('.coverage.json'))!), 'utf8'));
    const cli = coverage.scripts.find((s: any) => s.url.endsWith('/cli.js'));
    const count = (name: string) => cli.functions.find((f: any) => f.functionName === name).ranges[0].count;
    assert.deepStrictEqual([count('greet'), count('build'), count('lint')], [1, 0, 0]);
  });

  it('builder.js leaves startup with builder-plan.js, which only it loads; nothing else does', () => {
    const leaving = plan.leaving.map((m: any) => m.file).sort();
    assert.deepStrictEqual(leaving, ['lib/builder-plan.js', 'lib/builder.js']);
    assert.deepStrictEqual(plan.edits.map((e: any) => [e.file, e.line, e.request, e.module]), [['cli.js', 3, './lib/builder', 'lib/builder.js']]);
    for (const m of plan.leaving) assert.ok(m.selfMs && m.selfMs.medianMs > 0 && m.selfMs.runs === 1, JSON.stringify(m));
    // Both burn CPU while loading (40 and 25 ms) in busy.js, which stays (linter.js and format.js
    // use it): the estimate counts that as work that may move to the staying modules, so the saving
    // is their self time less their time in busy.js. Here the work does not move (busy.js caches
    // nothing): the estimate is low, the self time (savingSelf) is the saving if nothing moves.
    assert.strictEqual(plan.saving.runs, 1);
    const self = plan.leaving.reduce((s: number, m: any) => s + m.selfMs.medianMs, 0);
    const shared = plan.leaving.reduce((s: number, m: any) => s + m.sharedMs.medianMs, 0);
    assert.ok(Math.abs(plan.savingSelf.medianMs - self) < 0.05, JSON.stringify(plan.savingSelf));
    assert.ok(Math.abs(plan.saving.medianMs - (self - shared)) < 0.05, JSON.stringify(plan));
    for (const m of plan.leaving) assert.deepStrictEqual(m.sharedIn.map((x: any) => x.file), ['lib/busy.js'], JSON.stringify(m));
    assert.ok(plan.notes.some((n: string) => /One measured run/.test(n)), plan.notes.join('\n'));
    assert.ok(plan.notes.some((n: string) => /The saving is estimated/.test(n)), plan.notes.join('\n'));
  });

  it("linter.js stays: banner.js uses it while loading, so cli.js's lazy-load would only defer it", () => {
    assert.deepStrictEqual(plan.deferOnly.map((d: any) => [d.file, d.request, d.stillLoadedBy]), [['cli.js', './lib/linter', 'lib/banner.js']]);
    const linter = plan.staying.find((m: any) => m.file === 'lib/linter.js');
    assert.match(linter.reason, /'linter' is used while the module evaluates/);
  });

  it('format.js stays: greet() uses it and ran; shout.js stays: greet() requires it', () => {
    assert.ok(!plan.leaving.some((m: any) => /format|shout|banner/.test(m.file)));
    // Neither is a "defers only" case: no importer's edge to them can be deferred at all.
    assert.ok(!plan.deferOnly.some((d: any) => /format|shout/.test(d.file)));
  });

  it('per-file lazy-loads (fixes --run ID): only the one that takes its module out of startup is a speed fix', () => {
    const lazy = (request: string) => perFile.fixes.find((f: any) => f.kind === 'lazy-import' && f.module === request);
    assert.deepStrictEqual(['./lib/builder', './lib/linter', './lib/format', './lib/banner'].map((r) => [r, lazy(r)?.startup, lazy(r)?.preferred]), [
      ['./lib/builder', 'leaves', true],
      ['./lib/linter', 'defers-only', false], // banner.js loads it at startup
      ['./lib/format', 'defers-only', false], // greet() uses it, and greet ran
      ['./lib/banner', 'defers-only', false], // greet() uses it too
    ], JSON.stringify(perFile.fixes, null, 1));
    assert.match(lazy('./lib/linter').startupNote, /still loaded by lib\/banner\.js at startup/);
    assert.match(lazy('./lib/format').startupNote, /^defers only: lib\/format\.js is still loaded at startup by this file \(.*greet\(\).*ran/);
    // --apply makes only builder lazy; the imports the startup uses anyway stay as they were.
    assert.deepStrictEqual(perFileApplied.json.changedFiles, ['cli.js']);
    assert.match(perFileApplied.text, /function _load_lib_builder\(\)/);
    for (const kept of ["const linter = require('./lib/linter');", "const format = require('./lib/format');", "const banner = require('./lib/banner');"]) {
      assert.ok(perFileApplied.text.includes(kept), `${kept}\n${perFileApplied.text}`);
    }
  });

  it('the plan lists the lazy-loads the importer itself uses at startup (usedAtStartup)', () => {
    assert.deepStrictEqual(plan.usedAtStartup.map((u: any) => [u.file, u.request, u.module]), [
      ['cli.js', './lib/format', 'lib/format.js'],
      ['cli.js', './lib/banner', 'lib/banner.js'],
    ]);
    for (const u of plan.usedAtStartup) assert.match(u.reason, /greet/);
  });

  it('--apply edits cli.js behind a checkpoint, and --verify finds both modules gone from a new run', () => {
    assert.deepStrictEqual(applied.changedFiles, ['cli.js']);
    assert.ok(applied.checkpoint?.id, JSON.stringify(applied));
    assert.strictEqual(applied.verify.error, undefined, JSON.stringify(applied.verify));
    assert.deepStrictEqual([...applied.verify.left].sort(), ['lib/builder-plan.js', 'lib/builder.js']);
    assert.deepStrictEqual(applied.verify.stillLoaded, []);
    const text = fs.readFileSync(path.join(dir, 'cli.js'), 'utf8');
    assert.strictEqual((text.match(/require\('\.\/lib\/builder'\)/g) ?? []).length, 1);
    assert.match(text, /function _load_lib_builder\(\)/);
    assert.match(text, /const linter = require\('\.\/lib\/linter'\);/);
  });

  it('--measure: the checkpoint against the edited tree, interleaved, with the prediction beside the measured saving', () => {
    const m = applied.measured;
    assert.ok(m && !m.error, JSON.stringify(m));
    assert.strictEqual(m.runs, 3);
    assert.match(m.command, / cli\.js greet$/);
    // Three runs per side promise no verdict; the figures must be real medians of both sides.
    assert.ok(m.beforeMedianMs > 0 && m.afterMedianMs > 0, JSON.stringify(m));
    assert.ok(Math.abs(m.savingMs - (m.beforeMedianMs - m.afterMedianMs)) < 0.02, JSON.stringify(m));
    assert.ok(m.changePctCI.lo <= m.changePct && m.changePct <= m.changePctCI.hi, JSON.stringify(m));
    assert.ok(Math.abs(m.predictedMs - plan.saving.medianMs) < 0.02, JSON.stringify(m));
    // The estimate's error against this measurement, in ms, % of the measured saving and points of the startup.
    assert.ok(Math.abs(m.errorMs - (m.predictedMs - m.savingMs)) < 0.02, JSON.stringify(m));
    assert.ok(Math.abs(m.shareErrorPoints - (m.predictedShare * 100 + m.changePct)) < 0.2, JSON.stringify(m));
    assert.match(m.line, /^Startup plan: estimated saving [\d.]+ ms, [\d.]+ % of the profiled startup; measured -?[\d.]+ ms \[-?[\d.]+ to -?[\d.]+ ms\], -?[\d.]+ % faster \[95 % CI -?[\d.]+ % to -?[\d.]+ %\]: \S.* \(median [\d.]+ -> [\d.]+ ms, 3 interleaved runs per side\); estimate's error [+−]\d+ ms( \([+−]\d+ % of the measured saving\))?, [+−][\d.]+ points of the startup\.$/);
    // Stored like any comparison: both sides in the bench store, the before side tagged with the checkpoint.
    const store = path.join(dir, '.hotpath', 'bench');
    const before = JSON.parse(fs.readFileSync(path.join(store, fs.readdirSync(store).find((f) => f.startsWith(m.beforeId))!), 'utf8'));
    assert.strictEqual(before.ref, `checkpoint ${applied.checkpoint.id}`);
  });

  it('--measure without --apply, or with too few runs: a clear message, exit 2', () => {
    for (const args of [['--measure', '5'], ['--apply', '--measure', '1'], ['--apply', '--measure', 'x']]) {
      const r = hotpath(dir, ['fixes', '--plan', ...args]);
      assert.strictEqual(r.code, 2, args.join(' '));
      assert.match(r.stderr, /--measure (goes with --plan --apply|needs a whole number of runs per side, 2 or more)/);
      noRawError(r.stderr);
    }
  });

  it('every command prints what it printed before', () => {
    for (const args of COMMANDS) assert.strictEqual(node(dir, args), outputs.get(args.join(' ')), args.join(' '));
  });

  it('the text output names what leaves, the edit, the saving and the defers-only lazy-load', () => {
    assert.match(text, /2 module\(s\) leave startup; estimated saving [\d.]+ ms \(their self load time [\d.]+ ms less [\d.]+ ms in code of modules that stay, one run, [\d.]+ % of the measured startup of [\d.]+ ms\)/);
    assert.match(text, /lib\/builder\.js: [\d.]+ ms of its load ran in code that stays \(lib\/busy\.js [\d.]+ ms\)/);
    assert.match(text, /cli\.js\n\s+:3 {2}'\.\/lib\/builder'/);
    assert.match(text, /Defers only[^\n]*\n\s+cli\.js:4 '\.\/lib\/linter': still loaded by lib\/banner\.js/);
    assert.match(text, /Apply: hotpath fixes --plan --apply \[--verify\]/);
  });

  it('bad input: no run, an old run without edges, a missing --run: a clear message, exit 2', () => {
    const empty = tempDir('startup-plan-empty');
    const none = hotpath(empty, ['fixes', '--plan']);
    assert.strictEqual(none.code, 2);
    assert.match(none.stderr, /no run to plan from: profile the startup command with `hotpath profile --plan -- <command>`/);
    const missing = hotpath(empty, ['fixes', '--plan', '--run', 'nope']);
    assert.strictEqual(missing.code, 2);
    assert.match(missing.stderr, /no run 'nope' in/);
    const old = path.join(empty, 'old');
    fs.mkdirSync(old);
    fs.writeFileSync(path.join(old, '1-0.imports.json'), JSON.stringify({ version: 1, pid: 1, threadId: 0, modules: [] }));
    const oldRun = hotpath(empty, ['fixes', '--plan', '--profile', old]);
    assert.strictEqual(oldRun.code, 2);
    assert.match(oldRun.stderr, /recorded before Hotpath recorded every import edge/);
    for (const r of [none, missing, oldRun]) noRawError(r.stderr);
  });
});

describe('startup plan solver', () => {
  const graph = (edges: [string, string][], roots = ['main']): Graph => ({
    modules: new Set(edges.flat()), roots: new Set(roots),
    edges: edges.map(([from, to]) => ({ from, to, requests: [to], eager: true, late: false, esm: false })),
  });

  it('a module loaded only by leaving modules leaves with them, also through a cycle', () => {
    const g = graph([['main', 'a'], ['a', 'b'], ['b', 'a'], ['b', 'c'], ['main', 'd']]);
    const s = solve(g, (e) => (e.to === 'a' ? { ok: true } : { ok: false, reason: 'eager' }));
    assert.deepStrictEqual([...s.leaving].sort(), ['a', 'b', 'c']);
    assert.deepStrictEqual(s.deferred.map((e) => `${e.from}->${e.to}`), ['main->a']);
    assert.strictEqual(s.stays.get('d')?.by, 'main');
  });

  it('a module stays when any staying importer cannot defer it, and what it loads stays with it', () => {
    const g = graph([['main', 'a'], ['main', 's'], ['s', 'a'], ['a', 'b']]);
    const s = solve(g, (e) => (e.from === 'main' && e.to === 'a' ? { ok: true } : { ok: false, reason: `${e.from} uses it while loading` }));
    assert.deepStrictEqual([...s.leaving], []);
    assert.deepStrictEqual(s.stays.get('a'), { by: 's', reason: 's uses it while loading' });
    assert.strictEqual(s.stays.get('b')?.by, 'a');
  });
});
