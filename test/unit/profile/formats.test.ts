// Every supported file format, read from real recordings: heap profiles, speedscope (round trip
// and evented), Chrome trace events, V8 tick logs as 0x writes them, module timing files.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { openProfileFile, summarize, toFlameGraphs, toSpeedscope } from '../../../src/core/profile';
import { FIXTURES, recordCpu, recordHeap, tempDir } from './helpers';

const SRC = path.join(FIXTURES, 'src');

describe('profile formats', function () {
  this.timeout(60_000);
  let dir: string;
  let cpu: string;
  before(() => {
    dir = tempDir('formats');
    cpu = recordCpu(path.join(SRC, 'twoHot.js'), ['600'])[0];
  });

  it('reads a heap profile: allocation bytes per function, in proportion', async () => {
    const model = await openProfileFile(recordHeap(path.join(SRC, 'allocates.js')), { root: SRC });
    const s = summarize(model);
    const records = s.allocations.find((a) => a.name === 'makeRecords');
    const strings = s.allocations.find((a) => a.name === 'makeStrings');
    assert.ok(records && strings, JSON.stringify(s.allocations.slice(0, 5)));
    // `node --heap-prof` leaves url and line empty for a script that has finished running
    // (seen on Node 20); the runner's in-process sampling keeps them (see pipeline.test.ts).
    // 200k objects with a 4-element array and a string vs 100k short strings: several times more.
    assert.ok(records.bytes > 2 * strings.bytes, `${records.bytes} vs ${strings.bytes}`);
    assert.ok(records.bytes > 5_000_000, `${records.bytes} bytes`);
    const alloc = toFlameGraphs(model).find((g) => g.kind === 'alloc')!;
    assert.strictEqual(alloc.unit, 'bytes');
    assert.strictEqual(alloc.nodes.total[0], model.alloc!.totalBytes);
  });

  it('round-trips through speedscope with the same top functions and times', async () => {
    const model = await openProfileFile(cpu, { root: SRC });
    const file = path.join(dir, 'twoHot.speedscope.json');
    fs.writeFileSync(file, JSON.stringify(toSpeedscope(model)));
    const back = await openProfileFile(file, { root: SRC });
    const a = summarize(model).topFunctions.slice(0, 5);
    const b = summarize(back).topFunctions.slice(0, 5);
    assert.deepStrictEqual(b.map((f) => [f.name, f.file, f.line]), a.map((f) => [f.name, f.file, f.line]));
    for (let i = 0; i < a.length; i++) {
      assert.ok(Math.abs(a[i].selfMs - b[i].selfMs) < 0.02, `${a[i].name} self ${a[i].selfMs} vs ${b[i].selfMs}`);
      assert.ok(Math.abs(a[i].totalMs - b[i].totalMs) < 0.02, `${a[i].name} total ${a[i].totalMs} vs ${b[i].totalMs}`);
    }
    assert.strictEqual(back.frames.find((f) => f.name === 'hotA')!.kind, 'workspace');
  });

  it('reads evented speedscope profiles (open/close events)', async () => {
    const file = path.join(dir, 'evented.json');
    fs.writeFileSync(file, JSON.stringify({
      $schema: 'https://www.speedscope.app/file-format-schema.json',
      shared: { frames: [{ name: 'outer', file: path.join(SRC, 'twoHot.js'), line: 24 }, { name: 'inner', file: path.join(SRC, 'twoHot.js'), line: 5 }] },
      profiles: [{ type: 'evented', name: 'main', unit: 'milliseconds', startValue: 0, endValue: 100, events: [
        { type: 'O', at: 0, frame: 0 }, { type: 'O', at: 10, frame: 1 }, { type: 'C', at: 30, frame: 1 }, { type: 'C', at: 100, frame: 0 },
      ] }],
    }));
    const s = summarize(await openProfileFile(file, { root: SRC }));
    assert.deepStrictEqual(s.topFunctions.map((f) => [f.name, f.selfMs, f.totalMs]), [['outer', 80, 100], ['inner', 20, 20]]);
  });

  it('reads Chrome trace events with ProfileChunk samples like the .cpuprofile they hold', async () => {
    const p = JSON.parse(fs.readFileSync(cpu, 'utf8'));
    // The DevTools shape: nodes carry `parent`, samples and deltas come in chunks.
    const nodes = p.nodes.map((n: { id: number; callFrame: unknown }) => ({ id: n.id, callFrame: n.callFrame }));
    for (const n of p.nodes) for (const c of n.children ?? []) nodes.find((x: { id: number }) => x.id === c).parent = n.id;
    const half = p.samples.length >> 1;
    const chunk = (from: number, to: number, withNodes: boolean) => ({
      name: 'ProfileChunk', ph: 'P', pid: 42, tid: 1, id: '0x1', ts: 0,
      args: { data: { cpuProfile: { ...(withNodes ? { nodes } : {}), samples: p.samples.slice(from, to) }, timeDeltas: p.timeDeltas.slice(from, to) } },
    });
    const file = path.join(dir, 'trace.json');
    fs.writeFileSync(file, JSON.stringify({ traceEvents: [
      { name: 'TracingStartedInBrowser', ph: 'I', pid: 42, tid: 1, ts: 0, args: {} },
      { name: 'Profile', ph: 'P', pid: 42, tid: 1, id: '0x1', ts: 0, args: { data: { startTime: p.startTime } } },
      chunk(0, half, true), chunk(half, p.samples.length, false),
    ] }));
    const fromTrace = summarize(await openProfileFile(file, { root: SRC })).topFunctions.slice(0, 3);
    const whole = summarize(await openProfileFile(cpu, { root: SRC }));
    const direct = whole.topFunctions.slice(0, 3);
    assert.deepStrictEqual(fromTrace.map((f) => f.name), direct.map((f) => f.name));
    // Trace events carry no endTime: only the last sample's duration (one sampling gap) may differ.
    const gapMs = (2 * whole.cpuMs) / whole.samples;
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(fromTrace[i].selfMs - direct[i].selfMs) <= gapMs, `${fromTrace[i].selfMs} vs ${direct[i].selfMs}`);
  });

  it('reads a V8 tick log preprocessed the way 0x writes it (isolate-*.log.json)', async function () {
    this.timeout(180_000); // two node processes, the second parses the whole log: 60 s was exceeded at load 30
    const work = tempDir('prof');
    const run = spawnSync(process.execPath, ['--prof', path.join(SRC, 'twoHot.js'), '600'], { cwd: work, encoding: 'utf8' });
    assert.strictEqual(run.status, 0, run.stderr);
    const log = fs.readdirSync(work).find((f) => f.startsWith('isolate-') && f.endsWith('.log'))!;
    const pre = spawnSync(process.execPath, ['--prof-process', '--preprocess', log], { cwd: work, encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.strictEqual(pre.status, 0, pre.stderr);
    const file = path.join(work, `${log}.json`);
    fs.writeFileSync(file, pre.stdout);
    const s = summarize(await openProfileFile(file, { root: SRC }));
    assert.deepStrictEqual(s.topFunctions.slice(0, 2).map((f) => f.name).sort(), ['hotA', 'hotB']);
    assert.strictEqual(s.topFunctions[0].file, 'twoHot.js');
  });

  it('opens a module timing file as an import tree', async () => {
    const root = tempDir('imports');
    const abs = (p: string) => path.join(root, p);
    const rec = (file: string, parent: string | null, startUs: number, totalUs: number, selfUs: number, kind = 'cjs') => ({ file, parent, kind, request: file, startUs, totalUs, selfUs });
    const file = path.join(root, '7-0.imports.json');
    fs.writeFileSync(file, JSON.stringify({ version: 1, pid: 7, threadId: 0, modules: [
      rec(abs('app.js'), null, 0, 9000, 1000),
      rec(abs('lib/db.js'), abs('app.js'), 100, 6000, 500),
      rec(abs('node_modules/@acme/pg/index.js'), abs('lib/db.js'), 200, 5500, 3000),
      rec(abs('node_modules/@acme/pg/lib/conn.js'), abs('node_modules/@acme/pg/index.js'), 300, 2500, 2500),
      rec('node:net', abs('node_modules/@acme/pg/lib/conn.js'), 400, 0, 0, 'builtin'),
      rec(abs('lib/db.js'), abs('app.js'), 7000, 0, 0), // a cached second require: no new node
      rec(abs('routes.js'), abs('app.js'), 7100, 2000, 2000),
    ] }));
    const model = await openProfileFile(file, { root });
    const s = summarize(model);
    assert.strictEqual(s.modulesSource, 'imports');
    assert.deepStrictEqual(s.modules.map((m) => [m.name, m.selfMs, m.totalMs]), [
      ['app.js', 1, 9], ['lib/db.js', 0.5, 6], ['@acme/pg', 5.5, 5.5], ['routes.js', 2, 2],
    ]);
    assert.strictEqual(s.modules[2].file, 'node_modules/@acme/pg');
    const g = toFlameGraphs(model).find((x) => x.kind === 'imports')!;
    const name = (i: number) => g.frames[g.nodes.frame[i]].name;
    const idx = (n: string) => g.nodes.frame.findIndex((f) => g.frames[f].name === n);
    assert.strictEqual(name(g.nodes.parent[idx('lib/db.js')]), 'app.js');
    assert.strictEqual(name(g.nodes.parent[idx('node:net')]), '@acme/pg');
    assert.strictEqual(g.nodes.total[idx('app.js')], 9000);
    assert.strictEqual(g.nodes.frame.filter((f) => g.frames[f].name === 'lib/db.js').length, 1);
  });
});
