// Adds a .heapprofile (sampling heap profiler) to the model's allocation tree, in bytes.
import type { ModelBuilder } from './builder';
import { scriptIdOf } from './cpuParser';
import type { ScriptLocations } from './scriptLocations';
import type { ModelProcess } from './types';

export interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number; scriptId?: string | number };
  selfSize: number;
  id?: number;
  children?: HeapNode[];
}

export function isHeapNode(v: unknown): v is HeapNode {
  const n = v as HeapNode;
  return typeof n === 'object' && n !== null && typeof n.callFrame === 'object' && n.callFrame !== null && typeof n.selfSize === 'number';
}

/**
 * Number of samples per heap node id, from the profile's `samples` list ({size, nodeId, ordinal}
 * per sampled allocation): the count behind each node's sampled bytes, for their sampling error.
 * Undefined when the profile has no such list (then no node has a known count).
 */
export function heapSampleCounts(samples: unknown): Map<number, number> | undefined {
  if (!Array.isArray(samples) || samples.length === 0) return undefined;
  const counts = new Map<number, number>();
  for (const s of samples) {
    const id = (s as { nodeId?: unknown } | null)?.nodeId;
    if (typeof id === 'number') counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts.size ? counts : undefined;
}

/**
 * `samples` is the profile's own `samples` list (see heapSampleCounts); optional. `scripts`: the
 * locations the CPU profile of the same process (or thread) recorded, for the frames whose script
 * was collected before the heap profile was read (url "" and line -1 with a script id, see
 * scriptLocations.ts); frames it cannot place keep what V8 gave and are counted for the model's note.
 */
export function addHeapProfile(b: ModelBuilder, head: HeapNode, proc: ModelProcess, samples?: unknown, scripts?: ScriptLocations): void {
  const counts = heapSampleCounts(samples);
  const twins = scripts ? lostTwins(head) : undefined;
  const tree = b.alloc();
  const procNode = tree.child(0, b.processFrame(proc));
  proc.allocNode = procNode;
  // Explicit stack: allocation trees can be deeper than the JS call stack allows for recursion.
  // The preload's wrappers are elided and its own work is one `(hotpath profiler)` frame, as in
  // the CPU tree (see preloadFrames.ts); `inPreload` 2 = inside its setup, 1 = in preload code.
  const stack: { node: HeapNode; parent: number; inPreload: number }[] = [{ node: head, parent: procNode, inPreload: 0 }];
  while (stack.length) {
    const { node, parent, inPreload } = stack.pop()!;
    const cf = node.callFrame;
    const name = cf.functionName ?? '';
    let url = cf.url ?? '', line = cf.lineNumber ?? -1, column = cf.columnNumber ?? -1;
    // Lost: a script's function (id > 0) without url or line. A live script without a name (eval,
    // new Function) has url "" but its lines; V8's own entries (root, GC, natives) have id 0.
    let lost: 'file' | 'line' | undefined;
    if (!url && line < 0) {
      const id = scriptIdOf(cf.scriptId);
      if (id > 0) {
        const at = scripts?.locate(id, name);
        if (at) ({ url, lineNumber: line, columnNumber: column } = at);
        // The heap profile itself shows two functions of that name in the script: url only.
        if (line >= 0 && twins?.has(`${id}\0${name}`)) line = column = -1;
        lost = !at ? 'file' : line < 0 ? 'line' : undefined;
      }
    }
    const isRoot = name === '(root)' && !url;
    const role = isRoot || inPreload === 2 ? undefined : b.preload.role(name, url, line, column);
    let at: number;
    let state = inPreload;
    if (isRoot || inPreload === 2 || role === 'wrapper') at = parent;
    else if (role) {
      at = inPreload === 1 ? parent : tree.child(parent, b.profilerFrame());
      state = role === 'setup' ? 2 : 1;
    } else {
      const frame = b.frames.fromCallFrame(name, url, line + 1, column + 1);
      at = tree.child(parent, frame);
      state = 0;
      if (lost && node.selfSize > 0) b.heapLocationLost(lost, frame, node.selfSize, !scripts);
    }
    if (node.selfSize > 0) tree.addSelf(at, node.selfSize, counts && typeof node.id === 'number' ? counts.get(node.id) ?? 0 : 0);
    const children = Array.isArray(node.children) ? node.children : [];
    for (let i = children.length - 1; i >= 0; i--) if (isHeapNode(children[i])) stack.push({ node: children[i], parent: at, inPreload: state });
  }
}

/**
 * Script id + name of lost frames (url "", line -1) that have a sibling with the same ones. V8
 * keeps one child per function (script and position) under a parent, so such siblings are two
 * different functions of one name in one script, even if the CPU profile sampled only one of
 * them: then a name cannot tell which is which, and they get the url only.
 */
function lostTwins(head: HeapNode): Set<string> {
  const twins = new Set<string>();
  const stack = [head];
  const seen = new Set<string>();
  while (stack.length) {
    const children = stack.pop()!.children;
    if (!Array.isArray(children)) continue;
    seen.clear();
    for (const c of children) {
      if (!isHeapNode(c)) continue;
      stack.push(c);
      const cf = c.callFrame;
      if (cf.url || (cf.lineNumber ?? -1) >= 0) continue;
      const id = scriptIdOf(cf.scriptId);
      if (id <= 0 || !cf.functionName) continue;
      const key = `${id}\0${cf.functionName}`;
      if (seen.has(key)) twins.add(key);
      else seen.add(key);
    }
  }
  return twins;
}
