// Typed-array trees the flame view works on. Every transform (filter, focus, invert, timeline)
// produces a RawTree; mergeAndLayout turns one into a LaidTree that the renderer draws.
// DOM-free so mocha can test it in plain Node.
import { sampleCounts, type FlameGraphData } from '../../src/protocol/flame';

/** Nodes with parent[i] < i (parents first); node 0 is the root. Totals are derived from self. */
export interface RawTree {
  n: number;
  frame: Int32Array;
  parent: Int32Array;
  self: Float64Array;
  samples: Float64Array | null;
}

/** A merged tree in pre-order with its layout: node i's subtree is [i, i + size[i]). */
export interface LaidTree extends RawTree {
  total: Float64Array;
  size: Int32Array;
  depth: Int32Array;
  /** Start of the node along the value axis, in the graph's unit. */
  x: Float64Array;
  maxDepth: number;
  /**
   * Only on a partial layout (first paint of a big profile): per node, the weight of its
   * children that were not laid out because each is narrower than a pixel at full width. They
   * sit right of the laid-out children (heaviest first), so the renderer draws them as one grey run.
   */
  hidden?: Float64Array;
}

export class FlameDataError extends Error {}

/** Converts the protocol arrays to typed arrays, refusing data that would break the layout. */
export function rawFromData(g: FlameGraphData): RawTree {
  const nodes = g.nodes;
  const n = nodes?.frame?.length ?? 0;
  if (n === 0) throw new FlameDataError(`"${g.title}" has no nodes: the profile is empty.`);
  if (nodes.parent.length !== n || nodes.self.length !== n) {
    throw new FlameDataError(`"${g.title}" is inconsistent: ${n} frames but ${nodes.parent.length} parents and ${nodes.self.length} self values.`);
  }
  // The constructors take V8's fast path for plain arrays; Int32Array.from iterates.
  const frame = new Int32Array(nodes.frame);
  const parent = new Int32Array(nodes.parent);
  const self = new Float64Array(nodes.self);
  const frames = g.frames.length;
  parent[0] = -1;
  for (let i = 1; i < n; i++) {
    const p = parent[i];
    if (!(p >= 0 && p < i)) throw new FlameDataError(`"${g.title}": node ${i} has parent ${p}; nodes must come after their parent.`);
    const f = frame[i];
    if (!(f >= 0 && f < frames)) throw new FlameDataError(`"${g.title}": node ${i} points at missing frame ${f}.`);
    const s = self[i];
    if (!(s >= 0)) self[i] = 0; // NaN or negative values would corrupt every total above them
  }
  if (!(self[0] >= 0)) self[0] = 0;
  // Sample counts only when every node has a valid one: a wrong count would show a wrong ±.
  const counts = sampleCounts(nodes);
  const samples = counts ? new Float64Array(counts) : null;
  return { n, frame, parent, self, samples };
}

/** Sum of self over each subtree; valid for any RawTree because parents come first. */
export function totalsOf(t: RawTree): Float64Array {
  const total = Float64Array.from(t.self);
  for (let i = t.n - 1; i > 0; i--) total[t.parent[i]] += total[i];
  return total;
}

/** Grows typed arrays while a transform appends nodes. */
export class TreeBuilder {
  n = 0;
  frame: Int32Array;
  parent: Int32Array;
  self: Float64Array;
  samples: Float64Array | null;

  constructor(capacity: number, withSamples: boolean) {
    const c = Math.max(16, capacity);
    this.frame = new Int32Array(c);
    this.parent = new Int32Array(c);
    this.self = new Float64Array(c);
    this.samples = withSamples ? new Float64Array(c) : null;
  }

  add(frame: number, parent: number, self: number, samples: number): number {
    if (this.n === this.frame.length) this.grow();
    const i = this.n++;
    this.frame[i] = frame;
    this.parent[i] = parent;
    this.self[i] = self;
    if (this.samples) this.samples[i] = samples;
    return i;
  }

  private grow(): void {
    const c = this.frame.length * 2;
    const f = new Int32Array(c); f.set(this.frame); this.frame = f;
    const p = new Int32Array(c); p.set(this.parent); this.parent = p;
    const s = new Float64Array(c); s.set(this.self); this.self = s;
    if (this.samples) { const m = new Float64Array(c); m.set(this.samples); this.samples = m; }
  }

  build(): RawTree {
    const n = this.n;
    return {
      n,
      frame: this.frame.slice(0, n),
      parent: this.parent.slice(0, n),
      self: this.self.slice(0, n),
      samples: this.samples ? this.samples.slice(0, n) : null,
    };
  }
}
