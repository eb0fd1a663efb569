// From protocol data and view options to the tree on screen. Keeps the converted base tree and
// the last result so toggling back and forth does not redo the work.
import { sampleCounts, type FlameGraphData, type FlameViewState } from '../../src/protocol/flame';
import { byFunction, type FunctionRow } from './analysis';
import { assignPackageSlots } from './colors';
import { categoryWeights, DEFAULT_MAX_PACKAGES, legendModel, rankedPackages, type LegendModel } from './legend';
import { mergeAndLayout, partialLayout } from './merge';
import { dropSubtrees, filterTree, focusTree, invertTree, timelineTree } from './transforms';
import { rawFromData, totalsOf, type LaidTree, type RawTree } from './tree';

/** `showLaunchers` unset: launcher processes folded. */
export type ViewOptions = Required<Pick<FlameViewState, 'layout' | 'inverted' | 'myCodeOnly'>> & { focusFrame: number; showLaunchers?: boolean };

/** A package-manager launcher process of the graph (npm, npx...), folded unless shown. */
export interface LauncherInfo {
  name: string;
  label: string;
  pid: number;
  /** Its sampled value (graph unit) and, of that, idle. */
  total: number;
  idle: number;
}

export interface PreparedView {
  tree: LaidTree;
  /** Per-function rows of the tree before focus/inversion, for the bottom-up table. */
  functions: () => FunctionRow[];
  options: ViewOptions;
  /**
   * The denominator of every share shown with this view: the whole graph's value without the
   * folded launchers (not the focused or filtered tree's), so a share reads the same everywhere.
   */
  whole: number;
  /** Set on a partial layout (see partialLayout): computes the full view, the same as prepare(). */
  complete?: () => PreparedView;
}

/**
 * From this many nodes the first paint lays out only what is visible: a full layout of 100,000
 * nodes made their first paint slower than the partial one of 1,000,000 (issue 17).
 */
export const PARTIAL_MIN_NODES = 50_000;

export class GraphPipeline {
  readonly workspace: Uint8Array;
  private base: RawTree | undefined;
  private folded: RawTree | undefined;
  private timeline: RawTree | undefined;
  private foldedTimeline: RawTree | undefined;
  private cache = new Map<string, PreparedView>();
  private weights: Float64Array | undefined;
  private foldedWeights: Float64Array | undefined;
  private slots: Map<string, number> | undefined;
  private foldedSlots: Map<string, number> | undefined;
  private wholes: [number | undefined, number | undefined] = [undefined, undefined];
  /** 1 on the process nodes (protocol node ids) of launcher processes; null when there are none. */
  private readonly launcherMask: Uint8Array | null;
  /** The partial view handed out and not completed yet: asked again, the same object comes back. */
  private partial: { key: string; pixels: number; view: PreparedView } | undefined;

  constructor(readonly data: FlameGraphData) {
    this.workspace = new Uint8Array(data.frames.length);
    data.frames.forEach((f, i) => { if (data.categories[f.category]?.kind === 'workspace') this.workspace[i] = 1; });
    const n = data.nodes.frame.length;
    const launchers = (data.processes ?? []).filter((p) => p.launcher && Number.isInteger(p.node) && p.node > 0 && p.node < n);
    // A run of the launcher alone is that launcher's profile: nothing to fold.
    const others = (data.processes ?? []).filter((p) => !p.launcher).length;
    this.launcherMask = launchers.length && others ? new Uint8Array(n) : null;
    if (this.launcherMask) for (const p of launchers) this.launcherMask[p.node] = 1;
  }

  get hasLaunchers(): boolean {
    return this.launcherMask !== null;
  }

  /** The launcher processes with their sampled value and idle share (for the folded note). */
  launchers(): LauncherInfo[] {
    const mask = this.launcherMask;
    if (!mask) return [];
    const t = this.baseTree();
    const total = totalsOf(t);
    const idle = new Uint8Array(this.data.categories.length);
    this.data.categories.forEach((c, i) => { if (c.kind === 'idle') idle[i] = 1; });
    // Idle time summed up the tree the way totals are: one backwards pass.
    const idleTotal = new Float64Array(t.n);
    for (let i = 0; i < t.n; i++) if (idle[this.data.frames[t.frame[i]]?.category ?? -1]) idleTotal[i] = t.self[i];
    for (let i = t.n - 1; i > 0; i--) idleTotal[t.parent[i]] += idleTotal[i];
    const out: LauncherInfo[] = [];
    for (const p of this.data.processes ?? []) {
      if (p.launcher && mask[p.node]) out.push({ name: p.launcher, label: p.label, pid: p.pid, total: total[p.node], idle: idleTotal[p.node] });
    }
    return out;
  }

  /** Notes to show: those about folded launcher processes alone are left out while folded. */
  notes(showLaunchers: boolean): string[] {
    const all = this.data.notes ?? [];
    if (showLaunchers || !this.launcherMask) return all;
    const procs = this.data.processes ?? [];
    const shown = new Set(procs.filter((p) => !p.launcher).flatMap((p) => p.notes ?? []));
    const hidden = new Set(procs.filter((p) => p.launcher).flatMap((p) => p.notes ?? []).filter((n) => !shown.has(n)));
    return all.filter((n) => !hidden.has(n));
  }

  /** The denominator of shares: the graph's whole value, without folded launchers. */
  whole(showLaunchers: boolean): number {
    const k = showLaunchers || !this.launcherMask ? 0 : 1;
    return (this.wholes[k] ??= totalsOf(k ? this.foldedTree() : this.baseTree())[0]);
  }

  get hasTimeline(): boolean {
    return !!this.data.timeline && this.data.timeline.node.length > 0;
  }

  get hasWorkspaceCode(): boolean {
    return this.workspace.some((v) => v === 1);
  }

  /**
   * Legend entries: fixed kinds, then the heaviest packages of this graph (at most maxPackages).
   * Folded launchers' frames are left out: their packages are not listed.
   */
  legend(maxPackages = DEFAULT_MAX_PACKAGES, showLaunchers = false): LegendModel {
    return legendModel(this.data, maxPackages, this.categoryWeights(showLaunchers));
  }

  /** Package colour slots, heaviest packages first so they get distinct hues. */
  packageSlots(showLaunchers = false): Map<string, number> {
    if (this.launcherMask && !showLaunchers) return (this.foldedSlots ??= assignPackageSlots(rankedPackages(this.data, this.categoryWeights(false)).map((e) => e.label)));
    return (this.slots ??= assignPackageSlots(rankedPackages(this.data, this.categoryWeights(true)).map((e) => e.label)));
  }

  private categoryWeights(showLaunchers: boolean): Float64Array {
    if (this.launcherMask && !showLaunchers) return (this.foldedWeights ??= categoryWeights(this.data, this.foldedTree()));
    return (this.weights ??= categoryWeights(this.data, this.base ?? this.data.nodes));
  }

  prepare(options: ViewOptions): PreparedView {
    const o = this.resolve(options);
    const key = keyOf(o);
    const hit = this.cache.get(key);
    if (hit) return hit;
    const { t, unfocused } = this.transformed(o);
    const tree = mergeAndLayout(t, o.layout);
    let rows: FunctionRow[] | undefined;
    const functions = () => {
      if (!rows) {
        const plain = unfocused === t && !o.inverted ? tree : mergeAndLayout(unfocused, 'left-heavy');
        rows = byFunction(plain, this.data.frames.length);
      }
      return rows;
    };
    const view = { tree, functions, options: o, whole: this.whole(!!o.showLaunchers) };
    if (this.cache.size > 6) this.cache.clear();
    this.cache.set(key, view);
    return view;
  }

  /**
   * For the first paint of a big left-heavy graph: lays out only what is at least a pixel wide
   * when the root is `pixels` wide; the result's `complete()` gives the full view. Small graphs,
   * cached views and the time-ordered layout get the full view at once.
   */
  preparePartial(options: ViewOptions, pixels: number): PreparedView {
    const o = this.resolve(options);
    const key = keyOf(o);
    if (this.cache.has(key) || o.layout !== 'left-heavy' || this.data.nodes.frame.length < PARTIAL_MIN_NODES || !(pixels > 0)) return this.prepare(o);
    const pending = this.partial;
    if (pending?.key === key && pending.pixels === pixels) return pending.view;
    // Without a transform the protocol arrays are read as they are: converting them to typed
    // arrays (rawFromData) waits for the full layout.
    const nodes = this.data.nodes;
    const plain = !this.base && !o.myCodeOnly && o.focusFrame < 0 && !o.inverted && (o.showLaunchers || !this.launcherMask) && nodes.parent.length === nodes.frame.length && nodes.self.length === nodes.frame.length;
    const t = plain
      ? { n: nodes.frame.length, frame: nodes.frame, parent: nodes.parent, self: nodes.self, samples: sampleCounts(nodes) ?? null }
      : this.transformed(o).t;
    const tree = partialLayout(t, pixels, this.data.frames.length);
    if (!tree) return this.prepare(o);
    let full: PreparedView | undefined;
    const complete = () => {
      if (this.partial?.view === view) this.partial = undefined;
      return (full ??= this.prepare(o));
    };
    // The root's total is the sum of the clamped self values, as whole() would compute it.
    const whole = plain ? tree.total[0] : this.whole(!!o.showLaunchers);
    const view: PreparedView = { tree, functions: () => complete().functions(), options: o, whole, complete };
    this.partial = { key, pixels, view };
    return view;
  }

  private resolve(options: ViewOptions): ViewOptions {
    const layout = options.layout === 'time-ordered' && this.hasTimeline && !options.inverted ? 'time-ordered' : 'left-heavy';
    return { ...options, layout };
  }

  private transformed(o: ViewOptions): { t: RawTree; unfocused: RawTree } {
    const fold = !o.showLaunchers && this.launcherMask !== null;
    let t = o.layout === 'time-ordered' ? this.timelineTree(fold) : fold ? this.foldedTree() : this.baseTree();
    if (o.myCodeOnly) t = filterTree(t, this.workspace);
    const unfocused = t;
    if (o.focusFrame >= 0) t = focusTree(t, o.focusFrame);
    if (o.inverted) t = invertTree(t);
    return { t, unfocused };
  }

  private baseTree(): RawTree {
    return (this.base ??= rawFromData(this.data));
  }

  /** The base tree without the launcher processes' subtrees. */
  private foldedTree(): RawTree {
    return this.launcherMask ? (this.folded ??= dropSubtrees(this.baseTree(), this.launcherMask)) : this.baseTree();
  }

  private timelineTree(fold: boolean): RawTree {
    if (fold && this.launcherMask) return (this.foldedTimeline ??= timelineTree(this.baseTree(), this.data.timeline!, this.launcherMask));
    return (this.timeline ??= timelineTree(this.baseTree(), this.data.timeline!));
  }
}

function keyOf(o: ViewOptions): string {
  return `${o.layout}|${o.inverted}|${o.myCodeOnly}|${o.focusFrame}|${!!o.showLaunchers}`;
}
