// The flame graph page: owns the view state and wires toolbar, canvas, tables and summary.
import { parseToWebview, type FlameGraphData, type FlameViewState, type ToWebviewMessage } from '../../src/protocol/flame';
import { hottestNode, searchTree, type SearchResult } from './analysis';
import { FramePalette, type ThemeKind } from './colors';
import { frameInfo, shareName, summaryText, type FrameInfo } from './describe';
import { h } from './dom';
import { FlameCanvas } from './flameCanvas';
import { formatPercent, formatValue, formatWithError } from './format';
import type { Host } from './host';
import { bindKeys } from './keys';
import { sameNode } from './merge';
import { GraphPipeline, type PreparedView, type ViewOptions } from './pipeline';
import { errorOf, totalSamplesOf } from './spread';
import { Tables } from './tables';
import { canvasColors, currentTheme, onThemeChange } from './theme';
import { tooltipContent } from './tooltip';
import { Toolbar } from './toolbar';

function afterPaint(cb: () => void): void {
  requestAnimationFrame(() => setTimeout(cb, 16));
}

/** When the page is idle after the first paint (at most `timeout` ms later). */
function whenIdle(cb: () => void, timeout: number): void {
  if (typeof requestIdleCallback === 'function') afterPaint(() => requestIdleCallback(cb, { timeout }));
  else afterPaint(cb);
}

export class App {
  graphs: GraphPipeline[] = [];
  index = 0;
  options: ViewOptions = { layout: 'left-heavy', inverted: false, myCodeOnly: false, showLaunchers: false, focusFrame: -1 };
  query = '';
  view: PreparedView | undefined;
  search: SearchResult | undefined;
  selected = -1;
  highlightFrame = -1;
  zoomNode: number | undefined;
  readonly canvas: FlameCanvas;
  readonly toolbar: Toolbar;
  readonly tables: Tables;
  private summary: HTMLElement;
  private message: HTMLElement;
  private theme: ThemeKind = currentTheme();
  private palette: FramePalette | undefined;
  private saveTimer = 0;
  private autoSelected = -1;

  constructor(root: HTMLElement, readonly host: Host) {
    const header = h('header', { class: 'hp-header' });
    const wrap = h('div', { class: 'hp-canvas-wrap' },
      h('canvas', { class: 'hp-flame', tabindex: 0, role: 'img', 'aria-label': 'Flame graph. Arrow keys move the selection, Enter opens the source, Escape resets.' }),
      h('canvas', { class: 'hp-overlay', 'aria-hidden': 'true' }),
      h('div', { class: 'hp-tooltip', role: 'tooltip', hidden: true }));
    this.message = h('div', { class: 'hp-message', hidden: true });
    this.summary = h('div', { id: 'summary', role: 'status', 'aria-live': 'polite', class: 'hp-summary' });
    const tables = h('section', { class: 'hp-tables', 'aria-label': 'Tables' });
    root.append(header, this.message, wrap, this.summary, tables);
    this.toolbar = new Toolbar(header, {
      tab: (i) => this.showGraph(i),
      search: (q) => { this.query = q; this.refresh(false); },
      layout: (l) => { this.options = { ...this.options, layout: l }; this.refresh(true); },
      inverted: (on) => { this.options = { ...this.options, inverted: on }; this.refresh(true); },
      myCodeOnly: (on) => { this.options = { ...this.options, myCodeOnly: on, focusFrame: -1 }; this.refresh(true); },
      showLaunchers: (on) => { this.options = { ...this.options, showLaunchers: on }; this.palette = undefined; this.refresh(true); },
      focus: () => this.toggleFocus(),
      reset: () => this.reset(),
      showLive: () => this.host.post({ type: 'showLive' }),
    });
    this.canvas = new FlameCanvas(wrap, {
      click: (node) => this.clickNode(node),
      tooltip: (node) => this.view ? tooltipContent(this.info(node), !!this.data.frames[this.view.tree.frame[node]].path) : null,
      viewChanged: () => { this.zoomNode = undefined; this.completeLayout(-1); this.saveState(); },
    });
    this.tables = new Tables(tables, {
      selectNode: (node) => { this.select(node, -1); this.canvas.ensureVisible(node); },
      selectFrame: (frame) => this.selectFrame(frame),
      colorOf: (frame) => this.palette?.fill(frame) ?? 'transparent',
      modeChanged: () => this.saveState(),
    });
    bindKeys(this);
    onThemeChange(() => { this.theme = currentTheme(); this.palette = undefined; this.paint(); });
  }

  get data(): FlameGraphData {
    return this.graphs[this.index].data;
  }

  handle(raw: unknown): void {
    const msg: ToWebviewMessage | undefined = parseToWebview(raw);
    if (!msg) return;
    if (msg.type === 'init') {
      this.toolbar.setLive(msg.liveSeries === true);
      this.init(msg.graphs, msg.state ?? this.host.loadState());
    }
    else this.reveal(msg.path, msg.line);
  }

  init(graphs: FlameGraphData[], state: FlameViewState | undefined): void {
    this.graphs = graphs.filter((g) => g && g.nodes && Array.isArray(g.frames) && Array.isArray(g.categories)).map((g) => new GraphPipeline(g));
    if (this.graphs.length === 0) return this.fail('No profile data to show: the run produced no CPU, allocation or import profile.');
    const s = state ?? { graph: 0 };
    this.options = { layout: s.layout === 'time-ordered' ? 'time-ordered' : 'left-heavy', inverted: s.inverted === true, myCodeOnly: s.myCodeOnly === true, showLaunchers: s.showLaunchers === true, focusFrame: -1 };
    this.query = typeof s.search === 'string' ? s.search : '';
    const index = Number.isInteger(s.graph) && s.graph >= 0 && s.graph < this.graphs.length ? s.graph : 0;
    if (s.table === 'functions' || s.table === 'sandwich' || s.table === 'tree') this.tables.setMode(s.table);
    this.showGraph(index, s);
  }

  showGraph(index: number, restore?: FlameViewState): void {
    this.index = index;
    const frames = this.data.frames.length;
    const focus = restore?.focusFrame;
    this.options.focusFrame = Number.isInteger(focus) && focus! >= 0 && focus! < frames ? focus! : -1;
    this.palette = undefined;
    this.selected = -1;
    this.highlightFrame = -1;
    this.toolbar.setTabs(this.graphs.map((g) => g.data), index);
    this.refresh(true, restore?.zoomNode);
  }

  /** Recomputes what changed (tree and/or search) and paints synchronously. */
  refresh(treeChanged: boolean, zoomNode?: number): void {
    let view: PreparedView;
    try {
      // Big graphs first paint a partial layout (what is at least a pixel wide at full width)
      // and complete it when idle or on the first zoom. A search (its counts) and a restored
      // zoom need the whole tree.
      if (this.view?.complete && (!treeChanged || this.query.trim())) this.completeLayout(-1);
      const pipeline = this.graphs[this.index];
      const width = this.canvas.pixelWidth;
      view = zoomNode === undefined && width > 0 && !this.query.trim() ? pipeline.preparePartial(this.options, width) : pipeline.prepare(this.options);
    } catch (err) {
      return this.fail(err instanceof Error ? err.message : String(err));
    }
    this.message.hidden = true;
    const t = view.tree;
    const newTree = view !== this.view;
    this.view = view;
    this.options = view.options;
    this.search = this.query.trim() ? searchTree(t, this.data.frames, this.query) : undefined;
    if (newTree || treeChanged) {
      this.selected = hottestNode(t, this.graphs[this.index].workspace);
      this.autoSelected = this.selected;
      this.highlightFrame = -1;
    }
    // The toolbar first: its height sizes the canvas, which is then drawn once.
    this.updateChrome();
    this.canvas.measure();
    this.paint(newTree, this.selected);
    if (zoomNode !== undefined && zoomNode > 0 && zoomNode < t.n) this.zoomTo(zoomNode);
    // Tables wait until the graph is on screen: on big profiles building their rows would
    // otherwise delay the first paint.
    if (newTree && view.complete) whenIdle(() => this.completeLayout(-1), 1000);
    else if (newTree) afterPaint(() => this.view === view && this.tables.update(view, this.data, this.selected));
    this.saveState();
  }

  /**
   * Replaces a partial layout by the full one (same positions, other node ids), keeping the
   * zoom and the selection; returns the full tree's id of `node` (a partial tree's id).
   */
  completeLayout(node: number): number {
    const partial = this.view;
    if (!partial?.complete) return node;
    let full: PreparedView;
    try {
      full = partial.complete();
    } catch (err) {
      this.fail(err instanceof Error ? err.message : String(err));
      return -1;
    }
    this.view = full;
    const mapped = sameNode(partial.tree, node, full.tree);
    // Keep what the user selected; the automatic selection is redone on the whole tree.
    const selected = this.selected === this.autoSelected ? -1 : sameNode(partial.tree, this.selected, full.tree);
    this.selected = selected >= 0 ? selected : hottestNode(full.tree, this.graphs[this.index].workspace);
    this.autoSelected = selected >= 0 ? -1 : this.selected;
    if (this.query.trim()) this.search = searchTree(full.tree, this.data.frames, this.query);
    this.paint(false);
    // The selection may have moved to the whole tree's hottest node: the summary names it.
    this.updateSummary();
    afterPaint(() => this.view === full && this.tables.update(full, this.data, this.selected));
    return mapped;
  }

  /** Sets the canvas's model; draws now, or with `now` false in the next animation frame. */
  paint(newTree = false, reveal = -1, now = true): void {
    if (!this.view) return;
    this.palette ??= new FramePalette(this.data.frames, this.data.categories, this.theme, this.graphs[this.index].packageSlots(!!this.options.showLaunchers));
    const colors = canvasColors(document.body, this.theme);
    this.canvas.setModel({
      tree: this.view.tree, frames: this.data.frames, palette: this.palette, rootLabel: `All: ${this.data.title}`, colors,
      matches: this.search?.matches ?? null, selected: this.selected, highlightFrame: this.highlightFrame,
    }, newTree ? undefined : this.canvas.view);
    if (reveal >= 0) this.canvas.revealRow(reveal);
    if (!now) return this.canvas.schedule();
    this.canvas.render();
    if (document.body.dataset.ready !== 'true') document.body.dataset.ready = 'true';
  }

  select(node: number, frame: number): void {
    this.selected = node;
    this.highlightFrame = frame;
    this.tables.select(node, frame);
    this.updateSummary();
    this.paint();
  }

  /**
   * A click zooms to the node and selects it: the zoomed view is drawn in the next frame, and the
   * table and summary follow after that frame (rebuilding the table's rows of a big profile
   * before the draw made the click 4x slower than speedscope's zoom, issue 17).
   */
  clickNode(node: number): void {
    node = this.completeLayout(node);
    if (node < 0) return;
    this.selected = node;
    this.highlightFrame = -1;
    this.zoomTo(node);
    this.paint(false, -1, false);
    // The editor opens the source at once; the standalone report names it in the summary, after the frame.
    if (!this.host.standalone) this.openSource(node);
    afterPaint(() => {
      if (this.selected !== node) return;
      this.tables.select(node, -1);
      this.updateSummary();
      if (this.host.standalone) this.openSource(node);
    });
  }

  selectFrame(frame: number): void {
    this.completeLayout(-1);
    const t = this.view!.tree;
    let best = -1;
    for (let i = 1; i < t.n; i++) if (t.frame[i] === frame && (best < 0 || t.total[i] > t.total[best])) best = i;
    if (best < 0) return;
    this.select(best, frame);
    this.canvas.ensureVisible(best);
  }

  zoomTo(node: number): void {
    node = this.completeLayout(node);
    if (node < 0) return;
    this.canvas.zoomToNode(node);
    this.zoomNode = node > 0 ? node : undefined;
    this.saveState();
  }

  openSource(node: number): void {
    if (node <= 0 || !this.view) return;
    const fr = this.data.frames[this.view.tree.frame[node]];
    if (!fr.path) return;
    if (this.host.standalone) {
      this.summary.textContent = `${summaryText(this.info(node), this.totalLabel())}. Source: ${fr.path}:${fr.line} (open it in your editor)`;
      return;
    }
    this.host.post({ type: 'openSource', path: fr.path, line: fr.line, column: fr.column });
  }

  toggleFocus(): void {
    const t = this.view?.tree;
    if (this.options.focusFrame >= 0) this.options = { ...this.options, focusFrame: -1 };
    else if (t && this.selected > 0) this.options = { ...this.options, focusFrame: t.frame[this.selected] };
    else return;
    this.refresh(true);
  }

  reset(): void {
    this.options = { ...this.options, focusFrame: -1 };
    this.highlightFrame = -1;
    this.refresh(true);
    this.canvas.reset();
    this.zoomNode = undefined;
  }

  reveal(path: string, line: number): void {
    const frames = this.data.frames;
    let best = -1;
    frames.forEach((f, i) => { if (f.path === path && f.line <= line && (best < 0 || f.line > frames[best].line)) best = i; });
    if (best >= 0) this.selectFrame(best);
  }

  /** The words for one node of the current view, shares of the view's one denominator. */
  info(node: number): FrameInfo {
    const v = this.view!;
    return frameInfo(v.tree, this.data, node, v.options.layout, v.whole);
  }

  /** The denominator of the shares, named: "3.3 ±0.1 ms sampled time (npm folded)". */
  totalLabel(): string {
    if (!this.view) return '';
    const t = this.view.tree;
    const whole = this.view.whole;
    // The root's ± is the whole's when nothing is filtered out of the tree.
    const err = Math.abs(t.total[0] - whole) <= 1e-9 * whole ? errorOf(whole, totalSamplesOf(t)?.[0] ?? null) : null;
    const folded = this.graphs[this.index].hasLaunchers && !this.options.showLaunchers ? ` (${this.graphs[this.index].launchers().map((l) => l.name).join(', ')} folded)` : '';
    return `${formatWithError(whole, err, this.data.unit)} ${shareName(this.data)}${folded}`;
  }

  private updateChrome(): void {
    const g = this.graphs[this.index];
    const focusName = this.options.focusFrame >= 0 ? frameInfo(this.view!.tree, this.data, this.view!.tree.n > 1 ? 1 : 0).name : null;
    const launchers = g.launchers();
    this.toolbar.setControls({ search: this.query, layout: this.options.layout, inverted: this.options.inverted, myCodeOnly: this.options.myCodeOnly, hasTimeline: g.hasTimeline, hasWorkspace: g.hasWorkspaceCode, focusName, launchers: launchers.length ? [...new Set(launchers.map((l) => l.name))].join(', ') : null, showLaunchers: !!this.options.showLaunchers });
    const s = this.search;
    this.toolbar.setSearchResult(s ? `${s.nodes.toLocaleString('en-US')} matches, ${formatPercent(s.value, this.view!.whole)} of ${shareName(this.data)} (${formatWithError(s.value, errorOf(s.value, s.samples), this.data.unit)})` : '');
    const show = !!this.options.showLaunchers;
    const folded = show ? [] : launchers.map((l) => `${l.label} is a launcher (${l.name}) that starts the program: folded, ${formatValue(l.total, this.data.unit)}${l.idle > 0 ? ` (${formatValue(l.idle, this.data.unit)} of it idle)` : ''} not shown and not in the shares. "Show ${l.name}" shows it.`);
    this.toolbar.setNotes([...folded, ...g.notes(show)]);
    this.toolbar.setLegend(this.data, (max) => g.legend(max, show), g.packageSlots(show), this.theme, show);
    this.updateSummary();
  }

  private updateSummary(): void {
    if (!this.view) return;
    this.summary.textContent = this.selected >= 0
      ? summaryText(this.info(this.selected), this.totalLabel())
      : `${this.data.title}: ${this.totalLabel()} in total. Nothing selected.`;
  }

  private fail(message: string): void {
    this.message.textContent = message;
    this.message.hidden = false;
    this.summary.textContent = message;
    document.body.dataset.error = 'true';
    document.body.dataset.ready = 'true';
    this.host.post({ type: 'error', message });
  }

  saveState(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => this.host.saveState(this.state()), 150);
  }

  state(): FlameViewState {
    return {
      graph: this.index,
      zoomNode: this.zoomNode,
      focusFrame: this.options.focusFrame >= 0 ? this.options.focusFrame : undefined,
      search: this.query || undefined,
      layout: this.options.layout,
      inverted: this.options.inverted,
      myCodeOnly: this.options.myCodeOnly,
      showLaunchers: this.options.showLaunchers || undefined,
      table: this.tables.currentMode,
    };
  }
}
