// Merges consecutive CPU profile chunks of one thread into one `.cpuprofile`. Used by the preload
// (bundled into dist/preload.js, so: no imports) when it flushes periodically: the profiler is
// rotated between two overlapping profiles (see preload.ts), each rotation yields a chunk, and the
// preload keeps one merged profile that it rewrites on every flush and at exit.
//
// Chunks overlap by a few samples (the next chunk starts before the previous one stops). Sample
// timestamps come from the same profiler ticks in both, so a sample at or before the last merged
// sample's time is a duplicate and is dropped. Nodes are merged by call path (parent + call frame).

export interface ChunkCallFrame { functionName: string; scriptId: string | number; url: string; lineNumber: number; columnNumber: number }
export interface ChunkNode {
  id: number;
  callFrame: ChunkCallFrame;
  hitCount?: number;
  children?: number[];
  positionTicks?: { line: number; ticks: number }[];
  [other: string]: unknown;
}
export interface ChunkProfile { nodes: ChunkNode[]; startTime: number; endTime: number; samples?: number[]; timeDeltas?: number[] }

export class CpuChunkMerger {
  private nodes: ChunkNode[] = [];
  /** Per merged node (index id - 1): its children by call-frame key. */
  private childKeys: (Map<string, number> | undefined)[] = [];
  private samples: number[] = [];
  private timeDeltas: number[] = [];
  private startTime = 0;
  private endTime = 0;
  /** Absolute time (µs) of the last merged sample; start time while there is none. */
  private lastTime = 0;
  chunks = 0;
  droppedSamples = 0;

  add(chunk: ChunkProfile): void {
    const nodes = chunk.nodes ?? [];
    if (!nodes.length) return;
    if (this.chunks === 0) {
      this.startTime = chunk.startTime;
      this.lastTime = chunk.startTime;
      this.nodes.push({ id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, hitCount: 0, children: [] });
      this.childKeys.push(undefined);
    }
    this.chunks++;
    this.endTime = Math.max(this.endTime, chunk.endTime);
    // Chunk ids are small integers (V8 numbers them 1..n): arrays indexed by id, no string maps.
    let maxId = 0;
    for (const n of nodes) if (n.id > maxId) maxId = n.id;
    const index = new Int32Array(maxId + 1).fill(-1);
    const isChild = new Uint8Array(maxId + 1);
    for (let i = 0; i < nodes.length; i++) {
      index[nodes[i].id] = i;
      const ch = nodes[i].children;
      if (ch) for (let j = 0; j < ch.length; j++) isChild[ch[j]] = 1;
    }
    // Map every chunk node onto the merged tree, parents before children. A chunk's root (the
    // node no one lists as a child, '(root)') is the merged root.
    const idMap = new Int32Array(maxId + 1);
    const queue: number[] = [];
    const parents: number[] = [];
    for (const n of nodes) {
      if (isChild[n.id]) continue;
      idMap[n.id] = 1;
      this.addHits(this.nodes[0], n);
      if (n.children) for (const c of n.children) { queue.push(c); parents.push(1); }
    }
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i];
      const at = index[id];
      if (at < 0 || idMap[id]) continue;
      const n = nodes[at];
      const merged = this.nodeFor(parents[i], n.callFrame);
      idMap[id] = merged;
      this.addHits(this.nodes[merged - 1], n);
      if (n.children) for (const c of n.children) { queue.push(c); parents.push(merged); }
    }
    const samples = chunk.samples ?? [];
    const deltas = chunk.timeDeltas ?? [];
    let t = chunk.startTime;
    for (let i = 0; i < samples.length; i++) {
      t += deltas[i] ?? 0;
      const id = samples[i] <= maxId ? idMap[samples[i]] : 0;
      if (!id) continue;
      if (this.samples.length && t <= this.lastTime) {
        // Already merged from the previous chunk (the overlap): undo its hit.
        const m = this.nodes[id - 1];
        if (m.hitCount) m.hitCount--;
        this.droppedSamples++;
        continue;
      }
      this.samples.push(id);
      this.timeDeltas.push(t - this.lastTime);
      this.lastTime = t;
    }
  }

  private addHits(m: ChunkNode, n: ChunkNode): void {
    m.hitCount = (m.hitCount ?? 0) + (n.hitCount ?? 0);
    const ticks = n.positionTicks;
    if (!ticks?.length) return;
    const list = (m.positionTicks ??= []);
    for (const pt of ticks) {
      const same = list.find((x) => x.line === pt.line);
      if (same) same.ticks += pt.ticks;
      else list.push({ line: pt.line, ticks: pt.ticks });
    }
  }

  private nodeFor(parent: number, cf: ChunkCallFrame): number {
    // Within one process a script id and position name a function; script 0 (V8's own entries
    // such as '(program)' and builtins) is told apart by name and URL.
    const key = cf.scriptId === '0' || cf.scriptId === 0 ? `0:${cf.functionName}:${cf.url}:${cf.lineNumber}:${cf.columnNumber}` : `${cf.scriptId}:${cf.lineNumber}:${cf.columnNumber}:${cf.functionName}`;
    let kids = this.childKeys[parent - 1];
    if (!kids) this.childKeys[parent - 1] = kids = new Map();
    let id = kids.get(key);
    if (id === undefined) {
      id = this.nodes.length + 1;
      kids.set(key, id);
      this.nodes.push({ id, callFrame: cf, hitCount: 0, children: [] });
      this.childKeys.push(undefined);
      this.nodes[parent - 1].children!.push(id);
    }
    return id;
  }

  /** The merged profile; shares arrays with the merger (serialise it before the next add). */
  profile(): ChunkProfile {
    return { nodes: this.nodes, startTime: this.startTime, endTime: this.endTime, samples: this.samples, timeDeltas: this.timeDeltas };
  }
}
