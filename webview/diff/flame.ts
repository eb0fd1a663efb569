// The differential flame graph of the diff page: the after side's call tree (root on top, width =
// total in the after run), each frame coloured by its function's Δ self: the slower / more colour
// for a change beyond noise, the faster / less colour, grey within noise or without a row. The
// stronger the colour, the larger |Δ| against the largest change shown. Canvas; hover for details,
// click to open the source.
import type { DiffFlameView, DiffRowView } from '../../src/protocol/diff';
import { hatchRect } from '../shared/hatch';

const ROW = 18;
const MAX_DEPTH = 80;

export interface FlameDrawn {
  /** Nodes drawn (wider than half a pixel). */
  drawn: number;
  /** Drawn nodes per colour class. */
  classes: Record<'up' | 'down' | 'noise', number>;
  /** Verdict per drawn function name (first frame of that name). */
  verdicts: Record<string, string>;
}

interface Box { x: number; w: number; node: number }

function cssColor(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

/** Diagonal lines over a frame the thread waits in (a blocking call): its width is not CPU time. */
function hatch(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, color: string): void {
  ctx.save();
  ctx.strokeStyle = color;
  ctx.globalAlpha = 0.35;
  hatchRect(ctx, x, y, w, ROW);
  ctx.restore();
}

export function renderFlame(
  host: HTMLElement, flame: DiffFlameView, rows: DiffRowView[], fmt: (v: number) => string,
  change: (r: DiffRowView) => string, open: (path: string, line: number) => void,
): FlameDrawn {
  host.textContent = '';
  const { frame, parent, total } = flame.nodes;
  const n = frame.length;
  const x0 = new Float64Array(n);
  const cursor = new Float64Array(n);
  const depth = new Int32Array(n);
  const rootTotal = total[0] || 1;
  let maxDepth = 0;
  // Pre-order: a parent is laid out before its children, which follow each other from its left edge.
  for (let i = 1; i < n; i++) {
    const p = parent[i];
    x0[i] = cursor[p];
    cursor[p] += total[i] / rootTotal;
    cursor[i] = x0[i];
    depth[i] = depth[p] + 1;
    if (depth[i] > maxDepth) maxDepth = depth[i];
  }
  const levels = Math.min(maxDepth, MAX_DEPTH) + 1;
  const width = Math.max(300, host.clientWidth || 1000);
  const canvas = document.createElement('canvas');
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(levels * ROW * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${levels * ROW}px`;
  canvas.id = 'dv-flame-canvas';
  canvas.setAttribute('role', 'img');
  const tip = document.createElement('div');
  tip.className = 'dv-tip';
  tip.id = 'dv-tip';
  tip.hidden = true;
  host.append(canvas, tip);
  const ctx = canvas.getContext('2d')!;
  ctx.scale(ratio, ratio);
  const up = cssColor('--dv-bad', '#cf222e');
  const down = cssColor('--dv-good', '#1a7f37');
  const grey = cssColor('--dv-muted', '#59636e');
  const fg = cssColor('--dv-fg', '#1f2328');
  const maxAbs = Math.max(1e-12, ...rows.filter((r) => r.self.verdict !== 'within noise' && r.self.verdict !== 'unknown' && r.self.verdict !== 'not tested').map((r) => Math.abs(r.self.delta ?? 0)));
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  const boxes: Box[][] = Array.from({ length: levels }, () => []);
  const out: FlameDrawn = { drawn: 0, classes: { up: 0, down: 0, noise: 0 }, verdicts: {} };
  for (let i = 0; i < n; i++) {
    if (depth[i] >= levels) continue;
    const x = x0[i] * width;
    const w = (total[i] / rootTotal) * width;
    if (w < 0.5) continue;
    const f = flame.frames[frame[i]];
    const row = f.row >= 0 ? rows[f.row] : undefined;
    const v = row?.self.verdict ?? 'within noise';
    const cls: keyof FlameDrawn['classes'] = v === 'slower' || v === 'more' ? 'up' : v === 'faster' || v === 'less' ? 'down' : 'noise';
    ctx.globalAlpha = cls === 'noise' ? 0.22 : 0.35 + 0.65 * Math.min(1, Math.abs(row!.self.delta ?? 0) / maxAbs);
    ctx.fillStyle = cls === 'up' ? up : cls === 'down' ? down : grey;
    const y = depth[i] * ROW;
    ctx.fillRect(x, y, Math.max(0.5, w - 1), ROW - 1);
    ctx.globalAlpha = 1;
    if (f.waiting && w > 2) hatch(ctx, x, y, Math.max(0.5, w - 1), fg);
    if (w > 30) {
      ctx.fillStyle = fg;
      const chars = Math.floor((w - 6) / 6.5);
      const text = f.name.length > chars ? `${f.name.slice(0, Math.max(1, chars - 1))}…` : f.name;
      ctx.fillText(text, x + 3, y + ROW / 2, w - 6);
    }
    boxes[depth[i]].push({ x, w, node: i });
    out.drawn++;
    out.classes[cls]++;
    if (i > 0 && !(f.name in out.verdicts)) out.verdicts[f.name] = v;
  }
  canvas.setAttribute('aria-label', `Differential flame graph of the after run: ${out.classes.up} frames slower, ${out.classes.down} faster, ${out.classes.noise} within noise. The table lists the same changes.`);

  const at = (e: MouseEvent): number | undefined => {
    const rect = canvas.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const d = Math.floor((e.clientY - rect.top) / ROW);
    return boxes[d]?.find((b) => x >= b.x && x < b.x + b.w)?.node;
  };
  canvas.addEventListener('mousemove', (e) => {
    const i = at(e);
    if (i === undefined) {
      tip.hidden = true;
      canvas.style.cursor = '';
      return;
    }
    const f = flame.frames[frame[i]];
    const row = f.row >= 0 ? rows[f.row] : undefined;
    tip.textContent = '';
    const line = (text: string, cls = '') => { const p = document.createElement('div'); p.textContent = text; if (cls) p.className = cls; tip.append(p); };
    line(f.name, 'dv-tip-name');
    if (f.file) line(`${f.file}${f.line ? `:${f.line}` : ''}`);
    line(`after, this stack: ${fmt(total[i])} total (${((total[i] / rootTotal) * 100).toFixed(1)} %)`);
    line(row ? `function Δ self ${change(row)}: ${row.self.verdict}` : 'function: no row (below the table\'s cut, or not code)');
    if (f.waiting) line('waiting in a blocking call: time on the stack, not CPU time');
    tip.hidden = false;
    const rect = host.getBoundingClientRect();
    tip.style.left = `${Math.min(e.clientX - rect.left + 12, width - 260)}px`;
    tip.style.top = `${e.clientY - rect.top + 14}px`;
    canvas.style.cursor = f.path ? 'pointer' : '';
  });
  canvas.addEventListener('mouseleave', () => { tip.hidden = true; });
  canvas.addEventListener('click', (e) => {
    const i = at(e);
    const f = i === undefined ? undefined : flame.frames[frame[i]];
    if (f?.path) open(f.path, f.line);
  });
  return out;
}
