// Per-group totals over a call tree (group = function, file, package...). A group's total counts
// each subtree once even under recursion: nodes below another node of the same group are skipped.
import { childrenOf } from './tree';
import type { ModelTree } from './types';

export interface GroupTotals {
  self: Float64Array;
  total: Float64Array;
  samples: Float64Array;
  /** With `withTotalSamples`: the samples behind each group's total (each subtree counted once, as its total is). */
  totalSamples?: Float64Array;
}

/** `groupOfFrame[f]` is the group of frame f, or -1 to leave the frame out. */
export function aggregate(tree: ModelTree, groupOfFrame: Int32Array, groups: number, options: { withTotalSamples?: boolean } = {}): GroupTotals {
  let subtree: Float64Array | undefined;
  let totalSamples: Float64Array | undefined;
  if (options.withTotalSamples) {
    subtree = Float64Array.from(tree.samples.subarray(0, tree.count));
    for (let i = tree.count - 1; i > 0; i--) subtree[tree.parent[i]] += subtree[i];
    totalSamples = new Float64Array(groups);
  }
  const self = new Float64Array(groups);
  const total = new Float64Array(groups);
  const samples = new Float64Array(groups);
  const active = new Int32Array(groups);
  const { start, list } = childrenOf(tree);
  // Iterative DFS: a negative entry marks "leaving node ~entry". Each node is pushed once, and
  // at most once more as a leaving mark: a typed array of 2n entries holds the stack.
  const frame = tree.frame, nodeSelf = tree.self, nodeSamples = tree.samples, nodeTotal = tree.total;
  const stack = new Int32Array(2 * tree.count + 1);
  let top = 0;
  stack[top++] = 0;
  while (top > 0) {
    const e = stack[--top];
    if (e < 0) {
      const g = groupOfFrame[frame[~e]];
      if (g >= 0) active[g]--;
      continue;
    }
    const g = groupOfFrame[frame[e]];
    if (g >= 0) {
      self[g] += nodeSelf[e];
      samples[g] += nodeSamples[e];
      if (active[g] === 0) {
        total[g] += nodeTotal[e];
        if (totalSamples) totalSamples[g] += subtree![e];
      }
      active[g]++;
      stack[top++] = ~e;
    }
    for (let k = start[e + 1] - 1; k >= start[e]; k--) stack[top++] = list[k];
  }
  return totalSamples ? { self, total, samples, totalSamples } : { self, total, samples };
}

/** Assigns group ids by a string key per frame (undefined leaves the frame out). */
export function groupFrames<T>(frames: T[], keyOf: (f: T) => string | undefined): { groupOfFrame: Int32Array; keys: string[]; firstFrame: number[] } {
  const ids = new Map<string, number>();
  const keys: string[] = [];
  const firstFrame: number[] = [];
  const groupOfFrame = new Int32Array(frames.length).fill(-1);
  frames.forEach((f, i) => {
    const key = keyOf(f);
    if (key === undefined) return;
    let g = ids.get(key);
    if (g === undefined) {
      g = keys.length;
      ids.set(key, g);
      keys.push(key);
      firstFrame.push(i);
    }
    groupOfFrame[i] = g;
  });
  return { groupOfFrame, keys, firstFrame };
}
