// The flame view's tree logic (merge, layout, transforms, search, tables) on hand-checked and
// synthetic trees, in plain Node.
import { strict as assert } from 'assert';
import { byFunction, hottestNode, searchTree } from '../../../webview/flame/analysis';
import { mergeAndLayout } from '../../../webview/flame/merge';
import { GraphPipeline } from '../../../webview/flame/pipeline';
import { filterTree, focusTree, invertTree, timelineTree } from '../../../webview/flame/transforms';
import { FlameDataError, rawFromData, type LaidTree } from '../../../webview/flame/tree';
import { smallGraph, syntheticGraph } from './synthetic';

const names = (t: LaidTree, g = smallGraph()) => Array.from(t.frame, (f) => g.frames[f].name);

/** Invariants every laid-out tree must keep, whatever transform produced it. */
function checkLayout(t: LaidTree): void {
  assert.equal(t.parent[0], -1);
  for (let i = 1; i < t.n; i++) {
    const p = t.parent[i];
    assert.ok(p >= 0 && p < i, `parent of ${i}`);
    assert.ok(i < p + t.size[p], `node ${i} inside its parent's range`);
    assert.equal(t.depth[i], t.depth[p] + 1);
    assert.ok(t.x[i] >= t.x[p] - 1e-6 && t.x[i] + t.total[i] <= t.x[p] + t.total[p] + 1e-6, `node ${i} within its parent horizontally`);
  }
  for (let i = 0; i < t.n; i++) {
    let sum = t.self[i];
    for (let c = i + 1; c < i + t.size[i]; c += t.size[c]) sum += t.total[c];
    assert.ok(Math.abs(sum - t.total[i]) < 1e-6 * Math.max(1, t.total[i]), `total of ${i}`);
  }
}

describe('flame view: merge and layout', function () {
  this.timeout(60_000);
  it('merges same-frame siblings and sorts them heaviest first (left-heavy)', () => {
    const t = mergeAndLayout(rawFromData(smallGraph()), 'left-heavy');
    checkLayout(t);
    assert.deepEqual(names(t), ['(root)', 'main', 'a', 'c', 'b', 'c']);
    assert.deepEqual(Array.from(t.total), [120, 120, 65, 30, 45, 40]);
    assert.deepEqual(Array.from(t.self), [0, 10, 35, 30, 5, 40]);
    assert.deepEqual(Array.from(t.x), [0, 0, 0, 0, 65, 65]);
    assert.deepEqual(Array.from(t.size), [6, 5, 2, 1, 2, 1]);
    assert.deepEqual(Array.from(t.samples!), [0, 2, 7, 6, 1, 8]);
    assert.equal(t.maxDepth, 3);
  });

  it('builds a time-ordered chart from the timeline, keeping non-adjacent calls apart', () => {
    const base = rawFromData(smallGraph());
    const t = mergeAndLayout(timelineTree(base, smallGraph().timeline!), 'time-ordered');
    checkLayout(t);
    assert.deepEqual(names(t), ['(root)', 'main', 'a', 'c', 'b', 'c', 'a']);
    assert.deepEqual(Array.from(t.total), [120, 120, 50, 30, 45, 40, 15]);
    assert.deepEqual(Array.from(t.x).slice(2), [0, 0, 50, 50, 95]);
    assert.equal(t.samples, null, 'timeline entries may fold several samples');
  });

  it('refuses nodes that come before their parent and frames that do not exist', () => {
    const g = smallGraph();
    g.nodes.parent[2] = 5;
    assert.throws(() => rawFromData(g), (e: unknown) => e instanceof FlameDataError && /node 2 has parent 5/.test(e.message));
    const h = smallGraph();
    h.nodes.frame[3] = 99;
    assert.throws(() => rawFromData(h), /missing frame 99/);
    const empty = smallGraph();
    empty.nodes = { frame: [], parent: [], self: [], total: [] };
    assert.throws(() => rawFromData(empty), /no nodes/);
  });

  it('keeps every invariant on a 100,000-node synthetic tree and conserves the total', () => {
    const g = syntheticGraph(100_000, 7);
    const raw = rawFromData(g);
    const t = mergeAndLayout(raw, 'left-heavy');
    checkLayout(t);
    const selfSum = g.nodes.self.reduce((a, b) => a + b, 0);
    assert.equal(t.total[0], selfSum);
    assert.ok(t.n < raw.n, 'random frames under one parent repeat, so merging must shrink the tree');
    const again = mergeAndLayout(t, 'left-heavy'); // merged, sorted, pre-order: the linear path
    for (const k of ['frame', 'parent', 'total', 'x', 'depth', 'size'] as const) assert.deepEqual(again[k], t[k], k);
    for (let i = 0; i < t.n; i++) {
      let prev = Infinity;
      for (let c = i + 1; c < i + t.size[i]; c += t.size[c]) { assert.ok(t.total[c] <= prev); prev = t.total[c]; }
    }
  });
});

describe('flame view: transforms', () => {
  it('"my code only" drops library frames and charges their time to the caller', () => {
    const g = smallGraph();
    const keep = Uint8Array.from(g.frames, (f) => (g.categories[f.category].kind === 'workspace' ? 1 : 0));
    const t = mergeAndLayout(filterTree(rawFromData(g), keep), 'left-heavy');
    checkLayout(t);
    assert.deepEqual(names(t), ['(root)', 'main', 'a', 'c', 'c']);
    assert.equal(t.self[1], 15, 'b\'s 5 us go to main');
    assert.equal(t.total[0], 120);
  });

  it('focus merges every stack of one function into a single tree', () => {
    const t = mergeAndLayout(focusTree(rawFromData(smallGraph()), 4), 'left-heavy');
    assert.deepEqual(names(t), ['(root)', 'c']);
    assert.equal(t.total[1], 70);
  });

  it('inverted view charges self time up the callers', () => {
    const t = mergeAndLayout(invertTree(rawFromData(smallGraph())), 'left-heavy');
    checkLayout(t);
    assert.deepEqual(names(t), ['(root)', 'c', 'b', 'main', 'a', 'main', 'a', 'main', 'main', 'b', 'main']);
    assert.equal(t.total[0], 120);
    assert.equal(t.total[1], 70, 'c: 30 under a + 40 under b');
    assert.equal(t.total[2], 40);
  });

  it('the pipeline forces left-heavy when inverted and caches views', () => {
    const p = new GraphPipeline(smallGraph());
    const v = p.prepare({ layout: 'time-ordered', inverted: true, myCodeOnly: false, focusFrame: -1 });
    assert.equal(v.options.layout, 'left-heavy');
    assert.equal(p.prepare({ layout: 'time-ordered', inverted: true, myCodeOnly: false, focusFrame: -1 }), v);
    const rows = v.functions();
    assert.equal(rows.find((r) => r.frame === 4)!.self, 70);
  });
});

describe('flame view: search and tables', () => {
  it('search counts matching nodes and their share without double counting nesting', () => {
    const t = mergeAndLayout(rawFromData(smallGraph()), 'left-heavy');
    const s = searchTree(t, smallGraph().frames, 'C.JS');
    assert.equal(s.nodes, 2);
    assert.equal(s.value, 70);
    assert.ok(Math.abs(s.share - 70 / 120) < 1e-12);
    const all = searchTree(t, smallGraph().frames, 'main');
    assert.equal(all.value, 120);
    assert.equal(searchTree(t, smallGraph().frames, '   ').nodes, 0);
  });

  it('by-function totals count recursion once; the hottest workspace function is picked', () => {
    const g = smallGraph();
    // make c recursive: c -> c under a
    g.nodes = { frame: [0, 1, 2, 4, 4], parent: [-1, 0, 1, 2, 3], self: [0, 1, 2, 10, 20], total: [33, 33, 32, 30, 20] };
    delete g.timeline;
    const t = mergeAndLayout(rawFromData(g), 'left-heavy');
    const rows = byFunction(t, g.frames.length);
    const c = rows.find((r) => r.frame === 4)!;
    assert.equal(c.self, 30);
    assert.equal(c.total, 30);
    assert.equal(c.calls, 2);
    const workspace = Uint8Array.from(g.frames, (f) => (g.categories[f.category].kind === 'workspace' ? 1 : 0));
    assert.equal(names(t)[hottestNode(t, workspace)], 'c');
    assert.equal(t.self[hottestNode(t, workspace)], 20);
  });

  it('falls back to any frame when there is no workspace code', () => {
    const t = mergeAndLayout(rawFromData(smallGraph()), 'left-heavy');
    assert.equal(names(t)[hottestNode(t, new Uint8Array(5))], 'c');
  });
});
