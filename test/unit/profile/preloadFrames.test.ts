// Hotpath's own instrumentation must not show: the preload's Module._load wrappers are elided
// from the CPU (and allocation) trees on a real run through the runner, its setup is one
// `(hotpath profiler)` frame, and no time is lost or invented on the way.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { loadRun, openProfileFile, summarize, toFlameGraphs, type ProfileModel } from '../../../src/core/profile';
import { findPreload, runTarget } from '../../../src/core/runner/run';
import type { RunResult } from '../../../src/core/runner/types';
import type { FlameGraphData } from '../../../src/protocol/flame';
import { FIXTURES, tempDir } from './helpers';
import { buildOnly } from '../build';

const SRC = path.join(FIXTURES, 'src');
const REPO = path.resolve(__dirname, '../../..');
const WRAPPERS = ['hotpathLoad', 'hotpathProtoLoad', 'hotpathListen'];
const HOT = 'ownWork';

interface RawNode { id: number; callFrame: { functionName: string; url: string }; children?: number[] }
interface RawProfile { nodes: RawNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

function namesIn(g: FlameGraphData): Set<string> {
  return new Set(g.nodes.frame.map((f) => g.frames[f].name));
}

/** Total µs of samples whose stack holds `name`, straight from the raw profile (sample i lasts timeDeltas[i + 1]). */
function rawTotalUs(p: RawProfile, name: string): number {
  const parent = new Map<number, number>();
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const holds = new Map<number, boolean>();
  const has = (id: number): boolean => {
    let v = holds.get(id);
    if (v === undefined) {
      const up = parent.get(id);
      v = byId.get(id)!.callFrame.functionName === name || (up !== undefined && has(up));
      holds.set(id, v);
    }
    return v;
  };
  let us = 0;
  for (let i = 0; i + 1 < p.samples.length; i++) if (has(p.samples[i])) us += p.timeDeltas[i + 1];
  return us;
}

describe('profile model: the preload\'s own frames', function () {
  this.timeout(120_000);
  let result: RunResult;
  let raw: RawProfile;
  let model: ProfileModel;
  let cpu: FlameGraphData;

  before(async () => {
    buildOnly('preload');
    result = await runTarget({
      command: process.execPath, args: ['usesDeps.js'], cwd: SRC, outDir: tempDir('preload-frames'),
      capture: { cpu: true, heap: true, imports: true, intervalUs: 250 }, timeoutMs: 60_000,
    });
    assert.strictEqual(result.exitCode, 0, result.outputTail);
    raw = JSON.parse(fs.readFileSync(result.processes[0].cpuProfile!, 'utf8')) as RawProfile;
    model = await loadRun(result, { root: SRC });
    cpu = toFlameGraphs(model).find((g) => g.kind === 'cpu')!;
  });

  it('records the wrappers in the raw profile (the test means something)', () => {
    const preload = fs.realpathSync(findPreload());
    const names = raw.nodes.filter((n) => n.callFrame.url.endsWith('/preload.js')).map((n) => n.callFrame.functionName);
    assert.ok(names.includes('hotpathLoad') && names.includes('hotpathProtoLoad'), names.join());
    assert.ok(raw.nodes.some((n) => n.callFrame.url.includes(preload)), `no frame of ${preload}`);
  });

  it('leaves no wrapper frame in the CPU and allocation graphs or the top functions', () => {
    for (const g of toFlameGraphs(model)) {
      const names = namesIn(g);
      for (const w of WRAPPERS) assert.ok(!names.has(w), `${w} in the ${g.kind} graph`);
    }
    for (const w of WRAPPERS) assert.ok(!model.frames.some((f) => f.name === w), `${w} in the frame table`);
    const top = summarize(model, { top: 1000 }).topFunctions;
    for (const w of WRAPPERS) assert.ok(!top.some((f) => f.name === w), `${w} in topFunctions`);
    // No frame from the preload's files at all, before or after source mapping.
    const own = cpu.nodes.frame.map((f) => cpu.frames[f]).filter((f) => /preload\w*\.(js|ts)$/.test(f.path ?? f.file));
    assert.deepStrictEqual(own, []);
  });

  it('stacks read as if the wrappers were not there: Module._load calls Module.load directly', () => {
    const { frame, parent } = cpu.nodes;
    const name = (k: number) => cpu.frames[frame[k]].name;
    const loads = frame.map((_, k) => k).filter((k) => name(k) === 'Module.load');
    assert.ok(loads.length > 0, 'no Module.load node');
    for (const k of loads) assert.strictEqual(name(parent[k]), 'Module._load');
  });

  it('shows the preload\'s setup as one (hotpath profiler) frame, classified program', () => {
    const f = cpu.frames.findIndex((x) => x.name === '(hotpath profiler)');
    assert.ok(f >= 0, 'no (hotpath profiler) frame');
    assert.strictEqual(cpu.categories[cpu.frames[f].category].kind, 'program');
    const { frame, parent } = cpu.nodes;
    for (let k = 0; k < frame.length; k++) {
      if (frame[k] === f) assert.notStrictEqual(frame[parent[k]], f, '(hotpath profiler) directly under itself');
    }
  });

  it('keeps the hot function and its total time', () => {
    const s = summarize(model, { top: 1000 });
    const hot = s.topFunctions.find((f) => f.name === HOT);
    assert.ok(hot, JSON.stringify(s.topFunctions.slice(0, 5)));
    const expectedMs = rawTotalUs(raw, HOT) / 1000;
    assert.ok(expectedMs > 30, `${HOT} ran ${expectedMs} ms`);
    assert.ok(Math.abs(hot.totalMs - expectedMs) <= expectedMs * 0.01, `${HOT}: ${hot.totalMs} ms in the model, ${expectedMs} ms in the raw profile`);
  });

  it('keeps totals exact: the root total is the sum of self times and the sampled time', () => {
    for (const g of toFlameGraphs(model)) {
      const selfSum = g.nodes.self.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(g.nodes.total[0] - selfSum) <= 1e-6 * Math.max(1, selfSum), `${g.kind}: root ${g.nodes.total[0]}, self sum ${selfSum}`);
    }
    assert.strictEqual(cpu.nodes.total[0], model.cpu!.totalUs);
  });
});

describe('profile model: preload frames in profiles from elsewhere', () => {
  // root > main > hotpathLoad > Module._load > work, and root > main > Module._load > work:
  // without the wrapper both stacks are the same and merge.
  const frame = (id: number, functionName: string, url: string, children: number[] = [], line = 3) =>
    ({ id, callFrame: { functionName, scriptId: '1', url, lineNumber: line, columnNumber: 2 }, hitCount: 0, children });
  const write = (urlOfWrapper: string, userPreload: string) => {
    const nodes = [
      frame(1, '(root)', '', [2]),
      frame(2, 'main', 'file:///app/main.js', [3, 5, 7]),
      frame(3, 'hotpathLoad', urlOfWrapper, [4]),
      frame(4, 'Module._load', 'node:internal/modules/cjs/loader', [9]),
      frame(5, 'Module._load', 'node:internal/modules/cjs/loader', [6]),
      frame(6, 'work', 'file:///app/main.js', [], 10),
      frame(7, 'setup', userPreload, []),
      frame(9, 'work', 'file:///app/main.js', [], 10),
    ];
    const samples = [3, 9, 6, 7, 4, 9];
    const file = path.join(tempDir('preload-synthetic'), 'x.cpuprofile');
    fs.writeFileSync(file, JSON.stringify({ nodes, startTime: 0, endTime: 700, samples, timeDeltas: [0, 100, 100, 100, 100, 100] }));
    return file;
  };

  it('elides hotpathLoad on a URL named like the preload, merges the stacks, keeps every µs', async () => {
    const model = await openProfileFile(write('file:///elsewhere/dist/preload.js', 'file:///app/preload.js'), { root: '/app' });
    const g = toFlameGraphs(model)[0];
    const names = namesIn(g);
    assert.ok(!names.has('hotpathLoad'));
    const { frame: fr, parent, self, total } = g.nodes;
    const name = (k: number) => g.frames[fr[k]].name;
    const works = fr.map((_, k) => k).filter((k) => name(k) === 'work');
    assert.strictEqual(works.length, 1, 'the two work stacks merge');
    assert.strictEqual(name(parent[works[0]]), 'Module._load');
    assert.strictEqual(name(parent[parent[works[0]]]), 'main');
    assert.strictEqual(self[works[0]], 300);
    // The wrapper's own sample went to its parent.
    const main = fr.findIndex((f) => g.frames[f].name === 'main');
    assert.strictEqual(self[main], 100);
    // A user's own preload.js is the user's code.
    assert.ok(names.has('setup'));
    assert.strictEqual(total[0], self.reduce((a, b) => a + b, 0));
  });

  it('leaves a user function that is not a wrapper alone, even in a file called preload.js', async () => {
    const model = await openProfileFile(write('file:///app/lib/wrap.js', 'file:///app/preload.js'), { root: '/app' });
    assert.ok(namesIn(toFlameGraphs(model)[0]).has('hotpathLoad'), 'a hotpathLoad outside any preload.js is the user\'s');
  });
});

describe('profile model: registering the ESM hooks is the profiler\'s time', function () {
  this.timeout(120_000);

  it('folds Node\'s loader-thread start-up (waitForWorker) into (hotpath profiler)', async () => {
    buildOnly('preload');
    const targets = path.join(REPO, 'test/fixtures/targets');
    // main.js mentions import(: the hooks are registered while it loads, 30-500 ms here.
    const result = await runTarget({
      command: process.execPath, args: ['dynImport/main.js'], cwd: targets, outDir: tempDir('hooks-frames'),
      capture: { cpu: true, heap: false, imports: true, intervalUs: 500 }, timeoutMs: 60_000,
    });
    assert.strictEqual(result.exitCode, 0, result.outputTail);
    const raw = JSON.parse(fs.readFileSync(result.processes[0].cpuProfile!, 'utf8')) as RawProfile;
    // The test means something: the raw profile has the registration and time under it.
    assert.ok(rawTotalUs(raw, 'hotpathRegisterHooks') > 0, 'no sample under hotpathRegisterHooks');
    const model = await loadRun(result, { root: targets });
    const top = summarize(model, { top: 1000 }).topFunctions;
    for (const name of ['hotpathRegisterHooks', 'waitForWorker', 'register']) assert.ok(!top.some((f) => f.name === name), `${name} in topFunctions`);
    // ...it is in the (hotpath profiler) frame (classified program, so not a top function).
    const cpu = toFlameGraphs(model).find((g) => g.kind === 'cpu')!;
    const f = cpu.frames.findIndex((x) => x.name === '(hotpath profiler)');
    const profilerUs = cpu.nodes.frame.reduce((a, fr, k) => a + (fr === f ? cpu.nodes.self[k] : 0), 0);
    assert.ok(profilerUs >= rawTotalUs(raw, 'hotpathRegisterHooks'), `(hotpath profiler) ${profilerUs} µs`);
  });
});
