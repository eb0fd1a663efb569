// Merges sibling nodes of the same frame and lays the result out in pre-order. Runs on every
// view change (and on 1,000,000-node profiles before the first paint), so it works
// breadth-first over typed arrays with no Map and no recursion.
import type { LaidTree, RawTree } from './tree';

export type MergeMode = 'left-heavy' | 'time-ordered';

/**
 * left-heavy: all same-frame siblings merge and children are sorted heaviest first.
 * time-ordered: only adjacent same-frame siblings merge and the order is kept (a flame chart).
 */
export function mergeAndLayout(t: RawTree, mode: MergeMode): LaidTree {
  const n = t.n;
  const { frame, parent, self, samples } = t;
  // Children of each input node, in input order (CSR).
  const childStart = new Int32Array(n + 1);
  for (let i = 1; i < n; i++) childStart[parent[i] + 1]++;
  for (let i = 0; i < n; i++) childStart[i + 1] += childStart[i];
  const fill = childStart.slice(0, n);
  const childList = new Int32Array(Math.max(1, n - 1));
  for (let i = 1; i < n; i++) childList[fill[parent[i]]++] = i;

  let frames = 0;
  for (let i = 0; i < n; i++) if (frame[i] >= frames) frames = frame[i] + 1;
  const leftHeavy = mode === 'left-heavy';
  const merged = hasDuplicateSiblings(frame, childStart, childList, n, frames, leftHeavy)
    ? mergeSiblings(t, childStart, childList, frames, leftHeavy)
    : { count: n, frame, parent, self, samples, kids: childList, kidStart: childStart.subarray(0, n), kidCount: childCounts(childStart, n) };
  const count = merged.count;
  const mParent = merged.parent;
  const mTotal = merged.self.slice(0, count);
  for (let m = count - 1; m > 0; m--) mTotal[mParent[m]] += mTotal[m];

  // Child order: heaviest first for left-heavy (ties by frame id, so the layout is stable).
  const reordered = leftHeavy && sortChildren(merged, mTotal);
  if (merged.frame === frame && !reordered) {
    const sizes = preOrderSizes(parent, childStart, childList, n);
    if (sizes) return linearLayout(t, mTotal, sizes);
  }
  return preOrderLayout(merged, mTotal);
}

/** Sorts each child list heaviest first, in place; true when anything moved. */
function sortChildren(merged: Merged, mTotal: Float64Array): boolean {
  const { count, kids: order, kidStart, kidCount } = merged;
  const mFrame = merged.frame;
  let reordered = false;
  const byWeight = (a: number, b: number) => mTotal[b] - mTotal[a] || mFrame[a] - mFrame[b];
  for (let m = 0; m < count; m++) {
    const k = kidCount[m];
    if (k < 2) continue;
    const s = kidStart[m];
    if (k <= 12) {
      // Most frames have a few callees: an inline insertion sort beats TypedArray#sort here.
      for (let j = s + 1; j < s + k; j++) {
        const v = order[j];
        const tv = mTotal[v];
        let i = j - 1;
        while (i >= s && (mTotal[order[i]] < tv || (mTotal[order[i]] === tv && mFrame[order[i]] > mFrame[v]))) {
          order[i + 1] = order[i];
          i--;
        }
        if (i + 1 !== j) { order[i + 1] = v; reordered = true; }
      }
      continue;
    }
    let sorted = true;
    for (let j = s + 1; j < s + k && sorted; j++) sorted = byWeight(order[j - 1], order[j]) <= 0;
    if (!sorted) { order.subarray(s, s + k).sort(byWeight); reordered = true; }
  }
  return reordered;
}

/**
 * Pre-order positions computed arithmetically (a child starts where its previous sibling's
 * subtree ends), in id order: parents come before children, so no stack is needed and the
 * reads stay close to sequential.
 */
function preOrderLayout(merged: Merged, mTotal: Float64Array): LaidTree {
  const { count, kids: order, kidStart, kidCount } = merged;
  const mFrame = merged.frame;
  const mParent = merged.parent;
  const mSelf = merged.self;
  const mSamples = merged.samples;
  const mSize = new Int32Array(count).fill(1);
  for (let m = count - 1; m > 0; m--) mSize[mParent[m]] += mSize[m];
  const pos = new Int32Array(count);
  const mx = new Float64Array(count);
  const mDepth = new Int32Array(count);
  let maxDepth = 0;
  for (let m = 0; m < count; m++) {
    const k = kidCount[m];
    if (k === 0) continue;
    const s = kidStart[m];
    let next = pos[m] + 1;
    let x = mx[m];
    const d = mDepth[m] + 1;
    if (d > maxDepth) maxDepth = d;
    for (let j = s; j < s + k; j++) {
      const c = order[j];
      pos[c] = next;
      next += mSize[c];
      mx[c] = x;
      x += mTotal[c];
      mDepth[c] = d;
    }
  }
  const oFrame = new Int32Array(count);
  const oParent = new Int32Array(count);
  const oSelf = new Float64Array(count);
  const oSamples = mSamples ? new Float64Array(count) : null;
  const oTotal = new Float64Array(count);
  const oDepth = new Int32Array(count);
  const oX = new Float64Array(count);
  const size = new Int32Array(count);
  for (let m = 0; m < count; m++) {
    const p = pos[m];
    oFrame[p] = mFrame[m];
    oParent[p] = m === 0 ? -1 : pos[mParent[m]];
    oSelf[p] = mSelf[m];
    if (oSamples && mSamples) oSamples[p] = mSamples[m];
    oTotal[p] = mTotal[m];
    oDepth[p] = mDepth[m];
    oX[p] = mx[m];
    size[p] = mSize[m];
  }
  return { n: count, frame: oFrame, parent: oParent, self: oSelf, samples: oSamples, total: oTotal, size, depth: oDepth, x: oX, maxDepth };
}

interface Merged {
  count: number;
  frame: Int32Array;
  parent: Int32Array;
  self: Float64Array;
  samples: Float64Array | null;
  /** Children of node m: kids[kidStart[m] .. kidStart[m] + kidCount[m]). */
  kids: Int32Array;
  kidStart: Int32Array;
  kidCount: Int32Array;
}

function childCounts(childStart: Int32Array, n: number): Int32Array {
  const c = new Int32Array(n);
  for (let i = 0; i < n; i++) c[i] = childStart[i + 1] - childStart[i];
  return c;
}

/** Profiles from the model are usually merged already; then the breadth-first merge is skipped. */
function hasDuplicateSiblings(frame: Int32Array, childStart: Int32Array, childList: Int32Array, n: number, frames: number, leftHeavy: boolean): boolean {
  const stamp = new Int32Array(frames);
  for (let p = 0; p < n; p++) {
    let prev = -1;
    for (let c = childStart[p]; c < childStart[p + 1]; c++) {
      const f = frame[childList[c]];
      if (leftHeavy ? stamp[f] === p + 1 : f === prev) return true;
      stamp[f] = p + 1;
      prev = f;
    }
  }
  return false;
}

/** Breadth-first merge: each merged node's children get contiguous ids. */
function mergeSiblings(t: RawTree, childStart: Int32Array, childList: Int32Array, frames: number, leftHeavy: boolean): Merged {
  const n = t.n;
  const { frame, self, samples } = t;
  const stamp = new Int32Array(frames);
  const groupOfFrame = new Int32Array(frames);

  // Merged nodes, created breadth-first: each one's children get contiguous ids.
  const mFrame = new Int32Array(n);
  const mParent = new Int32Array(n);
  const mSelf = new Float64Array(n);
  const mSamples = samples ? new Float64Array(n) : null;
  const mChildStart = new Int32Array(n);
  const mChildCount = new Int32Array(n);
  const srcStart = new Int32Array(n + 1);
  const srcList = new Int32Array(n);
  const tmpChild = new Int32Array(n);
  const tmpGroup = new Int32Array(n);
  const groupFrame = new Int32Array(n);
  const groupCount = new Int32Array(n);
  const groupFill = new Int32Array(n);

  mFrame[0] = frame[0];
  mParent[0] = -1;
  mSelf[0] = self[0];
  if (mSamples && samples) mSamples[0] = samples[0];
  srcList[0] = 0;
  srcStart[0] = 0;
  srcStart[1] = 1;
  let count = 1;
  for (let m = 0; m < count; m++) {
    let gathered = 0;
    let groups = 0;
    for (let s = srcStart[m]; s < srcStart[m + 1]; s++) {
      const src = srcList[s];
      for (let c = childStart[src]; c < childStart[src + 1]; c++) {
        const child = childList[c];
        const f = frame[child];
        let g: number;
        if (leftHeavy) {
          if (stamp[f] !== m + 1) {
            stamp[f] = m + 1;
            groupOfFrame[f] = groups;
            groupFrame[groups] = f;
            groupCount[groups++] = 0;
          }
          g = groupOfFrame[f];
        } else if (groups > 0 && groupFrame[groups - 1] === f) {
          g = groups - 1;
        } else {
          groupFrame[groups] = f;
          groupCount[groups] = 0;
          g = groups++;
        }
        groupCount[g]++;
        tmpChild[gathered] = child;
        tmpGroup[gathered++] = g;
      }
    }
    mChildStart[m] = count;
    mChildCount[m] = groups;
    let cursor = srcStart[count];
    for (let g = 0; g < groups; g++) {
      const id = count + g;
      mFrame[id] = groupFrame[g];
      mParent[id] = m;
      srcStart[id] = cursor;
      groupFill[g] = cursor;
      cursor += groupCount[g];
      srcStart[id + 1] = cursor;
    }
    for (let j = 0; j < gathered; j++) {
      const child = tmpChild[j];
      const g = tmpGroup[j];
      srcList[groupFill[g]++] = child;
      mSelf[count + g] += self[child];
      if (mSamples && samples) mSamples[count + g] += samples[child];
    }
    count += groups;
  }

  const kids = new Int32Array(count);
  for (let i = 0; i < count; i++) kids[i] = i;
  return {
    count, frame: mFrame.subarray(0, count), parent: mParent.subarray(0, count), self: mSelf.subarray(0, count),
    samples: mSamples ? mSamples.subarray(0, count) : null, kids, kidStart: mChildStart.subarray(0, count), kidCount: mChildCount.subarray(0, count),
  };
}

/** Sizes when the input is already in pre-order with children in input order, else null. */
function preOrderSizes(parent: Int32Array, childStart: Int32Array, childList: Int32Array, n: number): Int32Array | null {
  const size = new Int32Array(n).fill(1);
  for (let i = n - 1; i > 0; i--) size[parent[i]] += size[i];
  for (let p = 0; p < n; p++) {
    let next = p + 1;
    for (let c = childStart[p]; c < childStart[p + 1]; c++) {
      if (childList[c] !== next) return null;
      next += size[next];
    }
  }
  return size;
}

/** Layout of a tree that is already merged, sorted and in pre-order: a few linear passes. */
function linearLayout(t: RawTree, total: Float64Array, size: Int32Array): LaidTree {
  const n = t.n;
  const { parent } = t;
  const x = new Float64Array(n);
  const nextX = new Float64Array(n);
  const depth = new Int32Array(n);
  let maxDepth = 0;
  for (let i = 1; i < n; i++) {
    const p = parent[i];
    x[i] = nextX[p] + x[p];
    nextX[p] += total[i];
    const d = depth[p] + 1;
    depth[i] = d;
    if (d > maxDepth) maxDepth = d;
  }
  return { n, frame: t.frame, parent: t.parent, self: t.self, samples: t.samples, total, size, depth, x, maxDepth };
}

/**
 * Left-heavy layout of only the nodes at least one pixel wide when the root is `pixels` wide
 * (what the first paint at full width can show): the same positions as
 * mergeAndLayout(t, 'left-heavy') gives those nodes, but node ids differ and each node's
 * lighter children are summed into `hidden`. Null when the input is not in pre-order, when
 * siblings of the laid-out part need merging first (then the full layout is needed anyway), or
 * when nothing would be left out.
 */
export function partialLayout(t: PlainTree, pixels: number, frameCount = Infinity): LaidTree | null {
  const n = t.n;
  const { frame, parent, self, samples } = t;
  // Totals, subtree sizes and the pre-order check in one backward pass over the n nodes (they
  // are the whole cost of the first paint). Pre-order: each node's first child comes right after
  // it and each later child where its previous sibling's subtree ends; going backwards, a node's
  // descendants are complete when it is reached. Then children are walked by skipping subtrees
  // and only the laid-out nodes' children are ever visited.
  const total = new Float64Array(n);
  const below = new Int32Array(n); // descendants: subtree size - 1
  const nextSibling = new Int32Array(n); // the lowest child of each node seen so far; 0: none yet
  for (let i = n - 1; i >= 0; i--) {
    const v = self[i];
    const ti = total[i] + (v >= 0 ? v : 0); // as rawFromData: NaN or negative count 0
    total[i] = ti;
    const first = nextSibling[i];
    if (first !== 0 && first !== i + 1) return null;
    if (i === 0) break;
    const p = parent[i];
    if (!(p >= 0 && p < i)) return null;
    const b = below[i] + 1;
    const later = nextSibling[p];
    if (later !== 0 && later !== i + b) return null;
    nextSibling[p] = i;
    total[p] += ti;
    below[p] += b;
  }
  const minValue = total[0] / pixels;
  if (!(minValue > 0)) return null;

  // Depth-first from the root, children heaviest first (ties by frame id, as sortChildren), so
  // the output is in pre-order and matches the full layout's order.
  const src: number[] = [];
  const oParent: number[] = [];
  const oX: number[] = [];
  const oDepth: number[] = [];
  const oHidden: number[] = [];
  const stack: number[] = [0, -1, 0, 0]; // (input node, output parent, x, depth) tuples
  const kept: number[] = [];
  const seen = new Set<number>();
  let maxDepth = 0;
  while (stack.length) {
    const d = stack.pop()!;
    const x = stack.pop()!;
    const op = stack.pop()!;
    const v = stack.pop()!;
    const o = src.length;
    src.push(v); oParent.push(op); oX.push(x); oDepth.push(d);
    if (d > maxDepth) maxDepth = d;
    kept.length = 0;
    seen.clear();
    let hidden = 0;
    for (let c = v + 1; c <= v + below[v]; c += below[c] + 1) {
      // Same-frame siblings would merge into something wider: the full layout must do that.
      const f = frame[c];
      if (seen.has(f)) return null;
      seen.add(f);
      if (total[c] >= minValue) kept.push(c);
      else hidden += total[c];
    }
    oHidden.push(hidden);
    if (kept.length === 0) continue;
    kept.sort((a, b) => total[b] - total[a] || frame[a] - frame[b]);
    // Positions left to right, pushed right to left so the leftmost child is visited first.
    const xs: number[] = [];
    let cx = x;
    for (const k of kept) { xs.push(cx); cx += total[k]; }
    for (let j = kept.length - 1; j >= 0; j--) stack.push(kept[j], o, xs[j], d + 1);
  }
  const count = src.length;
  if (count === n) return null;
  const size = new Int32Array(count).fill(1);
  const outParent = Int32Array.from(oParent);
  for (let i = count - 1; i > 0; i--) size[outParent[i]] += size[i];
  const outFrame = new Int32Array(count);
  const outSelf = new Float64Array(count);
  const outTotal = new Float64Array(count);
  const outSamples = samples ? new Float64Array(count) : null;
  for (let i = 0; i < count; i++) {
    const v = src[i];
    const f = frame[v];
    if (!(f >= 0 && f < frameCount)) return null; // rawFromData reports it
    outFrame[i] = f;
    const sv = self[v];
    outSelf[i] = sv >= 0 ? sv : 0;
    outTotal[i] = total[v];
    if (outSamples && samples) outSamples[i] = samples[v];
  }
  return {
    n: count, frame: outFrame, parent: outParent, self: outSelf, samples: outSamples, total: outTotal, size,
    depth: Int32Array.from(oDepth), x: Float64Array.from(oX), maxDepth, hidden: Float64Array.from(oHidden),
  };
}

/** A RawTree, or the protocol's plain arrays before their conversion (first paint). */
export interface PlainTree {
  n: number;
  frame: ArrayLike<number>;
  parent: ArrayLike<number>;
  self: ArrayLike<number>;
  samples: ArrayLike<number> | null;
}

/** The node of `full` at the same call path (frames from the root) as `node` of `partial`; -1 if none. */
export function sameNode(partial: LaidTree, node: number, full: LaidTree): number {
  if (node < 0 || node >= partial.n) return -1;
  const path: number[] = [];
  for (let v = node; v > 0; v = partial.parent[v]) path.push(partial.frame[v]);
  let at = 0;
  for (let j = path.length - 1; j >= 0; j--) {
    const f = path[j];
    let next = -1;
    for (let c = at + 1; c < at + full.size[at]; c += full.size[c]) if (full.frame[c] === f) { next = c; break; }
    if (next < 0) return -1;
    at = next;
  }
  return at;
}
