// What the colour legend lists: the fixed kinds (your code, Node internals, native, GC, idle,
// program), "(outside workspace)", then the dependency packages ranked by their weight (self
// time or bytes summed over their nodes) in the graph, capped, with the rest folded into one
// "+N more packages" item. DOM-free (tested in Node).
import type { CategoryKind, FlameGraphData } from '../../src/protocol/flame';

/** Label the profile producer gives code outside the workspace that is not in node_modules. */
export const OUTSIDE_WORKSPACE = '(outside workspace)';

export const DEFAULT_MAX_PACKAGES = 6;

const FIXED_ORDER: CategoryKind[] = ['workspace', 'node', 'native', 'waiting', 'gc', 'idle', 'program'];

export interface LegendEntry {
  /** Category indices this entry stands for (categories can repeat a label). */
  categories: number[];
  kind: CategoryKind;
  label: string;
  weight: number;
}

export interface LegendModel {
  /** Fixed kinds in a fixed order, then "(outside workspace)", then the top packages by weight. */
  entries: LegendEntry[];
  /** Packages not listed, heaviest first. */
  more: LegendEntry[];
  /** Sum of self over all nodes, for percentages. */
  total: number;
}

export function isOutsideWorkspace(kind: CategoryKind, label: string): boolean {
  return kind === 'dependency' && label === OUTSIDE_WORKSPACE;
}

/**
 * Self weight summed per category over the graph's nodes (or over `nodes`, e.g. the typed
 * arrays of the converted tree, which are faster to walk); -1 for categories no node uses.
 */
export function categoryWeights(g: FlameGraphData, nodes: { frame: ArrayLike<number>; self: ArrayLike<number> } = g.nodes): Float64Array {
  const cats = g.categories.length;
  const w = new Float64Array(cats).fill(-1);
  const catOf = new Int32Array(g.frames.length);
  g.frames.forEach((f, i) => { catOf[i] = Number.isInteger(f.category) && f.category >= 0 && f.category < cats ? f.category : -1; });
  const { frame, self } = nodes;
  const frames = catOf.length;
  for (let i = 0; i < frame.length; i++) {
    const f = frame[i];
    if (!(f >= 0 && f < frames)) continue;
    const c = catOf[f];
    if (c < 0) continue;
    const s = self[i];
    w[c] = (w[c] < 0 ? 0 : w[c]) + (s > 0 ? s : 0);
  }
  return w;
}

/**
 * Dependency package labels heaviest first (ties by label), "(outside workspace)" excluded:
 * the order in which packages claim distinct colours.
 */
export function rankedPackages(g: FlameGraphData, weights = categoryWeights(g)): LegendEntry[] {
  const byLabel = new Map<string, LegendEntry>();
  g.categories.forEach((c, i) => {
    if (c.kind !== 'dependency' || isOutsideWorkspace(c.kind, c.label) || weights[i] < 0) return;
    const e = byLabel.get(c.label);
    if (e) { e.categories.push(i); e.weight += weights[i]; } else byLabel.set(c.label, { categories: [i], kind: c.kind, label: c.label, weight: weights[i] });
  });
  return [...byLabel.values()].sort((a, b) => b.weight - a.weight || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

export function legendModel(g: FlameGraphData, maxPackages = DEFAULT_MAX_PACKAGES, weights = categoryWeights(g)): LegendModel {
  let total = 0;
  for (const w of weights) if (w > 0) total += w;
  const fixed: LegendEntry[] = [];
  const outside: LegendEntry[] = [];
  const add = (list: LegendEntry[], i: number) => {
    const c = g.categories[i];
    const e = list.find((x) => x.kind === c.kind && x.label === c.label);
    if (e) { e.categories.push(i); e.weight += weights[i]; } else list.push({ categories: [i], kind: c.kind, label: c.label, weight: weights[i] });
  };
  g.categories.forEach((c, i) => {
    if (weights[i] < 0) return;
    if (isOutsideWorkspace(c.kind, c.label)) add(outside, i);
    else if (c.kind !== 'dependency') add(fixed, i);
  });
  const rank = (k: CategoryKind) => { const r = FIXED_ORDER.indexOf(k); return r < 0 ? FIXED_ORDER.length : r; };
  fixed.sort((a, b) => rank(a.kind) - rank(b.kind));
  const packages = rankedPackages(g, weights);
  const cap = Math.max(0, Math.floor(maxPackages));
  // Folding a single package into "+1 more" saves no room: show it instead.
  const shown = packages.length === cap + 1 ? packages.length : cap;
  return { entries: [...fixed, ...outside, ...packages.slice(0, shown)], more: packages.slice(shown), total };
}

/** Text of the "+N more packages" item and its tooltip (one package a line, with its share). */
export function moreLabel(m: LegendModel): { text: string; title: string } | null {
  if (m.more.length === 0) return null;
  const pct = (w: number) => (m.total > 0 ? `${((100 * w) / m.total).toFixed(w / m.total < 0.001 && w > 0 ? 2 : 1)}%` : '');
  const n = m.more.length;
  return {
    text: `+${n} more package${n === 1 ? '' : 's'}`,
    title: m.more.map((e) => `${e.label}  ${pct(e.weight)}`.trimEnd()).join('\n'),
  };
}
