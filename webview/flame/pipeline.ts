// From protocol data and view options to the tree on screen. Keeps the converted base tree and
// the last result so toggling back and forth does not redo the work.
import type { FlameGraphData, FlameViewState } from '../../src/protocol/flame';
import { byFunction, type FunctionRow } from './analysis';
import { mergeAndLayout } from './merge';
import { filterTree, focusTree, invertTree, timelineTree } from './transforms';
import { rawFromData, type LaidTree, type RawTree } from './tree';

export type ViewOptions = Required<Pick<FlameViewState, 'layout' | 'inverted' | 'myCodeOnly'>> & { focusFrame: number };

export interface PreparedView {
  tree: LaidTree;
  /** Per-function rows of the tree before focus/inversion, for the bottom-up table. */
  functions: () => FunctionRow[];
  options: ViewOptions;
}

export class GraphPipeline {
  readonly workspace: Uint8Array;
  private base: RawTree | undefined;
  private timeline: RawTree | undefined;
  private cache = new Map<string, PreparedView>();

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

  prepare(options: ViewOptions): PreparedView {
    const layout = options.layout === 'time-ordered' && this.hasTimeline && !options.inverted ? 'time-ordered' : 'left-heavy';
    const o: ViewOptions = { ...options, layout };
    const key = `${o.layout}|${o.inverted}|${o.myCodeOnly}|${o.focusFrame}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    let t = layout === 'time-ordered' ? this.timelineTree() : this.baseTree();
    if (o.myCodeOnly) t = filterTree(t, this.workspace);
    const unfocused = t;
    if (o.focusFrame >= 0) t = focusTree(t, o.focusFrame);
    if (o.inverted) t = invertTree(t);
    const tree = mergeAndLayout(t, layout);
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

  private baseTree(): RawTree {
    return (this.base ??= rawFromData(this.data));
  }

  private timelineTree(): RawTree {
    return (this.timeline ??= timelineTree(this.baseTree(), this.data.timeline!));
  }
}
