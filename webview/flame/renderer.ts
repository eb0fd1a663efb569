// Canvas 2D renderer. Cost follows what is visible, not the profile size: subtrees outside the
// viewport are skipped whole (pre-order ranges), and frames narrower than a pixel are merged
// into one grey run per row with their subtrees skipped.
import type { FlameFrame } from '../../src/protocol/flame';
import type { FramePalette } from './colors';
import { displayName } from './format';
import type { LaidTree } from './tree';
import type { Viewport } from './viewport';
import { hatchRect } from '../shared/hatch';

export const ROW_HEIGHT = 18;
const MIN_WIDTH = 1;
const TEXT_MIN_WIDTH = 28;

export interface DrawOptions {
  width: number;
  height: number;
  dpr: number;
  matches: Uint8Array | null;
  selected: number;
  /** Frame highlighted from the tables: every node of it gets an outline. */
  highlightFrame: number;
  colors: { background: string; merged: string; outline: string; foreground: string; border: string | null; font: string };
}

/** Rectangles of the last draw, in CSS px relative to the canvas. */
export class DrawnRects {
  count = 0;
  node = new Int32Array(4096);
  x = new Float32Array(4096);
  y = new Float32Array(4096);
  w = new Float32Array(4096);

  push(node: number, x: number, y: number, w: number): void {
    if (this.count === this.node.length) this.grow();
    const i = this.count++;
    this.node[i] = node;
    this.x[i] = x;
    this.y[i] = y;
    this.w[i] = w;
  }

  hit(px: number, py: number): number {
    for (let i = this.count - 1; i >= 0; i--) {
      if (py >= this.y[i] && py < this.y[i] + ROW_HEIGHT && px >= this.x[i] && px < this.x[i] + this.w[i]) return this.node[i];
    }
    return -1;
  }

  indexOf(node: number): number {
    for (let i = 0; i < this.count; i++) if (this.node[i] === node) return i;
    return -1;
  }

  private grow(): void {
    const c = this.node.length * 2;
    const n = new Int32Array(c); n.set(this.node); this.node = n;
    const x = new Float32Array(c); x.set(this.x); this.x = x;
    const y = new Float32Array(c); y.set(this.y); this.y = y;
    const w = new Float32Array(c); w.set(this.w); this.w = w;
  }
}

/** Rectangles and labels grouped by colour: one fillStyle parse per colour, not per frame. */
class Batches {
  rects = new Map<string, number[]>();
  labels = new Map<string, (string | number)[]>();

  rect(color: string, x: number, y: number, w: number): void {
    let list = this.rects.get(color);
    if (!list) this.rects.set(color, (list = []));
    list.push(x, y, w);
  }

  label(color: string, text: string, x: number, y: number): void {
    let list = this.labels.get(color);
    if (!list) this.labels.set(color, (list = []));
    list.push(text, x, y);
  }
}

export function drawFlame(
  ctx: CanvasRenderingContext2D, t: LaidTree, frames: FlameFrame[], rootLabel: string,
  palette: FramePalette, view: Viewport, o: DrawOptions, out: DrawnRects,
): void {
  const { width, height } = o;
  ctx.setTransform(o.dpr, 0, 0, o.dpr, 0, 0);
  ctx.fillStyle = o.colors.background;
  ctx.fillRect(0, 0, width, height);
  ctx.font = o.colors.font;
  ctx.textBaseline = 'middle';
  const charWidth = ctx.measureText('abcdefghijklmnopqrstuvwxyz').width / 26 || 7;
  out.count = 0;

  const batches = new Batches();
  const scale = width / view.span;
  const runStart = new Float64Array(t.maxDepth + 1).fill(NaN);
  const runEnd = new Float64Array(t.maxDepth + 1);
  const outlines: number[] = [];
  const hatches: number[] = [];
  const { frame, depth, x, total, size, hidden } = t;
  const n = t.n;
  const merged = o.colors.merged;
  let i = 0;
  while (i < n) {
    const y = depth[i] * ROW_HEIGHT - view.y0;
    if (y >= height) { i += size[i]; continue; }
    const left = (x[i] - view.x0) * scale;
    const w = total[i] * scale;
    if (left + w <= 0 || left >= width || w <= 0) { i += size[i]; continue; }
    if (w < MIN_WIDTH) {
      const d = depth[i];
      if (!(runStart[d] === runStart[d] && runEnd[d] >= left - 0.5)) {
        if (runStart[d] === runStart[d]) flushRun(batches, merged, runStart[d], runEnd[d], d * ROW_HEIGHT - view.y0);
        runStart[d] = left;
      }
      runEnd[d] = left + w;
      i += size[i];
      continue;
    }
    if (y + ROW_HEIGHT > 0) {
      const f = frame[i];
      const l = Math.max(left, 0);
      const r = Math.min(left + w, width);
      const matched = !o.matches || o.matches[f] === 1;
      batches.rect(i === 0 ? merged : matched ? palette.fill(f) : palette.dimmed(f), l, y, r - l);
      const vis = r - l;
      if (vis >= TEXT_MIN_WIDTH) {
        const name = i === 0 ? rootLabel : displayName(frames[f]);
        const fit = Math.floor((vis - 8) / charWidth);
        const label = name.length <= fit ? name : fit > 2 ? name.slice(0, fit - 1) + '…' : '';
        if (label) batches.label(i === 0 ? o.colors.foreground : matched ? palette.text(f) : merged, label, l + 4, y + ROW_HEIGHT / 2);
      }
      out.push(i, l, y, r - l);
      if (i > 0 && palette.hatched(f)) hatches.push(l, y, r - l);
      if (i === o.selected || f === o.highlightFrame) outlines.push(l, y, r - l);
    }
    // Partial layout: children too narrow to lay out yet form one grey run right of the others.
    if (hidden && hidden[i] > 0 && y + ROW_HEIGHT < height) {
      const hl = left + (total[i] - t.self[i] - hidden[i]) * scale;
      const hr = hl + hidden[i] * scale;
      if (hr > 0 && hl < width) flushRun(batches, merged, hl, Math.min(hr, width), y + ROW_HEIGHT);
    }
    i++;
  }
  for (let d = 0; d <= t.maxDepth; d++) {
    if (runStart[d] === runStart[d]) flushRun(batches, merged, runStart[d], runEnd[d], d * ROW_HEIGHT - view.y0);
  }
  for (const [color, list] of batches.rects) {
    ctx.fillStyle = color;
    for (let k = 0; k < list.length; k += 3) ctx.fillRect(list[k], list[k + 1], Math.max(list[k + 2] - 1, 0.5), ROW_HEIGHT - 1);
  }
  drawHatches(ctx, hatches, o.colors.foreground);
  if (o.colors.border) {
    ctx.strokeStyle = o.colors.border;
    for (let k = 0; k < out.count; k++) ctx.strokeRect(out.x[k] + 0.5, out.y[k] + 0.5, Math.max(out.w[k] - 2, 0.5), ROW_HEIGHT - 2);
  }
  for (const [color, list] of batches.labels) {
    ctx.fillStyle = color;
    for (let k = 0; k < list.length; k += 3) ctx.fillText(list[k] as string, list[k + 1] as number, list[k + 2] as number);
  }
  ctx.strokeStyle = o.colors.outline;
  ctx.lineWidth = 2;
  for (let k = 0; k < outlines.length; k += 3) {
    ctx.strokeRect(outlines[k] + 1, outlines[k + 1] + 1, Math.max(outlines[k + 2] - 3, 1), ROW_HEIGHT - 3);
  }
  ctx.lineWidth = 1;
}

/** Diagonal lines over the rectangles of frames the thread waits in: their width is not CPU time. */
function drawHatches(ctx: CanvasRenderingContext2D, rects: number[], color: string): void {
  if (!rects.length) return;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.globalAlpha = 0.35;
  for (let k = 0; k < rects.length; k += 3) {
    hatchRect(ctx, rects[k], rects[k + 1], Math.max(rects[k + 2] - 1, 0.5), ROW_HEIGHT);
  }
  ctx.restore();
}

function flushRun(b: Batches, color: string, start: number, end: number, y: number): void {
  if (y + ROW_HEIGHT <= 0) return;
  b.rect(color, Math.max(0, start), y, Math.max(end - start, 1.5));
}
