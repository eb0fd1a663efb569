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
  private byKey = new Map<string, number>();
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
    }
    this.chunks++;
    this.endTime = Math.max(this.endTime, chunk.endTime);
    const byId = new Map<number, ChunkNode>();
    const isChild = new Set<number>();
    for (const n of nodes) {
      byId.set(n.id, n);
      for (const c of n.children ?? []) isChild.add(c);
    }
    // Map every chunk node onto the merged tree, parents before children.
    const idMap = new Map<number, number>();
    const queue: { id: number; parent: number }[] = nodes.filter((n) => !isChild.has(n.id)).map((n) => ({ id: n.id, parent: 0 }));
    for (let i = 0; i < queue.length; i++) {
      const { id, parent } = queue[i];
      const n = byId.get(id);
      if (!n || idMap.has(id)) continue;
      const merged = this.nodeFor(parent, n);
      idMap.set(id, merged);
      const m = this.nodes[merged - 1];
      m.hitCount = (m.hitCount ?? 0) + (n.hitCount ?? 0);
      for (const pt of n.positionTicks ?? []) {
        const list = (m.positionTicks ??= []);
        const same = list.find((x) => x.line === pt.line);
        if (same) same.ticks += pt.ticks;
        else list.push({ line: pt.line, ticks: pt.ticks });
      }
      for (const c of n.children ?? []) queue.push({ id: c, parent: merged });
    }
    const samples = chunk.samples ?? [];
    const deltas = chunk.timeDeltas ?? [];
    let t = chunk.startTime;
    for (let i = 0; i < samples.length; i++) {
      t += deltas[i] ?? 0;
      const id = idMap.get(samples[i]);
      if (id === undefined) continue;
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

  private nodeFor(parent: number, n: ChunkNode): number {
    const cf = n.callFrame;
    const key = `${parent}\0${cf.functionName}\0${cf.scriptId}\0${cf.url}\0${cf.lineNumber}\0${cf.columnNumber}`;
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.nodes.length + 1;
      this.byKey.set(key, id);
      const copy: ChunkNode = { ...n, id, callFrame: cf, hitCount: 0, children: [] };
      delete copy.positionTicks;
      this.nodes.push(copy);
      if (parent) this.nodes[parent - 1].children!.push(id);
    }
    return id;
  }

  /** The merged profile; shares arrays with the merger (serialise it before the next add). */
  profile(): ChunkProfile {
    return { nodes: this.nodes, startTime: this.startTime, endTime: this.endTime, samples: this.samples, timeDeltas: this.timeDeltas };
  }

  /** Wall time covered so far, µs. */
  coveredUs(): number {
    return this.endTime - this.startTime;
  }
}
