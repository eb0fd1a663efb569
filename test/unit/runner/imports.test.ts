// Module load timing written by the preload: the CommonJS tree with self/inclusive times and the
// ESM tree with parents from the loader hooks.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { runTarget } from '../../../src/core/runner/run';
import type { ImportsFile, ImportRecord } from '../../../src/core/runner/types';
import { loadRun, summarize, toFlameGraphs } from '../../../src/core/profile';
import { buildPreload, tempDir, TARGETS } from './helpers';

async function importsOf(command: string, args: string[]): Promise<ImportRecord[]> {
  const r = await runTarget({ command, args, cwd: TARGETS, outDir: tempDir('imports'), capture: { cpu: false, heap: false, imports: true } });
  assert.strictEqual(r.exitCode, 0, r.outputTail);
  assert.strictEqual(r.processes.length, 1);
  const file = JSON.parse(fs.readFileSync(r.processes[0].importsFile!, 'utf8')) as ImportsFile;
  assert.strictEqual(file.version, 1);
  assert.strictEqual(file.pid, r.processes[0].pid);
  return file.modules;
}

describe('runner: module load timing', function () {
  before(buildPreload);

  it('CommonJS: parent -> child tree with plausible self and inclusive times', async () => {
    const mods = await importsOf(process.execPath, ['cjsTree/main.js']);
    const at = (name: string) => {
      const m = mods.find((x) => x.file === path.join(TARGETS, 'cjsTree', name));
      assert.ok(m, `${name} not recorded: ${mods.map((x) => x.file).join(', ')}`);
      return m!;
    };
    const main = at('main.js'), slow = at('slow.js'), leaf = at('leaf.js'), fast = at('fast.js');
    assert.strictEqual(main.parent, null);
    assert.strictEqual(slow.parent, main.file);
    assert.strictEqual(leaf.parent, slow.file);
    assert.strictEqual(fast.parent, main.file);
    assert.strictEqual(slow.request, './slow');
    assert.ok(slow.selfUs >= 40_000, `slow.js self ${slow.selfUs} µs (busy-waits 50 ms)`);
    assert.ok(leaf.selfUs >= 15_000, `leaf.js self ${leaf.selfUs} µs (busy-waits 20 ms)`);
    // Inclusive = own time + children: slow.js includes leaf.js, main.js includes both.
    assert.ok(slow.totalUs >= slow.selfUs + leaf.totalUs - 1, `${slow.totalUs} < ${slow.selfUs} + ${leaf.totalUs}`);
    assert.ok(main.totalUs >= slow.totalUs + fast.totalUs);
    assert.ok(fast.totalUs < 10_000, `fast.js took ${fast.totalUs} µs`);
    assert.ok(slow.startUs > main.startUs && leaf.startUs > slow.startUs);
    // Nothing the preload itself requires is attributed to the program.
    assert.ok(!mods.some((m) => m.parent && /preload\.js$/.test(m.parent)), 'preload requires leaked into the tree');
  });

  it('ESM: modules recorded with the importer as parent', async function () {
    // Load-sensitive (a wall-clock workload the machine's load can squeeze): one retry, named in
    // scripts/test.js's summary; the assertions are unchanged.
    this.retries(1);
    const mods = await importsOf(process.execPath, ['esm/main.mjs']);
    const byName = (name: string) => mods.find((x) => x.file === path.join(TARGETS, 'esm', name));
    const main = byName('main.mjs'), heavy = byName('heavy.mjs'), util = byName('util.mjs');
    assert.ok(main && heavy && util, JSON.stringify(mods));
    assert.strictEqual(main!.parent, null);
    assert.strictEqual(main!.kind, 'esm');
    assert.strictEqual(heavy!.parent, main!.file);
    assert.strictEqual(heavy!.request, './heavy.mjs');
    assert.strictEqual(util!.parent, heavy!.file);
    const nodePath = mods.find((x) => x.file === 'node:path');
    assert.ok(nodePath && nodePath.kind === 'builtin' && nodePath.parent === main!.file, JSON.stringify(nodePath));
    // heavy.mjs busy-waits 50 ms while it is evaluated: its own evaluation, not its child's.
    assert.ok(heavy!.evalUs! >= 45_000, `heavy.mjs evaluation ${heavy!.evalUs} µs`);
    assert.ok(util!.evalUs! < heavy!.evalUs! / 2, `util.mjs evaluation ${util!.evalUs} µs`);
    // self = compile + evaluation + a share of the loader's time; total adds the modules it loaded first.
    for (const m of [main!, heavy!, util!]) {
      assert.ok(m.compileUs! >= 0 && m.loadUs! >= 0, JSON.stringify(m));
      assert.ok(m.selfUs >= m.compileUs! + m.evalUs! - 2, JSON.stringify(m));
      assert.ok(m.evalEndUs! > m.startUs, JSON.stringify(m));
    }
    assert.strictEqual(util!.totalUs, util!.selfUs);
    assert.ok(Math.abs(heavy!.totalUs - (heavy!.selfUs + util!.totalUs)) <= 1, JSON.stringify([heavy, util]));
    assert.ok(main!.totalUs >= heavy!.totalUs + main!.selfUs - 1);
    // Post-order: util's body ends before heavy's, heavy's before main's.
    assert.ok(util!.evalEndUs! <= heavy!.evalEndUs! && heavy!.evalEndUs! <= main!.evalEndUs!);
  });

  it('ESM: a module that throws is not measured, keeps its stack position; a top-level await\'s idle wait is not its time', async () => {
    const r = await runTarget({ command: process.execPath, args: ['esmEval/main.mjs'], cwd: TARGETS, outDir: tempDir('esmEval'), capture: { cpu: false, heap: false, imports: true } });
    assert.strictEqual(r.exitCode, 0, r.outputTail);
    // The same position as in a run without the hooks (they append lines, never prepend).
    assert.match(r.outputTail, /bad bad\.mjs:4:9\b/);
    const mods = (JSON.parse(fs.readFileSync(r.processes[0].importsFile!, 'utf8')) as ImportsFile).modules;
    const at = (name: string) => {
      const m = mods.find((x) => x.file === path.join(TARGETS, 'esmEval', name));
      assert.ok(m, `${name} not recorded: ${JSON.stringify(mods)}`);
      return m!;
    };
    const bad = at('bad.mjs');
    assert.strictEqual(bad.selfUs, -1);
    assert.strictEqual(bad.totalUs, -1);
    assert.strictEqual(bad.evalUs, undefined);
    assert.ok(at('busy.mjs').evalUs! >= 75_000, JSON.stringify(at('busy.mjs')));
    // tla.mjs awaits a 100 ms timer: the main thread idles meanwhile, which is no module's time.
    assert.ok(at('tla.mjs').evalUs! < 75_000, JSON.stringify(at('tla.mjs')));
    // ok.mjs was loaded first by busy.mjs (bad.mjs found it in the cache).
    assert.strictEqual(at('ok.mjs').parent, at('busy.mjs').file);
    assert.ok(at('ok.mjs').totalUs >= 0);
    assert.ok(at('first.mjs').evalUs! >= 15_000 && at('first.mjs').parent === bad.file, JSON.stringify(at('first.mjs')));

    // The model, its tables and the flame graph say "not measured" for bad.mjs, never 0.
    const model = await loadRun(r, { root: TARGETS });
    assert.ok(model.notes.some((n) => /1 module\(s\) in process \d+ have no measured load time .* "not measured"/.test(n)), model.notes.join('\n'));
    const row = summarize(model, { top: 50 }).modules.find((m) => m.name === 'esmEval/bad.mjs');
    assert.ok(row && row.notMeasured === true && row.totalMs >= at('first.mjs').totalUs / 1000 - 0.01, JSON.stringify(row));
    const imports = toFlameGraphs(model).find((g) => g.kind === 'imports')!;
    const frame = imports.frames.find((f) => f.path === bad.file);
    assert.ok(frame && frame.notMeasured === true && frame.name === 'esmEval/bad.mjs (not measured)', JSON.stringify(frame));
    assert.ok(!imports.frames.some((f) => f.path === at('busy.mjs').file && f.notMeasured));
  });

  it('ESM: a body that calls process.exit (a CLI\'s --version) is measured up to the exit; a suspended one is not', async () => {
    const at = (mods: ImportRecord[], name: string) => {
      const m = mods.find((x) => x.file === path.join(TARGETS, 'esmExit', name));
      assert.ok(m, `${name} not recorded: ${JSON.stringify(mods)}`);
      return m!;
    };
    const mods = await importsOf(process.execPath, ['esmExit/cli.mjs']);
    const cli = at(mods, 'cli.mjs'), dep = at(mods, 'dep.mjs');
    // run() busy-waits 150 ms inside cli.mjs's body before the exit; dep.mjs's own body 20 ms.
    assert.ok(cli.evalUs! >= 140_000 && cli.selfUs >= cli.evalUs!, JSON.stringify(cli));
    assert.strictEqual(cli.evalEndedByExit, true);
    assert.ok(cli.totalUs >= cli.selfUs + dep.totalUs, JSON.stringify({ cli, dep }));
    assert.ok(dep.evalUs! >= 15_000 && dep.evalUs! < cli.evalUs! && dep.evalEndUs! < cli.evalEndUs!, JSON.stringify({ cli, dep }));
    assert.strictEqual(dep.evalEndedByExit, undefined);
    // Exiting from a timer while the body awaits: its body was not running, so no figure.
    const tla = at(await importsOf(process.execPath, ['esmExit/tlaExit.mjs']), 'tlaExit.mjs');
    assert.strictEqual(tla.selfUs, -1);
    assert.strictEqual(tla.evalEndedByExit, undefined);
  });

  it('ESM: a .js entry under "type": "module" gets the hooks too', async () => {
    const mods = await importsOf(process.execPath, ['esmPkg/main.js']);
    const dep = mods.find((x) => x.file === path.join(TARGETS, 'esmPkg', 'dep.js'));
    assert.ok(dep && dep.parent === path.join(TARGETS, 'esmPkg', 'main.js') && dep.kind === 'esm', JSON.stringify(mods));
  });

  it('CommonJS programs do not pay for the ESM loader thread', async () => {
    const r = await runTarget({ command: process.execPath, args: ['cjsTree/main.js'], cwd: TARGETS, outDir: tempDir('noesm'), capture: { cpu: true, heap: false, imports: true } });
    const profile = fs.readFileSync(r.processes[0].cpuProfile!, 'utf8');
    assert.ok(!profile.includes('waitForWorker'), 'the ESM hooks thread was started for a CommonJS program');
  });

  it('Node 24: in-thread hooks (module.registerHooks) in every process, registered in milliseconds; the same figures', async function () {
    // Load-sensitive (a wall-clock workload the machine's load can squeeze): one retry, named in
    // scripts/test.js's summary; the assertions are unchanged.
    this.retries(1);
    // The Node 24 that scripts/setup-vscode.js caches for the VS Code tests; without it there is nothing to run.
    const node24 = require('../../../scripts/setup-vscode.js').layout().node as string;
    if (!fs.existsSync(node24)) this.skip();
    const run = async (script: string) => {
      const r = await runTarget({ command: node24, args: [script], cwd: TARGETS, outDir: tempDir('node24'), capture: { cpu: false, heap: false, imports: true } });
      assert.strictEqual(r.exitCode, 0, r.outputTail);
      return JSON.parse(fs.readFileSync(r.processes[0].importsFile!, 'utf8')) as ImportsFile;
    };
    // A dynamic import no CommonJS source shows (Node 20 leaves it untimed) is timed.
    const dyn = await run('dynImport/evalImport.js');
    assert.strictEqual(dyn.esmUntimed, undefined);
    assert.strictEqual(dyn.esmHooks?.lazy, false);
    // No loader thread to start (module.register took 30-1,300 ms here).
    assert.ok(dyn.esmHooks!.registerUs < 50_000, JSON.stringify(dyn.esmHooks));
    const heavy = dyn.modules.find((m) => m.file === path.join(TARGETS, 'dynImport', 'heavyEsm.mjs'));
    assert.ok(heavy && heavy.evalUs! >= 290_000 && heavy.parent === path.join(TARGETS, 'dynImport', 'evalImport.js'), JSON.stringify(heavy));
    // The static graph: post-order evaluation, heavy.mjs's 50 ms its own.
    const esm = (await run('esm/main.mjs')).modules;
    const at = (name: string) => esm.find((x) => x.file === path.join(TARGETS, 'esm', name))!;
    assert.ok(at('heavy.mjs').evalUs! >= 45_000 && at('util.mjs').evalUs! < at('heavy.mjs').evalUs! / 2, JSON.stringify(esm));
    assert.ok(Math.abs(at('heavy.mjs').totalUs - (at('heavy.mjs').selfUs + at('util.mjs').totalUs)) <= 1);
    // import() from CommonJS: the graph is read and compiled inside the importer's Module._load;
    // that is the ES module's time (it read compile 0 and the importer had it all, bench/esmLoad).
    const dir = tempDir('node24-cjs-import');
    fs.writeFileSync(path.join(dir, 'importer.cjs'), "import('./big.mjs').then((m) => console.log(m.f0()));\n");
    fs.writeFileSync(path.join(dir, 'big.mjs'), Array.from({ length: 40_000 }, (_, i) => `export function f${i}(a) { return a + ${i}; }\n`).join(''));
    const r = await runTarget({ command: node24, args: ['importer.cjs'], cwd: dir, outDir: tempDir('node24-cjs-import-out'), capture: { cpu: false, heap: false, imports: true } });
    assert.strictEqual(r.exitCode, 0, r.outputTail);
    const viaCjs = (JSON.parse(fs.readFileSync(r.processes[0].importsFile!, 'utf8')) as ImportsFile).modules;
    const importer = viaCjs.find((m) => m.file === path.join(dir, 'importer.cjs'))!;
    const big = viaCjs.find((m) => m.file === path.join(dir, 'big.mjs'))!;
    assert.ok(big.compileUs! > 0 && importer.selfUs < big.selfUs && big.parent === importer.file, JSON.stringify({ importer, big }));
    // Its read and compile fit in the importer's load (its evaluation runs after, asynchronously).
    assert.ok(importer.selfUs + big.selfUs - big.evalUs! <= importer.totalUs + 1000, JSON.stringify({ importer, big }));
    // A body that calls process.exit is timed up to the exit here too.
    const cli = (await run('esmExit/cli.mjs')).modules.find((m) => m.file === path.join(TARGETS, 'esmExit', 'cli.mjs'));
    assert.ok(cli && cli.evalEndedByExit === true && cli.evalUs! >= 140_000, JSON.stringify(cli));
  });
});
