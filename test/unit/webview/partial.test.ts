// The first-paint partial layout of big graphs: only nodes at least a pixel wide at full width,
// at exactly the positions the full layout gives them, with the rest summed per parent.
import { strict as assert } from 'assert';
import { mergeAndLayout, partialLayout, sameNode } from '../../../webview/flame/merge';
import { GraphPipeline } from '../../../webview/flame/pipeline';
import { FlameDataError, rawFromData, type LaidTree, type RawTree } from '../../../webview/flame/tree';
import { rng, syntheticGraph } from './synthetic';

/** A merged tree (no two siblings share a frame) whose children come in a random order. */
function shuffled(t: LaidTree, seed: number): RawTree {
  const random = rng(seed);
  const kids: number[][] = Array.from({ length: t.n }, () => []);
  for (let i = 1; i < t.n; i++) kids[t.parent[i]].push(i);
  for (const k of kids) for (let j = k.length - 1; j > 0; j--) { const r = Math.floor(random() * (j + 1)); [k[j], k[r]] = [k[r], k[j]]; }
  const order: number[] = [];
  const stack = [0];
  while (stack.length) { const v = stack.pop()!; order.push(v); for (let j = kids[v].length - 1; j >= 0; j--) stack.push(kids[v][j]); }
  const id = new Int32Array(t.n);
  order.forEach((v, i) => { id[v] = i; });
  const frame = new Int32Array(t.n), parent = new Int32Array(t.n), self = new Float64Array(t.n);
  order.forEach((v, i) => { frame[i] = t.frame[v]; parent[i] = v === 0 ? -1 : id[t.parent[v]]; self[i] = t.self[v]; });
  return { n: t.n, frame, parent, self, samples: null };
}

function checkAgainstFull(raw: RawTree, pixels: number): LaidTree {
  const full = mergeAndLayout(raw, 'left-heavy');
  const part = partialLayout(raw, pixels);
  assert.ok(part, 'partial layout made');
  assert.ok(part.n < full.n);
  const minValue = full.total[0] / pixels;
  let wide = 0;
  for (let i = 0; i < full.n; i++) if (full.total[i] >= minValue) wide++;
  assert.equal(part.n, wide, 'exactly the nodes at least a pixel wide');
  for (let i = 0; i < part.n; i++) {
    const j = sameNode(part, i, full);
    assert.ok(j >= 0, `node ${i} found in the full tree`);
    assert.equal(part.frame[i], full.frame[j]);
    assert.equal(part.depth[i], full.depth[j]);
    assert.equal(part.total[i], full.total[j]);
    assert.equal(part.self[i], full.self[j]);
    assert.ok(Math.abs(part.x[i] - full.x[j]) <= 1e-9 * full.total[0], `x of node ${i}`);
    // What is hidden is the tail of the full tree's children (heaviest first).
    let laid = 0, hidden = 0;
    for (let c = j + 1; c < j + full.size[j]; c += full.size[c]) if (full.total[c] >= minValue) { assert.equal(hidden, 0, 'hidden children come last'); laid += full.total[c]; } else hidden += full.total[c];
    assert.equal(part.hidden![i], hidden);
    assert.equal(part.total[i] - part.self[i] - part.hidden![i], laid);
    if (i > 0) assert.ok(i < part.parent[i] + part.size[part.parent[i]]);
  }
  return part;
}

describe('flame view: partial first-paint layout', function () {
  this.timeout(120_000);
  it('lays out the pixel-wide nodes where the full layout puts them', () => {
    const full = mergeAndLayout(rawFromData(syntheticGraph(30_000, 3)), 'left-heavy');
    checkAgainstFull(shuffled(full, 7), 1280);
    checkAgainstFull(shuffled(full, 8), 300);
  });

  it('is refused when siblings still need merging or nothing would be hidden', () => {
    const raw = rawFromData(syntheticGraph(5_000, 2)); // random frames: duplicate siblings
    assert.equal(partialLayout(raw, 1280), null);
    const merged = mergeAndLayout(raw, 'left-heavy');
    assert.equal(partialLayout({ ...merged, self: new Float64Array(merged.n) }, 1280), null, 'all zero');
    const one = { n: 2, frame: Int32Array.of(0, 1), parent: Int32Array.of(-1, 0), self: Float64Array.of(0, 5), samples: null };
    assert.equal(partialLayout(one, 1280), null, 'nothing narrower than a pixel');
    // Not in pre-order: parents first but breadth-first, or a child before its parent.
    const order = [0];
    for (let k = 0; k < order.length; k++) for (let c = order[k] + 1; c < order[k] + merged.size[order[k]]; c += merged.size[c]) order.push(c);
    const id = new Int32Array(merged.n);
    order.forEach((v, i) => { id[v] = i; });
    const bfs = { n: merged.n, frame: new Int32Array(merged.n), parent: new Int32Array(merged.n), self: new Float64Array(merged.n), samples: null };
    order.forEach((v, i) => { bfs.frame[i] = merged.frame[v]; bfs.parent[i] = v === 0 ? -1 : id[merged.parent[v]]; bfs.self[i] = merged.self[v]; });
    assert.notEqual(partialLayout(merged, 1280), null, 'the same tree in pre-order is laid out');
    assert.equal(partialLayout(bfs, 1280), null, 'breadth-first order');
    const before = { n: 3, frame: Int32Array.of(0, 1, 2), parent: Int32Array.of(-1, 2, 0), self: Float64Array.of(0, 1, 1e6), samples: null };
    assert.equal(partialLayout(before, 1280), null, 'a child before its parent');
  });

  it('maps nodes to the full tree by call path', () => {
    const full = mergeAndLayout(rawFromData(syntheticGraph(20_000, 5)), 'left-heavy');
    const part = checkAgainstFull(shuffled(full, 1), 800);
    assert.equal(sameNode(part, 0, full), 0);
    assert.equal(sameNode(part, -1, full), -1);
  });

  it('the pipeline gives a partial view for big left-heavy graphs whose complete() is the full view', () => {
    const g = syntheticGraph(40_000, 9);
    const merged = mergeAndLayout(rawFromData(g), 'left-heavy');
    const raw = shuffled(merged, 4);
    // As protocol data, big enough for the partial path.
    const copies = Math.ceil(200_000 / raw.n);
    const frame = [0], parent = [-1], self = [0];
    for (let k = 0; k < copies; k++) {
      const base = frame.length - 1;
      for (let i = 1; i < raw.n; i++) { frame.push(raw.frame[i] + k * 200); parent.push(raw.parent[i] === 0 ? 0 : raw.parent[i] + base); self.push(raw.self[i]); }
    }
    const frames = Array.from({ length: 200 * copies }, (_, i) => ({ name: `f${i}`, file: '', line: 0, column: 0, category: 0 }));
    const data = { ...g, frames, nodes: { frame, parent, self, total: self } };
    const p = new GraphPipeline(data);
    const opts = { layout: 'left-heavy' as const, inverted: false, myCodeOnly: false, focusFrame: -1 };
    const v = p.preparePartial(opts, 1000);
    assert.ok(v.complete, 'partial');
    assert.ok(v.tree.n < frame.length);
    const full = v.complete!();
    assert.equal(full, p.prepare(opts), 'complete() is the cached full view');
    assert.deepEqual(Array.from(full.tree.x), Array.from(mergeAndLayout(rawFromData(data), 'left-heavy').x));
    assert.equal(p.preparePartial(opts, 1000), full, 'once complete, no partial view');
    assert.equal(p.preparePartial({ ...opts, layout: 'time-ordered' }, 1000).complete, undefined);
    // Read straight from the protocol arrays: bad data still ends in rawFromData's error.
    const bad = new GraphPipeline({ ...data, nodes: { ...data.nodes, frame: frame.map((f, i) => (i === 1 ? 1e9 : f)) } });
    assert.throws(() => bad.preparePartial(opts, 1000), FlameDataError);
    const negative = new GraphPipeline({ ...data, nodes: { ...data.nodes, self: self.map((v, i) => (i === 2 ? -5 : v)) } });
    const nv = negative.preparePartial(opts, 1000);
    const nf = nv.complete!();
    assert.equal(nv.tree.total[0], nf.tree.total[0], 'negative self counts 0 in both');
  });
});
