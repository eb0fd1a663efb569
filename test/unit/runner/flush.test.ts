// Gaps closed in the runner: periodic flush (a SIGKILLed process keeps what was flushed, a
// normal exit still leaves one complete profile), a daemon holding the output open, ESM loaded
// by import() from CommonJS and ESM worker threads. Every test checks that no process of the
// run is left (found by the run's tag in /proc).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { isAlive, runProcesses } from '../../../src/core/runner/procTree';
import { runTarget } from '../../../src/core/runner/run';
import type { ImportsFile, RunResult } from '../../../src/core/runner/types';
import { loadRun, openProfileFile, summarize } from '../../../src/core/profile';
import { buildPreload, tempDir, TARGETS, totalTimeByFunction } from './helpers';

function assertNothingLeft(r: RunResult): void {
  // Root pid -1 matches no process: only the tag scan counts.
  const left = runProcesses(-1, `HOTPATH_RUN_ID=${r.runId}`);
  assert.deepStrictEqual(left, [], `processes of the run still alive: ${left}`);
}

function readProfile(file: string) {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: { id: number; children?: number[] }[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };
}

/** A well-formed .cpuprofile: every sample and child id is a node, the deltas add up to the span. */
function assertWellFormed(file: string): void {
  const p = readProfile(file);
  const ids = new Set(p.nodes.map((n) => n.id));
  assert.strictEqual(ids.size, p.nodes.length, 'duplicate node ids');
  assert.ok(p.samples.every((s) => ids.has(s)), 'a sample points at no node');
  assert.ok(p.nodes.every((n) => (n.children ?? []).every((c) => ids.has(c))), 'a child id points at no node');
  assert.strictEqual(p.samples.length, p.timeDeltas.length);
  assert.ok(p.timeDeltas.every((d) => d >= 0), 'negative time delta');
  const sum = p.timeDeltas.reduce((a, b) => a + b, 0);
  assert.ok(sum <= p.endTime - p.startTime, `deltas ${sum} µs exceed the span ${p.endTime - p.startTime} µs`);
}

describe('runner: periodic flush, daemons, ESM gaps', function () {
  before(buildPreload);

  it('SIGKILL: a process that computes synchronously keeps what was flushed, and the run says how much', async () => {
    const r = await runTarget({
      command: process.execPath, args: ['syncKilled.js', '3000'], cwd: TARGETS, outDir: tempDir('kill'),
      capture: { cpu: true, heap: true, imports: true, flushMs: 500 },
    });
    assertNothingLeft(r);
    assert.strictEqual(r.signal, 'SIGKILL');
    assert.strictEqual(r.processes.length, 1);
    const p = r.processes[0];
    assert.strictEqual(p.ending, 'killed');
    assert.ok(p.flushedMs !== undefined && p.flushedMs > 0, `flushedMs ${p.flushedMs}`);
    assert.ok(p.cpuProfile && p.heapProfile && p.importsFile, JSON.stringify(p));
    assertWellFormed(p.cpuProfile!);
    assert.ok((totalTimeByFunction(p.cpuProfile!).get('syncHot') ?? 0) > 0, 'syncHot missing from the flushed profile');
    const note = r.notes!.find((n) => n.startsWith(`Process ${p.pid} was killed (SIGKILL)`));
    assert.ok(note, r.notes!.join('\n'));
    assert.match(note!, /holds the first \d+\.\d s that were flushed/);
    // The flame graph / summary path reads the partial data.
    const model = await loadRun(r, { root: TARGETS });
    const s = summarize(model);
    assert.ok(s.samples > 0 && s.topFunctions.length > 0);
    assert.ok(s.notes.some((n) => n === note));
  });

  it('timeout on a synchronous hang: SIGTERM cannot be handled, SIGKILL ends it, the flushed profile is kept', async () => {
    const r = await runTarget({ command: process.execPath, args: ['syncHang.js'], cwd: TARGETS, outDir: tempDir('hangSync'), capture: { cpu: true, heap: false, imports: true, flushMs: 500 }, timeoutMs: 3000 });
    assertNothingLeft(r);
    assert.strictEqual(r.timedOut, true);
    const p = r.processes[0];
    assert.strictEqual(p.ending, 'killed');
    assert.ok(p.flushedMs! > 0 && p.cpuProfile, JSON.stringify(p));
    assert.ok((totalTimeByFunction(p.cpuProfile!).get('spinForever') ?? 0) > 0);
    assert.ok(r.notes!.some((n) => n.startsWith(`Process ${p.pid} was killed (SIGKILL)`)), r.notes!.join('\n'));
    assert.ok(r.notes!.some((n) => /timeout/.test(n)));
  });

  it('stop (duration) on a synchronous hang: the runner asks for a flush first, so the profile reaches the stop', async () => {
    // The periodic flush is far away: only the runner's request can save this process.
    const dir = tempDir('stopSync');
    const r = await runTarget({ command: process.execPath, args: ['syncHang.js'], cwd: TARGETS, outDir: dir, capture: { cpu: true, heap: false, imports: false, flushMs: 60_000 }, durationMs: 2500 });
    assertNothingLeft(r);
    assert.strictEqual(r.completed, false);
    const p = r.processes[0];
    assert.strictEqual(p.ending, 'killed');
    const meta = JSON.parse(fs.readFileSync(path.join(dir, `${p.pid}-0.meta.json`), 'utf8'));
    assert.ok(typeof meta.flush?.request === 'number', JSON.stringify(meta.flush));
    // Flushed at the stop (requested when the 2.5 s duration ran out), not before it.
    const stopAfterStartMs = r.startedAt! + 2500 - meta.startedAt;
    assert.ok(p.flushedMs! >= stopAfterStartMs - 50, `flushed ${p.flushedMs} ms, the stop came ${stopAfterStartMs} ms after the process started`);
    assert.ok((totalTimeByFunction(p.cpuProfile!).get('spinForever') ?? 0) > 0);
  });

  it('SIGKILL before the first flush still says the profile was lost', async () => {
    const r = await runTarget({ command: process.execPath, args: ['selfKill.js'], cwd: TARGETS, outDir: tempDir('early'), capture: { cpu: true, heap: false, imports: false, flushMs: 60_000 } });
    assertNothingLeft(r);
    assert.strictEqual(r.processes[0].ending, 'killed');
    assert.strictEqual(r.processes[0].cpuProfile, undefined);
    assert.ok(r.notes!.some((n) => /were killed \(SIGKILL\) before their first periodic flush/.test(n)), r.notes!.join('\n'));
  });

  it('normal exit after several flushes: one complete profile per process, chunks merged', async () => {
    const dir = tempDir('flushExit');
    const r = await runTarget({ command: process.execPath, args: ['yielding.js', '2500'], cwd: TARGETS, outDir: dir, capture: { cpu: true, heap: true, imports: true, flushMs: 300 } });
    assertNothingLeft(r);
    assert.strictEqual(r.exitCode, 0, r.outputTail);
    assert.strictEqual(r.processes.length, 1);
    const p = r.processes[0];
    assert.strictEqual(p.ending, 'exit');
    const meta = JSON.parse(fs.readFileSync(path.join(dir, `${p.pid}-0.meta.json`), 'utf8'));
    assert.ok(meta.flush?.count >= 2, `only ${meta.flush?.count} flushes`);
    // At least one CPU chunk was flushed before the last one: the profile below is a merge.
    assert.ok(meta.flush.covered.cpu > 0, JSON.stringify(meta.flush));
    const files = fs.readdirSync(dir);
    assert.deepStrictEqual(files.filter((f) => f.includes('.cpuprofile')), [`${p.pid}-0.cpuprofile`]);
    assert.ok(!files.some((f) => f.endsWith('.tmp')));
    assertWellFormed(p.cpuProfile!);
    // Samples cover the whole run, not only the last chunk: most of its 2.5 s of work is there.
    const prof = readProfile(p.cpuProfile!);
    const sampledUs = prof.timeDeltas.reduce((a, b) => a + b, 0);
    assert.ok(sampledUs > 0.8 * p.wallMs * 1000, `samples cover ${sampledUs} µs of ${p.wallMs} ms`);
    const hot = totalTimeByFunction(p.cpuProfile!).get('sliceHot') ?? 0;
    assert.ok(hot > 0.5 * 2_500_000, `sliceHot ${hot} µs of ~2.5 s`);
    // One root, and one node per call path: the merged tree has no duplicate siblings.
    const byId = new Map(prof.nodes.map((n) => [n.id, n as { id: number; children?: number[]; callFrame?: { functionName: string; url: string; lineNumber: number; columnNumber: number } }]));
    for (const n of byId.values()) {
      const keys = (n.children ?? []).map((c) => JSON.stringify(byId.get(c)!.callFrame));
      assert.strictEqual(new Set(keys).size, keys.length, `duplicate children under node ${n.id}`);
    }
  });

  it('a worker thread torn down with its process keeps what its timer flushed', async () => {
    const r = await runTarget({ command: process.execPath, args: ['workerTorn.js'], cwd: TARGETS, outDir: tempDir('torn'), capture: { cpu: true, heap: false, imports: false, flushMs: 300 } });
    assertNothingLeft(r);
    assert.strictEqual(r.exitCode, 0, r.outputTail);
    const worker = r.processes.find((p) => p.threadId > 0);
    assert.ok(worker && worker.ending === 'killed' && worker.flushedMs! > 0 && worker.cpuProfile, JSON.stringify(r.processes));
    assert.ok((totalTimeByFunction(worker!.cpuProfile!).get('workerSlice') ?? 0) > 0);
    assert.ok(r.notes!.some((n) => n.startsWith(`Worker thread ${worker!.threadId} of process ${worker!.pid} was still running when its process ended: the profile`)), r.notes!.join('\n'));
  });

  it('the flush helper thread goes to entry processes only; a Node-started child and a worker use a timer', async () => {
    const dir = tempDir('flushBy');
    const r = await runTarget({ command: 'node parentChild.js', cwd: TARGETS, outDir: dir, capture: { cpu: true, heap: false, imports: false } });
    assertNothingLeft(r);
    assert.strictEqual(r.exitCode, 0, r.outputTail);
    const by = (p: { pid: number; threadId: number }) => JSON.parse(fs.readFileSync(path.join(dir, `${p.pid}-${p.threadId}.meta.json`), 'utf8')).flushBy;
    const [parent, child] = r.processes;
    assert.strictEqual(by(parent), 'helper');
    assert.strictEqual(by(child), 'timer');
    // Its own folder: a run also lists processes that started in the second before it.
    const wdir = tempDir('flushByWorker');
    const w = await runTarget({ command: process.execPath, args: ['worker.js'], cwd: TARGETS, outDir: wdir, capture: { cpu: true, heap: false, imports: false } });
    assertNothingLeft(w);
    const wby = (p: { pid: number; threadId: number }) => JSON.parse(fs.readFileSync(path.join(wdir, `${p.pid}-${p.threadId}.meta.json`), 'utf8')).flushBy;
    assert.strictEqual(wby(w.processes.find((p) => p.threadId === 0)!), 'helper');
    assert.strictEqual(wby(w.processes.find((p) => p.threadId > 0)!), 'timer');
  });

  it('a detached daemon holding stdout open: the run ends shortly after the main process, the daemon is ended and named', async () => {
    const pidsFile = path.join(tempDir('daemon'), 'pids.json');
    const r = await runTarget({ command: process.execPath, args: ['daemon.js', pidsFile], cwd: TARGETS, outDir: tempDir('daemonOut'), capture: { cpu: true, heap: false, imports: false }, timeoutMs: 60_000 });
    const [, daemon] = JSON.parse(fs.readFileSync(pidsFile, 'utf8')) as number[];
    assert.strictEqual(r.timedOut, false);
    assert.strictEqual(r.exitCode, 0);
    assert.match(r.outputTail, /daemon up/);
    const note = r.notes!.find((n) => /kept its output open/.test(n));
    assert.ok(note && note.includes(String(daemon)), r.notes!.join('\n'));
    assert.ok(!isAlive(daemon), `daemon ${daemon} still running`);
    // Well before the 60 s timeout: the 2 s output grace plus the 3 s SIGTERM grace at most.
    assert.ok(r.wallMs < 30_000, `took ${r.wallMs} ms`);
    // The daemon is a Node process: SIGTERM let its preload write its profile.
    const d = r.processes.find((p) => p.pid === daemon);
    assert.ok(d && d.ending === 'signal:SIGTERM' && d.cpuProfile, JSON.stringify(r.processes));
    assertNothingLeft(r);
  });

  it('import() from CommonJS: timed by default, with the CommonJS importer as parent, the hooks not charged to it', async () => {
    const r = await runTarget({ command: process.execPath, args: ['dynImport/main.js'], cwd: TARGETS, outDir: tempDir('dyn'), capture: { cpu: false, heap: false, imports: true } });
    assertNothingLeft(r);
    assert.strictEqual(r.exitCode, 0, r.outputTail);
    const imports = JSON.parse(fs.readFileSync(r.processes[0].importsFile!, 'utf8')) as ImportsFile;
    assert.strictEqual(imports.esmUntimed, undefined);
    const main = imports.modules.find((m) => m.file === path.join(TARGETS, 'dynImport', 'main.js'));
    const heavy = imports.modules.find((m) => m.file === path.join(TARGETS, 'dynImport', 'heavyEsm.mjs'));
    assert.ok(heavy && heavy.kind === 'esm' && heavy.parent === main?.file, JSON.stringify(imports.modules));
    // heavyEsm.mjs busy-waits 300 ms at top level.
    assert.ok(heavy!.evalUs! >= 290_000 && heavy!.totalUs >= heavy!.evalUs!, JSON.stringify(heavy));
    // The hooks were registered while main.js was being loaded (30-500 ms here): not main.js's time.
    assert.strictEqual(imports.esmHooks?.lazy, true);
    assert.ok(main!.selfUs < imports.esmHooks!.registerUs, JSON.stringify([main, imports.esmHooks]));
  });

  it('import() no CommonJS source shows: not timed, said so, evaluation time in the CPU profile', async function () {
    // Node 24 registers in-thread hooks in every process: nothing goes untimed there (see imports.test.ts).
    if (Number(process.versions.node.split('.')[0]) >= 24) this.skip();
    const r = await runTarget({ command: process.execPath, args: ['dynImport/evalImport.js'], cwd: TARGETS, outDir: tempDir('dynEval'), capture: { cpu: true, heap: false, imports: true } });
    assertNothingLeft(r);
    assert.strictEqual(r.exitCode, 0, r.outputTail);
    const p = r.processes[0];
    const imports = JSON.parse(fs.readFileSync(p.importsFile!, 'utf8')) as ImportsFile;
    assert.strictEqual(imports.esmUntimed, true);
    assert.ok(!imports.modules.some((m) => m.file.endsWith('heavyEsm.mjs')));
    const model = await loadRun(r, { root: TARGETS });
    assert.ok(model.notes.some((n) => n.startsWith(`Process ${p.pid} evaluated ES modules`) && /--esm-hooks always/.test(n)), model.notes.join('\n'));
    // The module's top-level frame in the CPU profile carries its 300 ms of evaluation.
    const cpuOnly = summarize(await openProfileFile(p.cpuProfile!, { root: TARGETS }));
    assert.strictEqual(cpuOnly.modulesSource, 'cpu');
    const heavy = cpuOnly.modules.find((m) => m.name === 'dynImport/heavyEsm.mjs');
    assert.ok(heavy && heavy.totalMs > 100, JSON.stringify(cpuOnly.modules));
  });

  it("import() no CommonJS source shows, with esmHooks 'always': timed, with the CommonJS importer as parent", async () => {
    const r = await runTarget({ command: process.execPath, args: ['dynImport/evalImport.js'], cwd: TARGETS, outDir: tempDir('dynAlways'), capture: { cpu: false, heap: false, imports: true, esmHooks: 'always' } });
    assertNothingLeft(r);
    assert.strictEqual(r.exitCode, 0, r.outputTail);
    const imports = JSON.parse(fs.readFileSync(r.processes[0].importsFile!, 'utf8')) as ImportsFile;
    assert.strictEqual(imports.esmUntimed, undefined);
    const heavy = imports.modules.find((m) => m.file === path.join(TARGETS, 'dynImport', 'heavyEsm.mjs'));
    assert.ok(heavy && heavy.kind === 'esm' && heavy.parent === path.join(TARGETS, 'dynImport', 'evalImport.js'), JSON.stringify(imports.modules));
    assert.ok(heavy!.evalUs! >= 290_000, JSON.stringify(heavy));
  });

  it('a worker thread started on an ES module gets the hooks: its import tree is recorded', async () => {
    const r = await runTarget({ command: process.execPath, args: ['esmWorker/main.js'], cwd: TARGETS, outDir: tempDir('esmWorker'), capture: { cpu: false, heap: false, imports: true } });
    assertNothingLeft(r);
    assert.strictEqual(r.exitCode, 0, r.outputTail);
    assert.match(r.outputTail, /worker 42/);
    const worker = r.processes.find((p) => p.threadId > 0);
    assert.ok(worker?.importsFile, JSON.stringify(r.processes));
    const imports = JSON.parse(fs.readFileSync(worker!.importsFile!, 'utf8')) as ImportsFile;
    const leaf = imports.modules.find((m) => m.file === path.join(TARGETS, 'esmWorker', 'leaf.mjs'));
    assert.ok(leaf && leaf.parent === path.join(TARGETS, 'esmWorker', 'worker.mjs'), JSON.stringify(imports.modules));
    // Measured in the worker too: evaluation seen, inclusive time over its tree.
    const entry = imports.modules.find((m) => m.file === path.join(TARGETS, 'esmWorker', 'worker.mjs'));
    assert.ok(leaf!.evalUs! >= 0 && entry!.totalUs >= entry!.selfUs + leaf!.totalUs - 1, JSON.stringify(imports.modules));
    // The main thread is CommonJS and stays without hooks (and without untimed ESM).
    const main = r.processes.find((p) => p.threadId === 0)!;
    const mainImports = JSON.parse(fs.readFileSync(main.importsFile!, 'utf8')) as ImportsFile;
    assert.ok(!mainImports.modules.some((m) => m.kind === 'esm'));
  });
});

describe('cli: hotpath profile --esm-hooks / --flush', function () {
  it('passes the values into the capture options and refuses bad ones', async () => {
    const { parseProfileArgs } = await import('../../../src/cli/commands/profile');
    const p = parseProfileArgs(['--esm-hooks', 'always', '--flush', '2.5', '--', 'node', 'x.js']);
    assert.strictEqual(p.capture.esmHooks, 'always');
    assert.strictEqual(p.capture.flushMs, 2500);
    assert.strictEqual(parseProfileArgs(['--flush', '0', '--', 'node', 'x.js']).capture.flushMs, 0);
    assert.strictEqual(parseProfileArgs(['--', 'node', 'x.js']).capture.flushMs, undefined);
    assert.throws(() => parseProfileArgs(['--esm-hooks', 'never', '--', 'node', 'x.js']), /--esm-hooks must be auto or always, not never/);
    assert.throws(() => parseProfileArgs(['--flush', '-1', '--', 'node', 'x.js']), /--flush needs a number of seconds/);
    assert.throws(() => parseProfileArgs(['--flush', '0.01', '--', 'node', 'x.js']), /at least 0.1 seconds/);
  });
});
