// The ± of sampled values in the flame view, on a real run: the runner's preload records CPU,
// heap and module load times of a fixture; the core builds FlameGraphData; the view's describe,
// table rows and search show value ± value / sqrt(samples) for CPU and heap, and nothing invented
// for the measured load times.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { loadRun, openProfileFile, toFlameGraphs } from '../../../src/core/profile';
import { samplingError } from '../../../src/core/stats/sampling';
import { sampleCounts, type FlameGraphData } from '../../../src/protocol/flame';
import { byFunction, searchTree } from '../../../webview/flame/analysis';
import { frameInfo, samplesText, summaryText } from '../../../webview/flame/describe';
import { formatValue, formatWithError } from '../../../webview/flame/format';
import { partialLayout } from '../../../webview/flame/merge';
import { GraphPipeline, type ViewOptions } from '../../../webview/flame/pipeline';
import { totalSamplesOf } from '../../../webview/flame/spread';
import { rawFromData, type LaidTree } from '../../../webview/flame/tree';
import { FIXTURES, recordHeap, runUsesDeps } from '../profile/helpers';

const SRC = path.join(FIXTURES, 'src');
const LEFT: ViewOptions = { layout: 'left-heavy', inverted: false, myCodeOnly: false, focusFrame: -1 };
// One decimal rounded as the view rounds (Intl, half away from zero): toFixed works on the binary
// value and turned 137.45 into "137.4" where the view shows "137.5" (seen in CI).
const ms1 = (us: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(us / 1000);

/** Sum of self samples over each node's subtree, the slow way (walks the pre-order ranges). */
function subtreeSamples(t: LaidTree, i: number): number {
  let s = 0;
  for (let j = i; j < i + t.size[i]; j++) s += t.samples![j];
  return s;
}

describe('flame view: sampling error (±) on a real run', function () {
  this.timeout(180_000);
  let graphs: FlameGraphData[];
  let cpuSamples: number;

  before(async () => {
    const result = await runUsesDeps();
    assert.equal(result.exitCode, 0, result.outputTail);
    const model = await loadRun(result, { root: SRC });
    graphs = toFlameGraphs(model);
    cpuSamples = model.processes.reduce((s, p) => s + (p.cpuSamples ?? 0), 0);
  });

  const graph = (kind: FlameGraphData['kind']) => graphs.find((g) => g.kind === kind)!;

  it('the builder sends per-node sample counts for CPU and heap, none for measured load times', () => {
    assert.deepEqual(graphs.map((g) => g.kind), ['cpu', 'alloc', 'imports']);
    const cpu = graph('cpu');
    assert.ok(sampleCounts(cpu.nodes), 'CPU counts are valid');
    assert.equal(cpu.nodes.samples!.reduce((a, b) => a + b, 0), cpuSamples, 'every CPU sample is on one node');
    assert.ok(cpuSamples > 20, `enough samples to mean something (${cpuSamples})`);
    const alloc = graph('alloc');
    assert.ok(sampleCounts(alloc.nodes), 'heap counts are valid');
    // Every node with sampled bytes has the samples behind them.
    alloc.nodes.self.forEach((b, i) => { if (b > 0) assert.ok(alloc.nodes.samples![i] > 0, `alloc node ${i}: ${b} bytes, no samples`); });
    assert.equal(graph('imports').nodes.samples, undefined);
  });

  it('CPU: self and total of every node carry value / sqrt(samples); the words show them', () => {
    const g = graph('cpu');
    const view = new GraphPipeline(g).prepare(LEFT);
    const t = view.tree;
    const totals = totalSamplesOf(t)!;
    assert.equal(totals[0], cpuSamples);
    let shown = 0;
    for (let i = 0; i < t.n; i++) {
      const info = frameInfo(t, g, i);
      assert.equal(info.samples, t.samples![i]);
      assert.equal(info.totalSamples, subtreeSamples(t, i));
      assert.equal(info.selfError, t.samples![i] > 0 ? samplingError(t.self[i], t.samples![i]) : null);
      assert.equal(info.totalError, info.totalSamples! > 0 ? samplingError(t.total[i], info.totalSamples!) : null);
      if (info.selfError !== null) {
        assert.equal(info.selfShown, `${ms1(t.self[i])} ±${ms1(info.selfError)} ms`);
        shown++;
      } else assert.equal(info.selfShown, formatValue(t.self[i], 'us'));
    }
    assert.ok(shown > 3, `several nodes have a ± (${shown})`);
    // The hottest code frame, as the summary and the tooltip read.
    let hot = 1;
    for (let i = 1; i < t.n; i++) if (t.self[i] > t.self[hot] && g.frames[t.frame[i]].name !== '(garbage collector)') hot = i;
    const info = frameInfo(t, g, hot);
    const text = summaryText(info, '123.0 ms');
    assert.ok(text.startsWith(`${info.name}: self ${ms1(info.self)} ±${ms1(info.selfError!)} ms (`), text);
    assert.ok(text.includes(`total ${ms1(info.total)} ±${ms1(info.totalError!)} ms (`), text);
    assert.ok(text.includes(samplesText(info)) && samplesText(info).startsWith(`${info.samples!.toLocaleString('en-US')} self samples`), text);
    assert.match(info.spread, /Sampled time on the thread's stack: ± is the sampling error/);
  });

  it('CPU: the by-function rows and the search sum samples as they sum values', () => {
    const g = graph('cpu');
    const t = new GraphPipeline(g).prepare(LEFT).tree;
    const rows = byFunction(t, g.frames.length);
    for (const r of rows) {
      let selfSamples = 0;
      for (let i = 1; i < t.n; i++) if (t.frame[i] === r.frame) selfSamples += t.samples![i];
      assert.equal(r.selfSamples, selfSamples, g.frames[r.frame].name);
      assert.ok(r.totalSamples! >= r.selfSamples! && r.totalSamples! <= cpuSamples);
      if (r.total === t.total[r.hottestNode] && t.size[r.hottestNode] === 1) assert.equal(r.totalSamples, r.selfSamples);
    }
    const own = rows.find((r) => g.frames[r.frame].name === 'ownWork')!;
    assert.ok(own && own.selfSamples! > 0, 'ownWork was sampled');
    const s = searchTree(t, g.frames, 'ownWork');
    assert.equal(s.value, own.total);
    assert.equal(s.samples, own.totalSamples);
  });

  it('CPU: inverted and my-code-only views keep every sample; the time-ordered layout says it has no counts', () => {
    const g = graph('cpu');
    const p = new GraphPipeline(g);
    for (const o of [{ ...LEFT, inverted: true }, { ...LEFT, myCodeOnly: true }]) {
      const t = p.prepare(o).tree;
      assert.equal(totalSamplesOf(t)![0], cpuSamples, JSON.stringify(o));
    }
    const timeView = p.prepare({ ...LEFT, layout: 'time-ordered' });
    assert.equal(timeView.options.layout, 'time-ordered');
    const info = frameInfo(timeView.tree, g, 0, 'time-ordered');
    assert.equal(info.totalError, null);
    assert.equal(info.totalShown, formatValue(info.total, 'us'));
    assert.match(info.spread, /time-ordered layout keeps no sample counts/);
  });

  it('CPU: a partial first-paint layout shows self ± and says totals get theirs after the full layout', () => {
    const g = graph('cpu');
    const t = partialLayout(rawFromData(g), 3, g.frames.length);
    assert.ok(t && t.hidden, 'a 3-pixel-wide root leaves nodes out');
    assert.equal(totalSamplesOf(t), null);
    const info = frameInfo(t, g, 0);
    assert.equal(info.totalError, null);
    assert.match(info.spread, /totals get theirs once the full layout is done/);
  });

  it('allocations: sampled bytes with ± from the heap samples, in the value\'s scale', () => {
    const g = graph('alloc');
    const t = new GraphPipeline(g).prepare(LEFT).tree;
    let hot = 1;
    for (let i = 1; i < t.n; i++) if (t.self[i] > t.self[hot]) hot = i;
    const info = frameInfo(t, g, hot);
    assert.ok(info.samples! > 0);
    assert.equal(info.selfError, samplingError(info.self, info.samples!));
    assert.equal(info.selfShown, formatWithError(info.self, info.selfError, 'bytes'));
    assert.match(info.selfShown, /^[\d.,]+ ±[\d.,]+ (B|KB|MB|GB)$/);
    assert.match(info.spread, /Sampled bytes: ± is the sampling error/);
  });

  it('module load times are measured: no ±, and the note says so', () => {
    const g = graph('imports');
    const t = new GraphPipeline(g).prepare(LEFT).tree;
    assert.equal(totalSamplesOf(t), null);
    for (let i = 0; i < t.n; i++) {
      const info = frameInfo(t, g, i);
      assert.equal(info.selfError, null);
      assert.equal(info.totalError, null);
      assert.equal(info.selfShown, formatValue(info.self, 'us'));
      assert.ok(!summaryText(info, 'x').includes('±'));
    }
    assert.match(frameInfo(t, g, 0).spread, /^Measured load times \(module timer\), not sampled: no sampling error\.$/);
    for (const r of byFunction(t, g.frames.length)) assert.deepEqual([r.selfSamples, r.totalSamples], [null, null]);
  });

  it('old saved data without heap counts still loads, with no ± and a note; bad counts are refused', () => {
    const g = graph('alloc');
    const old: FlameGraphData = JSON.parse(JSON.stringify(g));
    delete old.nodes.samples;
    const t = new GraphPipeline(old).prepare(LEFT).tree;
    const info = frameInfo(t, old, 1);
    assert.equal(info.selfError, null);
    assert.match(info.spread, /lists no sample counts/);
    for (const bad of [[...g.nodes.samples!.slice(1)], g.nodes.samples!.map((v, i) => (i === 2 ? -1 : v)), g.nodes.samples!.map((v, i) => (i === 1 ? Number.NaN : v))]) {
      const broken: FlameGraphData = { ...g, nodes: { ...g.nodes, samples: bad } };
      assert.equal(sampleCounts(broken.nodes), undefined);
      assert.equal(rawFromData(broken).samples, null);
    }
  });

  it('a heap profile written by node --heap-prof: the counts are its own sample list', async () => {
    const file = recordHeap(path.join(SRC, 'allocates.js'));
    // V8 lists a few samples of nodes it has dropped from the tree (their bytes are in no node
    // either): count the samples of nodes in the tree.
    type Node = { id: number; children?: Node[] };
    const p = JSON.parse(fs.readFileSync(file, 'utf8')) as { head: Node; samples: { nodeId: number }[] };
    const ids = new Set<number>();
    for (const stack = [p.head]; stack.length;) { const n = stack.pop()!; ids.add(n.id); stack.push(...(n.children ?? [])); }
    const listed = p.samples.filter((x) => ids.has(x.nodeId)).length;
    assert.ok(listed >= p.samples.length - 100, `${p.samples.length - listed} of ${p.samples.length} samples outside the tree`);
    const g = toFlameGraphs(await openProfileFile(file, { root: SRC })).find((x) => x.kind === 'alloc')!;
    assert.ok(listed > 10, `${listed} samples`);
    assert.equal(g.nodes.samples!.reduce((a, b) => a + b, 0), listed);
    const t = new GraphPipeline(g).prepare(LEFT).tree;
    const rec = byFunction(t, g.frames.length).find((r) => g.frames[r.frame].name === 'makeRecords')!;
    assert.ok(rec.selfSamples! > 0, 'makeRecords was sampled');
  });
});
