// View transforms over RawTrees: each returns a new RawTree that mergeAndLayout can lay out.
import type { FlameGraphData } from '../../src/protocol/flame';
import { PairMap } from './pairMap';
import { FlameDataError, TreeBuilder, type RawTree } from './tree';

/** "My code only": drops frames that fail `keep`; their time goes to the nearest kept caller. */
export function filterTree(t: RawTree, keep: Uint8Array): RawTree {
  const b = new TreeBuilder(t.n, t.samples !== null);
  const map = new Int32Array(t.n);
  map[0] = b.add(t.frame[0], -1, t.self[0], t.samples ? t.samples[0] : 0);
  for (let i = 1; i < t.n; i++) {
    const p = map[t.parent[i]];
    if (keep[t.frame[i]]) {
      map[i] = b.add(t.frame[i], p, t.self[i], t.samples ? t.samples[i] : 0);
    } else {
      map[i] = p;
      b.self[p] += t.self[i];
      if (b.samples && t.samples) b.samples[p] += t.samples[i];
    }
  }
  return b.build();
}

/** Leaves out the subtrees of the nodes `drop` marks (folded launcher processes). */
export function dropSubtrees(t: RawTree, drop: Uint8Array): RawTree {
  const b = new TreeBuilder(t.n, t.samples !== null);
  const map = new Int32Array(t.n).fill(-1);
  map[0] = b.add(t.frame[0], -1, t.self[0], t.samples ? t.samples[0] : 0);
  for (let i = 1; i < t.n; i++) {
    const p = map[t.parent[i]];
    if (p >= 0 && !drop[i]) map[i] = b.add(t.frame[i], p, t.self[i], t.samples ? t.samples[i] : 0);
  }
  return b.build();
}

/**
 * Focus on one function: every outermost call of `focus` becomes a child of the root, so the
 * merge step joins all its stacks into one tree. Recursive calls stay inside as descendants.
 */
export function focusTree(t: RawTree, focus: number): RawTree {
  const b = new TreeBuilder(t.n, t.samples !== null);
  const map = new Int32Array(t.n).fill(-1);
  b.add(t.frame[0], -1, 0, 0);
  for (let i = 1; i < t.n; i++) {
    const p = map[t.parent[i]];
    if (p >= 0) map[i] = b.add(t.frame[i], p, t.self[i], t.samples ? t.samples[i] : 0);
    else if (t.frame[i] === focus) map[i] = b.add(t.frame[i], 0, t.self[i], t.samples ? t.samples[i] : 0);
  }
  return b.build();
}

/** Bottom-up: each node's self time is charged along the path leaf -> caller -> ... -> root. */
export function invertTree(t: RawTree): RawTree {
  const b = new TreeBuilder(t.n, t.samples !== null);
  const children = new PairMap(t.n);
  b.add(t.frame[0], -1, 0, 0);
  for (let i = 1; i < t.n; i++) {
    const value = t.self[i];
    const count = t.samples ? t.samples[i] : 0;
    if (value === 0 && count === 0) continue;
    let cur = 0;
    for (let a = i; a > 0; a = t.parent[a]) {
      const f = t.frame[a];
      let next = children.get(cur, f);
      if (next < 0) {
        next = b.add(f, cur, 0, 0);
        children.set(cur, f, next);
      }
      cur = next;
    }
    b.self[cur] += value;
    if (b.samples) b.samples[cur] += count;
  }
  return b.build();
}

/**
 * Time-ordered tree from the sample timeline: consecutive samples sharing a stack prefix share
 * nodes. No sample counts: producers may fold runs of equal samples into one timeline entry.
 * Samples under a node `skip` marks (a folded launcher process) are left out.
 */
export function timelineTree(t: RawTree, timeline: NonNullable<FlameGraphData['timeline']>, skip?: Uint8Array): RawTree {
  const { node, duration } = timeline;
  if (!Array.isArray(node) || !Array.isArray(duration) || node.length !== duration.length) {
    throw new FlameDataError('The timeline is inconsistent (nodes and durations differ in length).');
  }
  const b = new TreeBuilder(Math.min(t.n * 4, node.length * 8 + 16), false);
  b.add(t.frame[0], -1, 0, 0);
  let path: Int32Array = new Int32Array(64);
  let curOrig: Int32Array = new Int32Array(64);
  let curNew: Int32Array = new Int32Array(64);
  let curLen = 1;
  curOrig[0] = 0;
  curNew[0] = 0;
  for (let s = 0; s < node.length; s++) {
    const leaf = node[s];
    const d = duration[s];
    if (!(leaf >= 0 && leaf < t.n) || !(d >= 0)) continue; // a torn sample, not worth failing the view
    let len = 0;
    let skipped = false;
    for (let a = leaf; a > 0; a = t.parent[a]) {
      if (len === path.length) path = grown(path);
      path[len++] = a;
      if (skip && skip[a]) skipped = true;
    }
    if (skipped) continue;
    path.subarray(0, len).reverse();
    // path now holds root's child .. leaf; position k of it is depth k + 1.
    let k = 0;
    while (k < len && k + 1 < curLen && curOrig[k + 1] === path[k]) k++;
    while (len + 1 > curOrig.length) { curOrig = grown(curOrig); curNew = grown(curNew); }
    for (let j = k; j < len; j++) {
      curOrig[j + 1] = path[j];
      curNew[j + 1] = b.add(t.frame[path[j]], curNew[j], 0, 0);
    }
    curLen = len + 1;
    const last = curNew[len];
    b.self[last] += d;
  }
  return b.build();
}

function grown(a: Int32Array): Int32Array {
  const g = new Int32Array(a.length * 2);
  g.set(a);
  return g;
}
