// From protocol data and view options to the tree on screen. Keeps the converted base tree and
// the last result so toggling back and forth does not redo the work.
import { sampleCounts, type FlameGraphData, type FlameViewState } from '../../src/protocol/flame';
import { byFunction, type FunctionRow } from './analysis';
import { assignPackageSlots } from './colors';
import { categoryWeights, DEFAULT_MAX_PACKAGES, legendModel, rankedPackages, type LegendModel } from './legend';
import { mergeAndLayout, partialLayout } from './merge';
import { filterTree, focusTree, invertTree, timelineTree } from './transforms';
import { rawFromData, type LaidTree, type RawTree } from './tree';

export type ViewOptions = Required<Pick<FlameViewState, 'layout' | 'inverted' | 'myCodeOnly'>> & { focusFrame: number };

export interface PreparedView {
  tree: LaidTree;
  /** Per-function rows of the tree before focus/inversion, for the bottom-up table. */
  functions: () => FunctionRow[];
  options: ViewOptions;
  /** Set on a partial layout (see partialLayout): computes the full view, the same as prepare(). */
  complete?: () => PreparedView;
}

/** Below this many nodes the full layout is fast enough for the first paint. */
export const PARTIAL_MIN_NODES = 200_000;

export class GraphPipeline {
  readonly workspace: Uint8Array;
  private base: RawTree | undefined;
  private timeline: RawTree | undefined;
  private cache = new Map<string, PreparedView>();
  private weights: Float64Array | undefined;
  private slots: Map<string, number> | undefined;
  /** The partial view handed out and not completed yet: asked again, the same object comes back. */
  private partial: { key: string; pixels: number; view: PreparedView } | undefined;

  constructor(readonly data: FlameGraphData) {
    this.workspace = new Uint8Array(data.frames.length);
    data.frames.forEach((f, i) => { if (data.categories[f.category]?.kind === 'workspace') this.workspace[i] = 1; });
  }

  get hasTimeline(): boolean {
    return !!this.data.timeline && this.data.timeline.node.length > 0;
  }

  get hasWorkspaceCode(): boolean {
    return this.workspace.some((v) => v === 1);
  }

  /** Legend entries: fixed kinds, then the heaviest packages of this graph (at most maxPackages). */
  legend(maxPackages = DEFAULT_MAX_PACKAGES): LegendModel {
    return legendModel(this.data, maxPackages, this.categoryWeights());
  }

  /** Package colour slots, heaviest packages first so they get distinct hues. */
  packageSlots(): Map<string, number> {
    return (this.slots ??= assignPackageSlots(rankedPackages(this.data, this.categoryWeights()).map((e) => e.label)));
  }

  private categoryWeights(): Float64Array {
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
    const view = { tree, functions, options: o };
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
    const plain = !this.base && !o.myCodeOnly && o.focusFrame < 0 && !o.inverted && nodes.parent.length === nodes.frame.length && nodes.self.length === nodes.frame.length;
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
    const view: PreparedView = { tree, functions: () => complete().functions(), options: o, complete };
    this.partial = { key, pixels, view };
    return view;
  }

  private resolve(options: ViewOptions): ViewOptions {
    const layout = options.layout === 'time-ordered' && this.hasTimeline && !options.inverted ? 'time-ordered' : 'left-heavy';
    return { ...options, layout };
  }

  private transformed(o: ViewOptions): { t: RawTree; unfocused: RawTree } {
    let t = o.layout === 'time-ordered' ? this.timelineTree() : this.baseTree();
    if (o.myCodeOnly) t = filterTree(t, this.workspace);
    const unfocused = t;
    if (o.focusFrame >= 0) t = focusTree(t, o.focusFrame);
    if (o.inverted) t = invertTree(t);
    return { t, unfocused };
  }

  private baseTree(): RawTree {
    return (this.base ??= rawFromData(this.data));
  }

  private timelineTree(): RawTree {
    return (this.timeline ??= timelineTree(this.baseTree(), this.data.timeline!));
  }
}

function keyOf(o: ViewOptions): string {
  return `${o.layout}|${o.inverted}|${o.myCodeOnly}|${o.focusFrame}`;
}
