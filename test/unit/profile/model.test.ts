// The model on real CPU profiles of fixture programs: ranking, shares, per-process merge,
// classification, flame graph shape, hotspots.
import * as assert from 'assert';
import * as path from 'path';
import { loadRun, openProfileFile, summarize, toFlameGraphs, hotspotsForFile } from '../../../src/core/profile';
import type { ProcessRecord, RunResult } from '../../../src/core/runner/types';
import { FIXTURES, idsOf, recordCpu } from './helpers';
import { stalledShare } from '../runner/helpers';
import { aggregate, groupFrames } from '../../../src/core/profile/aggregate';
import { topGroups } from '../../../src/core/profile/summary';

const SRC = path.join(FIXTURES, 'src');

function runOf(files: string[], commandLines: string[]): RunResult {
  const processes: ProcessRecord[] = files.map((f, i) => ({
    ...idsOf(f), ppid: 0, commandLine: commandLines[i], argv: commandLines[i].split(' '), cwd: SRC, nodeVersion: process.version, wallMs: 0, cpuProfile: f, ending: 'exit',
  }));
  return { exitCode: 0, signal: null, wallMs: 0, timedOut: false, cancelled: false, completed: true, outDir: path.dirname(files[0]), processes, outputTail: '' };
}

describe('profile model on real CPU profiles', () => {
  let twoHot: string;
  let twoHotWallMs: number;
  let deps: string;
  let parentChild: string[];
  before(function () {
    this.timeout(60_000);
    const t0 = Date.now();
    twoHot = recordCpu(path.join(SRC, 'twoHot.js'), ['900'])[0];
    twoHotWallMs = Date.now() - t0;
    deps = recordCpu(path.join(SRC, 'usesDeps.js'))[0];
    parentChild = recordCpu(path.join(SRC, 'parent.js'));
  });

  it('picks the top functions and modules as a stable sort of all groups would (ties in group order)', async () => {
    const model = await openProfileFile(deps, { root: SRC });
    const tree = model.cpu!.tree;
    const byFunction = groupFrames(model.frames, (f) => `${f.name}\0${f.path ?? f.url}`);
    const t = aggregate(tree, byFunction.groupOfFrame, byFunction.keys.length);
    // The real values, and the same again with ties (each value twice, and a run of equal ones).
    const values = [t.self, t.total, Float64Array.from([...t.self, ...t.self, 5, 5, 5, 0, -1])];
    for (const v of values) {
      const sorted = Array.from(v.keys()).filter((g) => v[g] > 0).sort((a, b) => v[b] - v[a]);
      assert.ok(sorted.length > 3, 'enough groups to choose from');
      for (const top of [0, 1, 3, 20, sorted.length + 5]) assert.deepStrictEqual(topGroups(v, top), sorted.slice(0, top), `top ${top}`);
    }
  });

  it('ranks the two hot functions first, with a 2:1 share of self time', async () => {
    const model = await openProfileFile(twoHot, { root: SRC });
    const s = summarize(model);
    assert.deepStrictEqual(s.topFunctions.slice(0, 2).map((f) => f.name), ['hotA', 'hotB']);
    const [a, b] = s.topFunctions;
    const share = a.selfMs / (a.selfMs + b.selfMs);
    // Within 0.08, plus the share of time the sampler did not see: a stop of a busy machine is
    // credited whole to one sample, on either function (at load 30 the share read 0.58).
    const band = 0.08 + stalledShare(twoHot, 250);
    assert.ok(Math.abs(share - 2 / 3) < band, `hotA share ${share.toFixed(3)} should be within ${band.toFixed(3)} of 0.667`);
    // Together they are nearly all of the sampled time (the rest is start-up).
    assert.ok(a.selfMs + b.selfMs > 0.6 * s.cpuMs, `${a.selfMs + b.selfMs} of ${s.cpuMs} ms`);
    assert.strictEqual(a.file, 'twoHot.js');
    assert.strictEqual(a.line, 5, 'callFrame lines are 0-based in the file and 1-based in the model');
    assert.ok(a.samples > 100, `samples ${a.samples}`);
    // Sampled time comes from timeDeltas: at least the program's 900 ms of busy (wall) time, at
    // most the wall time of the whole process (start-up included; seconds on a busy machine).
    assert.ok(s.cpuMs > 850 && s.cpuMs < twoHotWallMs, `cpuMs ${s.cpuMs}, process wall ${twoHotWallMs} ms`);
    const run = s.topFunctions.find((f) => f.name === 'run');
    assert.ok(run && run.totalMs >= a.selfMs + b.selfMs - 1, 'total time includes callees');
  });

  it('gives per-line ticks and per-function times for the editor', async () => {
    const model = await openProfileFile(twoHot, { root: SRC });
    const h = hotspotsForFile(model, path.join(SRC, 'twoHot.js'));
    const names = h.functions.map((f) => f.name);
    assert.ok(names.includes('hotA') && names.includes('hotB') && names.includes('run'), names.join());
    // The inner loops (lines 9 and 18) carry most ticks of their functions.
    const busiest = [...h.lines].sort((x, y) => y.selfMs - x.selfMs).slice(0, 2).map((l) => l.line).sort((x, y) => x - y);
    for (const line of busiest) assert.ok(line >= 7 && line <= 19, `hot line ${line}`);
    const inA = h.lines.filter((l) => l.line >= 5 && l.line <= 12).reduce((t, l) => t + l.selfMs, 0);
    const hotA = h.functions.find((f) => f.name === 'hotA')!;
    assert.ok(Math.abs(inA - hotA.selfMs) <= 0.05 * hotA.selfMs + 1, `line ticks ${inA} vs function ${hotA.selfMs}`);
  });

  it('classifies dependency frames by package, including scoped ones', async () => {
    const model = await openProfileFile(deps, { root: SRC });
    const byName = (n: string) => model.frames.find((f) => f.name === n)!;
    assert.strictEqual(byName('parseSlowly').kind, 'dependency');
    assert.strictEqual(byName('parseSlowly').pkg, '@acme/slow-parse');
    assert.strictEqual(byName('padBusily').pkg, 'left-pad-busy');
    assert.strictEqual(byName('ownWork').kind, 'workspace');
    assert.ok(model.frames.some((f) => f.kind === 'node' && f.url.startsWith('node:')), 'node internals');
    const s = summarize(model);
    const modules = s.modules.map((m) => m.name);
    assert.ok(modules.includes('usesDeps.js'), modules.join());
    const graph = toFlameGraphs(model)[0];
    const labels = graph.categories.map((c) => c.label);
    assert.ok(labels.includes('@acme/slow-parse') && labels.includes('left-pad-busy') && labels.includes('Your code'), labels.join());
  });

  it('merges processes under one root, one child per process', async () => {
    assert.strictEqual(parentChild.length, 2, 'parent and child each wrote a profile');
    const model = await loadRun(runOf(parentChild, ['node parent.js', 'node child.js']), { root: SRC });
    const s = summarize(model);
    const names = s.topFunctions.map((f) => f.name);
    assert.ok(names.includes('parentHot') && names.includes('childHot'), names.join());
    const graph = toFlameGraphs(model).find((g) => g.kind === 'cpu')!;
    assert.strictEqual(graph.processes?.length, 2);
    for (const p of graph.processes!) assert.strictEqual(graph.nodes.parent[p.node], 0);
    assert.ok(graph.processes!.some((p) => p.label.startsWith('node child.js')));
    // Each hot function sits under its own process.
    const under = (fn: string) => {
      let n = graph.nodes.frame.findIndex((f) => graph.frames[f].name === fn);
      while (graph.nodes.parent[n] !== 0) n = graph.nodes.parent[n];
      return graph.processes!.find((p) => p.node === n)!.label;
    };
    assert.ok(under('parentHot').startsWith('node parent.js'));
    assert.ok(under('childHot').startsWith('node child.js'));
    // Process totals add up to the root.
    const sum = graph.processes!.reduce((t, p) => t + graph.nodes.total[p.node], 0);
    assert.ok(Math.abs(sum - graph.nodes.total[0]) < 1e-6);
  });

  it('produces a pre-order flame graph with contiguous subtrees and a timeline', async () => {
    const graph = toFlameGraphs(await openProfileFile(twoHot, { root: SRC }))[0];
    const { parent, self, total } = graph.nodes;
    assert.strictEqual(parent[0], -1);
    for (let i = 1; i < parent.length; i++) assert.ok(parent[i] < i, 'parents come first');
    // Subtree of each node is contiguous: compute sizes and check that totals add up.
    const size = new Array(parent.length).fill(1);
    for (let i = parent.length - 1; i > 0; i--) size[parent[i]] += size[i];
    for (let i = 0; i < parent.length; i++) {
      let sum = self[i];
      for (let j = i + 1; j < i + size[i]; j++) if (parent[j] === i) sum += total[j];
      assert.ok(Math.abs(sum - total[i]) < 1e-6, `node ${i}`);
      for (let j = i + 1; j < i + size[i]; j++) assert.ok(parent[j] >= i && parent[j] < i + size[i]);
    }
    const t = graph.timeline!;
    const timelineSum = t.duration.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(timelineSum - total[0]) < 1, `timeline ${timelineSum} vs total ${total[0]}`);
    assert.strictEqual(graph.nodes.samples!.reduce((a, b) => a + b, 0) > 0, true);
  });
});
