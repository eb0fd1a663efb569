// The canvas element and its input: wheel zoom around the cursor, drag to pan, click, hover.
// Drawing happens at most once per animation frame; hover only repaints a small overlay.
import type { FlameFrame } from '../../src/protocol/flame';
import type { FramePalette } from './colors';
import { DrawnRects, ROW_HEIGHT, drawFlame, type DrawOptions } from './renderer';
import type { LaidTree } from './tree';
import { fullView, panBy, zoomAround, zoomToRange, type Viewport } from './viewport';

export interface CanvasModel {
  tree: LaidTree;
  frames: FlameFrame[];
  palette: FramePalette;
  rootLabel: string;
  colors: DrawOptions['colors'];
  matches: Uint8Array | null;
  selected: number;
  highlightFrame: number;
}

export interface CanvasEvents {
  click(node: number, ev: MouseEvent): void;
  tooltip(node: number): HTMLElement | null;
  viewChanged(): void;
}

export class FlameCanvas {
  readonly canvas: HTMLCanvasElement;
  readonly drawn = new DrawnRects();
  view: Viewport = fullView(1);
  model: CanvasModel | undefined;
  lastDrawMs = 0;
  private overlay: HTMLCanvasElement;
  private tip: HTMLElement;
  private width = 0;
  private height = 0;
  private dpr = 0;
  private frameRequest = 0;
  private hovered = -1;
  private drag: { x: number; y: number; moved: boolean } | undefined;

  constructor(private wrap: HTMLElement, private events: CanvasEvents) {
    this.canvas = wrap.querySelector('canvas.hp-flame') as HTMLCanvasElement;
    this.overlay = wrap.querySelector('canvas.hp-overlay') as HTMLCanvasElement;
    this.tip = wrap.querySelector('.hp-tooltip') as HTMLElement;
    new ResizeObserver(() => this.resize()).observe(wrap);
    this.resize();
    this.canvas.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.canvas.addEventListener('pointerdown', (e) => this.onDown(e));
    this.canvas.addEventListener('pointermove', (e) => this.onMove(e));
    this.canvas.addEventListener('pointerup', (e) => this.onUp(e));
    this.canvas.addEventListener('pointerleave', () => this.hover(-1, 0, 0));
  }

  /** Width in CSS pixels (0 while hidden). */
  get pixelWidth(): number {
    return this.width;
  }

  get contentHeight(): number {
    return this.model ? (this.model.tree.maxDepth + 1) * ROW_HEIGHT : 0;
  }

  setModel(model: CanvasModel, view?: Viewport): void {
    const changedTree = this.model?.tree !== model.tree;
    this.model = model;
    if (view) this.view = view;
    else if (changedTree) this.view = fullView(model.tree.total[0]);
    this.hovered = -1;
  }

  /** Draws now (first paint, benchmarks); returns the time it took in ms. */
  render(): number {
    if (this.frameRequest) cancelAnimationFrame(this.frameRequest);
    this.frameRequest = 0;
    const m = this.model;
    if (!m || this.width === 0) return 0;
    const t0 = performance.now();
    const ctx = this.canvas.getContext('2d', { alpha: false });
    if (!ctx) return 0;
    drawFlame(ctx, m.tree, m.frames, m.rootLabel, m.palette, this.view, {
      width: this.width, height: this.height, dpr: devicePixelRatio || 1,
      matches: m.matches, selected: m.selected, highlightFrame: m.highlightFrame, colors: m.colors,
    }, this.drawn);
    this.paintOverlay();
    this.lastDrawMs = performance.now() - t0;
    return this.lastDrawMs;
  }

  schedule(): void {
    if (!this.frameRequest) this.frameRequest = requestAnimationFrame(() => { this.frameRequest = 0; this.render(); });
  }

  zoomToNode(node: number): void {
    const t = this.model!.tree;
    const y0 = Math.max(0, Math.min(this.view.y0, t.depth[node] * ROW_HEIGHT));
    this.setView(node === 0 ? { ...fullView(t.total[0]), y0 } : zoomToRange(t.x[node], t.total[node], t.total[0], y0));
  }

  reset(): void {
    this.setView(fullView(this.model ? this.model.tree.total[0] : 1));
  }

  /** Makes a node readable: zooms out to it when narrower than a few pixels, scrolls to its row. */
  ensureVisible(node: number): void {
    const t = this.model!.tree;
    const scale = this.width / this.view.span;
    const left = (t.x[node] - this.view.x0) * scale;
    const w = t.total[node] * scale;
    let v = this.view;
    if (w < 4 || left + w < 0 || left > this.width) {
      const p = t.parent[node] >= 0 ? t.parent[node] : node;
      v = zoomToRange(t.x[p], t.total[p], t.total[0], v.y0);
    }
    const y = t.depth[node] * ROW_HEIGHT;
    if (y < v.y0) v = { ...v, y0: y };
    else if (y + ROW_HEIGHT > v.y0 + this.height) v = { ...v, y0: y + ROW_HEIGHT - this.height };
    if (v !== this.view) this.setView(v);
  }

  /** Scrolls vertically (no zoom) so the node's row is on screen; used for the initial selection. */
  revealRow(node: number): void {
    const y = this.model!.tree.depth[node] * ROW_HEIGHT;
    if (y >= this.view.y0 && y + ROW_HEIGHT <= this.view.y0 + this.height) return;
    this.view = { ...this.view, y0: Math.max(0, y + ROW_HEIGHT * 3 - this.height) };
  }

  private setView(v: Viewport): void {
    this.view = v;
    this.events.viewChanged();
    this.schedule();
  }

  /**
   * Sizes the canvases to the wrapper; true when the size changed. Setting a canvas's size
   * clears it, so an unchanged size is left alone: the observer's first call, in the frame after
   * the first paint, redrew a 1,000,000-node graph a second time (issue 17).
   */
  measure(): boolean {
    const r = this.wrap.getBoundingClientRect();
    const dpr = devicePixelRatio || 1;
    const width = Math.max(0, Math.floor(r.width));
    const height = Math.max(0, Math.floor(r.height));
    if (width === this.width && height === this.height && dpr === this.dpr) return false;
    this.width = width;
    this.height = height;
    this.dpr = dpr;
    for (const c of [this.canvas, this.overlay]) {
      c.width = Math.round(this.width * dpr);
      c.height = Math.round(this.height * dpr);
      c.style.width = `${this.width}px`;
      c.style.height = `${this.height}px`;
    }
    return true;
  }

  private resize(): void {
    if (this.measure() && this.model) this.render();
  }

  private onWheel(e: WheelEvent): void {
    if (!this.model) return;
    e.preventDefault();
    const total = this.model.tree.total[0];
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      const d = e.shiftKey ? e.deltaY : e.deltaX;
      this.setView(panBy(this.view, -d, 0, this.width, total, this.contentHeight, this.height));
      return;
    }
    const factor = Math.pow(1.0015, e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY);
    this.setView(zoomAround(this.view, e.offsetX / this.width, factor, total));
  }

  private onDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    this.drag = { x: e.clientX, y: e.clientY, moved: false };
    this.canvas.setPointerCapture?.(e.pointerId);
  }

  private onMove(e: PointerEvent): void {
    const d = this.drag;
    if (d && this.model) {
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      if (!d.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      d.moved = true;
      d.x = e.clientX;
      d.y = e.clientY;
      this.canvas.classList.add('hp-dragging');
      this.setView(panBy(this.view, dx, dy, this.width, this.model.tree.total[0], this.contentHeight, this.height));
      return;
    }
    this.hover(this.drawn.hit(e.offsetX, e.offsetY), e.offsetX, e.offsetY);
  }

  private onUp(e: PointerEvent): void {
    const d = this.drag;
    this.drag = undefined;
    this.canvas.classList.remove('hp-dragging');
    if (!d || d.moved) return;
    const node = this.drawn.hit(e.offsetX, e.offsetY);
    if (node >= 0) this.events.click(node, e);
  }

  private hover(node: number, px: number, py: number): void {
    if (node !== this.hovered) {
      this.hovered = node;
      this.paintOverlay();
      const content = node >= 0 ? this.events.tooltip(node) : null;
      this.tip.replaceChildren(...(content ? [content] : []));
      this.tip.hidden = !content;
      this.canvas.style.cursor = node >= 0 ? 'pointer' : '';
    }
    if (node >= 0) {
      const tw = this.tip.offsetWidth;
      const th = this.tip.offsetHeight;
      const x = px + 14 + tw > this.width ? Math.max(0, px - tw - 10) : px + 14;
      const y = py + 16 + th > this.height ? Math.max(0, py - th - 8) : py + 16;
      this.tip.style.transform = `translate(${x}px, ${y}px)`;
    }
  }

  private paintOverlay(): void {
    const ctx = this.overlay.getContext('2d');
    if (!ctx) return;
    const dpr = devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.width, this.height);
    const k = this.hovered >= 0 ? this.drawn.indexOf(this.hovered) : -1;
    if (k < 0 || !this.model) return;
    ctx.strokeStyle = this.model.colors.outline;
    ctx.lineWidth = 1;
    ctx.strokeRect(this.drawn.x[k] + 0.5, this.drawn.y[k] + 0.5, Math.max(this.drawn.w[k] - 2, 1), ROW_HEIGHT - 2);
  }
}
