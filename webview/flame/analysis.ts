// Questions asked of a laid-out tree: search matches and their share, per-function totals,
// the hottest function. Pure functions over typed arrays.
import type { FlameFrame } from '../../src/protocol/flame';
import { totalSamplesOf } from './spread';
import type { LaidTree } from './tree';

export interface SearchResult {
  /** 1 for every frame whose name or file contains the query. */
  matches: Uint8Array;
  /** Number of matching nodes drawn in this tree. */
  nodes: number;
  /** Sum of the outermost matching nodes' totals: nested matches are not counted twice. */
  value: number;
  /** value / root total, 0..1. */
  share: number;
  /** Samples behind `value`; null when the tree has no sample counts. */
  samples: number | null;
}

export function searchFrames(frames: FlameFrame[], query: string): Uint8Array {
  const matches = new Uint8Array(frames.length);
  const q = query.trim().toLowerCase();
  if (!q) return matches;
  for (let f = 0; f < frames.length; f++) {
    const fr = frames[f];
    if (fr.name.toLowerCase().includes(q) || fr.file.toLowerCase().includes(q)) matches[f] = 1;
  }
  return matches;
}

export function searchTree(t: LaidTree, frames: FlameFrame[], query: string): SearchResult {
  const matches = searchFrames(frames, query);
  let nodes = 0;
  let value = 0;
  let insideEnd = 0;
  const totals = totalSamplesOf(t);
  let samples = 0;
  for (let i = 1; i < t.n; i++) {
    if (!matches[t.frame[i]]) continue;
    nodes++;
    if (i >= insideEnd) {
      value += t.total[i];
      if (totals) samples += totals[i];
      insideEnd = i + t.size[i];
    }
  }
  const root = t.total[0];
  return { matches, nodes, value, share: root > 0 ? value / root : 0, samples: totals ? samples : null };
}

export interface FunctionRow {
  frame: number;
  self: number;
  /** Inclusive value, counting recursive calls once. */
  total: number;
  /** Nodes of this frame in the tree. */
  calls: number;
  /** The node of this frame with the largest self value (for linking to the graph). */
  hottestNode: number;
  /** Samples behind self and total (total: recursive calls once, as `total`); null without counts. */
  selfSamples: number | null;
  totalSamples: number | null;
}

/** Bottom-up table: one row per frame that appears in the tree (the root excluded). */
export function byFunction(t: LaidTree, frameCount: number): FunctionRow[] {
  const self = new Float64Array(frameCount);
  const total = new Float64Array(frameCount);
  const calls = new Int32Array(frameCount);
  const hottest = new Int32Array(frameCount).fill(-1);
  const nodeTotals = totalSamplesOf(t);
  const counted = t.samples && nodeTotals ? { self: new Float64Array(frameCount), total: new Float64Array(frameCount), node: t.samples, nodeTotal: nodeTotals } : null;
  const onStack = new Int32Array(frameCount);
  const stack = new Int32Array(t.maxDepth + 2);
  let sp = 0;
  for (let i = 1; i < t.n; i++) {
    while (sp > 0 && stack[sp - 1] + t.size[stack[sp - 1]] <= i) onStack[t.frame[stack[--sp]]]--;
    const f = t.frame[i];
    self[f] += t.self[i];
    if (onStack[f] === 0) total[f] += t.total[i];
    if (counted) {
      counted.self[f] += counted.node[i];
      if (onStack[f] === 0) counted.total[f] += counted.nodeTotal[i];
    }
    calls[f]++;
    if (hottest[f] < 0 || t.self[i] > t.self[hottest[f]]) hottest[f] = i;
    onStack[f]++;
    stack[sp++] = i;
  }
  const rows: FunctionRow[] = [];
  for (let f = 0; f < frameCount; f++) {
    if (calls[f] > 0) rows.push({
      frame: f, self: self[f], total: total[f], calls: calls[f], hottestNode: hottest[f],
      selfSamples: counted ? counted.self[f] : null, totalSamples: counted ? counted.total[f] : null,
    });
  }
  return rows;
}

/**
 * The node to select first: the hottest node of the function with the most self time among
 * `preferred` frames (workspace code), else among all frames. -1 for a tree with only a root.
 * One pass over the nodes, because it runs before the first paint.
 */
export function hottestNode(t: LaidTree, preferred: Uint8Array): number {
  if (t.n < 2) return -1;
  const frames = preferred.length;
  const selfByFrame = new Float64Array(frames);
  const bestNode = new Int32Array(frames).fill(-1);
  for (let i = 1; i < t.n; i++) {
    const f = t.frame[i];
    const s = t.self[i];
    selfByFrame[f] += s;
    if (bestNode[f] < 0 || s > t.self[bestNode[f]]) bestNode[f] = i;
  }
  let best = -1;
  let bestAny = -1;
  for (let f = 0; f < frames; f++) {
    if (bestNode[f] < 0) continue;
    if (bestAny < 0 || selfByFrame[f] > selfByFrame[bestAny]) bestAny = f;
    if (preferred[f] && selfByFrame[f] > 0 && (best < 0 || selfByFrame[f] > selfByFrame[best])) best = f;
  }
  const frame = best >= 0 ? best : bestAny;
  return frame >= 0 ? bestNode[frame] : 1;
}
