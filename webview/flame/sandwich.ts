// The sandwich of one function: who calls it (callers above, merged across every place it runs)
// and what it calls (callees below, merged the same way), as speedscope and DevTools show it.
// DOM-free (tested in Node).
import { totalSamplesOf } from './spread';
import type { LaidTree } from './tree';

export interface SandwichNode {
  frame: number;
  /** Value through this path (graph unit): a caller's is the function's total reached through it. */
  value: number;
  /** Samples behind `value`; null when the tree has no counts. */
  samples: number | null;
  children: SandwichNode[];
}

export interface Sandwich {
  frame: number;
  /** Self summed over every call, total over the outermost calls (recursion counted once). */
  self: number;
  total: number;
  selfSamples: number | null;
  totalSamples: number | null;
  /** Root is the function; children are its direct callers, theirs their callers, up to the process. */
  callers: SandwichNode;
  /** Root is the function; children are what it calls, merged over all its outermost calls. */
  callees: SandwichNode;
}

function node(frame: number, withSamples: boolean): SandwichNode {
  return { frame, value: 0, samples: withSamples ? 0 : null, children: [] };
}

function child(parent: SandwichNode, frame: number): SandwichNode {
  let c = parent.children.find((x) => x.frame === frame);
  if (!c) {
    c = node(frame, parent.samples !== null);
    parent.children.push(c);
  }
  return c;
}

function sortDeep(n: SandwichNode): void {
  n.children.sort((a, b) => b.value - a.value);
  for (const c of n.children) sortDeep(c);
}

/** The sandwich of `frame` in a laid-out tree; null when the frame is not in it. */
export function sandwichOf(t: LaidTree, frame: number): Sandwich | null {
  const totals = totalSamplesOf(t);
  const withSamples = totals !== null;
  const callers = node(frame, withSamples);
  const callees = node(frame, withSamples);
  let self = 0;
  let selfSamples = 0;
  let found = false;
  let insideEnd = 0;
  for (let i = 1; i < t.n; i++) {
    if (t.frame[i] !== frame) continue;
    found = true;
    self += t.self[i];
    if (t.samples) selfSamples += t.samples[i];
    if (i < insideEnd) continue; // a recursive call inside one already counted
    insideEnd = i + t.size[i];
    const value = t.total[i];
    const samples = totals ? totals[i] : 0;
    callers.value += value;
    callees.value += value;
    if (callers.samples !== null) { callers.samples += samples; callees.samples! += samples; }
    // Callers: the ancestors of this call, nearest first, up to (not including) the root.
    let at = callers;
    for (let a = t.parent[i]; a > 0; a = t.parent[a]) {
      at = child(at, t.frame[a]);
      at.value += value;
      if (at.samples !== null) at.samples += samples;
    }
    // Callees: this call's subtree merged by frame along the path.
    const stack: [number, SandwichNode][] = [];
    for (let c = i + 1; c < i + t.size[i]; c += t.size[c]) stack.push([c, callees]);
    while (stack.length) {
      const [c, into] = stack.pop()!;
      const m = child(into, t.frame[c]);
      m.value += t.total[c];
      if (m.samples !== null && totals) m.samples += totals[c];
      for (let g = c + 1; g < c + t.size[c]; g += t.size[g]) stack.push([g, m]);
    }
  }
  if (!found) return null;
  sortDeep(callers);
  sortDeep(callees);
  return { frame, self, total: callers.value, selfSamples: t.samples ? selfSamples : null, totalSamples: callers.samples, callers, callees };
}
