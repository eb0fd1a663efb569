// The two charts of the prove panel, on chart.js: benchmark history (median with its 95 % CI as
// an error bar, one point per stored benchmark) and before/after (every run as a point of a
// strip plot, over a box of Q1–Q3 with the median and its CI).
import {
  CategoryScale, Chart, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip,
  type ChartConfiguration, type Plugin, type TooltipItem,
} from 'chart.js';
import type { BenchView, MetricView, ProveMetric } from '../../src/protocol/prove';
import { jitter, ms, pointLabel, shortTime, spreadLines } from './format';

Chart.register(CategoryScale, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip);

export interface Palette {
  fg: string;
  muted: string;
  grid: string;
  before: string;
  after: string;
  line: string;
  font: string;
}

/** Colours from the theme's CSS variables (light, dark and high-contrast themes). */
export function palette(el: Element): Palette {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    fg: v('--hp-fg', '#1f2328'),
    muted: v('--hp-muted', '#59636e'),
    grid: v('--hp-grid', 'rgba(128,128,128,0.25)'),
    before: v('--hp-before', '#8250df'),
    after: v('--hp-after', '#0969da'),
    line: v('--hp-line', '#0969da'),
    font: v('--vscode-font-family', '') || 'system-ui, sans-serif',
  };
}

/** Vertical interval [lo, hi] at x with caps. */
function errorBar(ctx: CanvasRenderingContext2D, x: number, yLo: number, yHi: number, cap: number): void {
  ctx.beginPath();
  ctx.moveTo(x, yLo);
  ctx.lineTo(x, yHi);
  ctx.moveTo(x - cap, yLo);
  ctx.lineTo(x + cap, yLo);
  ctx.moveTo(x - cap, yHi);
  ctx.lineTo(x + cap, yHi);
  ctx.stroke();
}

export function historyChart(canvas: HTMLCanvasElement, points: BenchView[], metric: ProveMetric, colors: Palette): Chart {
  const stats = points.map((p) => p[metric]);
  const errorBars: Plugin<'line'> = {
    id: 'hpErrorBars',
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      const y = chart.scales.y;
      const meta = chart.getDatasetMeta(0);
      ctx.save();
      ctx.strokeStyle = colors.line;
      ctx.lineWidth = 1.5;
      stats.forEach((m, i) => {
        const el = meta.data[i];
        if (!m || !el) return;
        errorBar(ctx, el.x, y.getPixelForValue(m.lo), y.getPixelForValue(m.hi), 5);
      });
      ctx.restore();
    },
  };
  const lows = stats.flatMap((m) => (m ? [m.lo, m.min] : []));
  const highs = stats.flatMap((m) => (m ? [m.hi] : []));
  const config: ChartConfiguration<'line'> = {
    type: 'line',
    data: {
      labels: points.map((p) => (p.commit ? [pointLabel(p), shortTime(p.createdAt)] : [shortTime(p.createdAt)])),
      datasets: [{
        label: `median ${metric === 'wall' ? 'wall' : 'CPU'} time (ms)`,
        data: stats.map((m) => (m ? m.median : null)),
        borderColor: colors.line, backgroundColor: colors.line, pointRadius: 4, pointHoverRadius: 6, spanGaps: false,
      }],
    },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      scales: {
        x: { offset: true, ticks: { color: colors.fg, font: { family: colors.font } }, grid: { color: colors.grid } },
        y: {
          title: { display: true, text: `${metric === 'wall' ? 'wall' : 'CPU'} time, ms (median and 95 % CI)`, color: colors.fg },
          ticks: { color: colors.fg }, grid: { color: colors.grid },
          suggestedMin: lows.length ? Math.min(...lows) * 0.95 : undefined,
          suggestedMax: highs.length ? Math.max(...highs) * 1.05 : undefined,
        },
      },
      plugins: {
        tooltip: {
          callbacks: {
            title: (items: TooltipItem<'line'>[]) => {
              const p = points[items[0].dataIndex];
              return `${pointLabel(p)}${p.branch ? ` (${p.branch})` : ''}${p.ref ? ` · ${p.ref}` : ''} · ${shortTime(p.createdAt)}${p.label ? ` · ${p.label}` : ''}`;
            },
            label: (item: TooltipItem<'line'>) => spreadLines(points[item.dataIndex], stats[item.dataIndex]),
          },
        },
      },
    },
    plugins: [errorBars],
  };
  return new Chart(canvas, config);
}

export interface Side {
  name: string;
  bench: BenchView;
  stats: MetricView | null;
}

/** Box (Q1–Q3), whiskers to the furthest runs inside Tukey's fences, median line and its CI. */
function drawBox(ctx: CanvasRenderingContext2D, chart: Chart, center: number, m: MetricView, color: string): void {
  const x = chart.scales.x;
  const y = chart.scales.y;
  const half = Math.abs(x.getPixelForValue(center + 0.3) - x.getPixelForValue(center));
  const cx = x.getPixelForValue(center);
  const lowFence = m.q1 - 1.5 * m.iqr;
  const highFence = m.q3 + 1.5 * m.iqr;
  const inside = m.values.filter((v) => v >= lowFence && v <= highFence);
  const wLo = inside.length ? Math.min(...inside) : m.min;
  const wHi = inside.length ? Math.max(...inside) : m.max;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5;
  ctx.strokeRect(cx - half, y.getPixelForValue(m.q3), half * 2, y.getPixelForValue(m.q1) - y.getPixelForValue(m.q3));
  errorBar(ctx, cx, y.getPixelForValue(m.q1), y.getPixelForValue(wLo), half / 2);
  errorBar(ctx, cx, y.getPixelForValue(m.q3), y.getPixelForValue(wHi), half / 2);
  // The median's CI as a shaded band across the box, the median as a thick line.
  ctx.globalAlpha = 0.25;
  ctx.fillStyle = color;
  ctx.fillRect(cx - half, y.getPixelForValue(m.hi), half * 2, y.getPixelForValue(m.lo) - y.getPixelForValue(m.hi));
  ctx.globalAlpha = 1;
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.moveTo(cx - half, y.getPixelForValue(m.median));
  ctx.lineTo(cx + half, y.getPixelForValue(m.median));
  ctx.stroke();
  ctx.restore();
}

export function compareChart(canvas: HTMLCanvasElement, sides: [Side, Side], metric: ProveMetric, colors: Palette): Chart {
  const color = [colors.before, colors.after];
  const boxes: Plugin<'scatter'> = {
    id: 'hpBoxes',
    beforeDatasetsDraw(chart) {
      sides.forEach((s, i) => { if (s.stats) drawBox(chart.ctx, chart as unknown as Chart, i, s.stats, color[i]); });
    },
  };
  const all = sides.flatMap((s) => s.stats?.values ?? []);
  const config: ChartConfiguration<'scatter'> = {
    type: 'scatter',
    data: {
      datasets: sides.map((s, i) => ({
        label: s.name,
        data: (s.stats?.values ?? []).map((v, k) => ({ x: i + jitter(k) * 0.5, y: v })),
        borderColor: color[i], backgroundColor: color[i], pointRadius: 3.5, pointHoverRadius: 6,
      })),
    },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      scales: {
        x: {
          type: 'linear', min: -0.6, max: 1.6,
          afterBuildTicks: (axis) => { axis.ticks = [{ value: 0 }, { value: 1 }]; },
          ticks: { color: colors.fg, callback: (v) => (v === 0 ? sides[0].name : v === 1 ? sides[1].name : '') },
          grid: { display: false },
        },
        y: {
          title: { display: true, text: `${metric === 'wall' ? 'wall' : 'CPU'} time per run, ms`, color: colors.fg },
          ticks: { color: colors.fg }, grid: { color: colors.grid },
          suggestedMin: all.length ? Math.min(...all) * 0.95 : undefined,
          suggestedMax: all.length ? Math.max(...all) * 1.05 : undefined,
        },
      },
      plugins: {
        tooltip: {
          callbacks: {
            title: (items: TooltipItem<'scatter'>[]) => sides[items[0].datasetIndex].name,
            label: (item: TooltipItem<'scatter'>) => {
              const s = sides[item.datasetIndex];
              return [`run ${item.dataIndex + 1} of ${s.bench.n}: ${ms(item.parsed.y)}`, ...spreadLines(s.bench, s.stats).slice(1, 3)];
            },
          },
        },
      },
    },
    plugins: [boxes],
  };
  return new Chart(canvas, config);
}

/**
 * Keyboard access to a chart: Left/Right (and Home/End) move through the points, the tooltip
 * follows; Escape hides it. Returns a function that reports the active point for screen readers.
 */
export function keyboardNavigation(canvas: HTMLCanvasElement, chart: () => Chart | undefined, announce: (text: string) => void): void {
  let cursor = -1;
  canvas.addEventListener('keydown', (e) => {
    const c = chart();
    if (!c) return;
    const items: { datasetIndex: number; index: number }[] = [];
    c.data.datasets.forEach((d, di) => d.data.forEach((v, i) => { if (v !== null) items.push({ datasetIndex: di, index: i }); }));
    if (!items.length) return;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') cursor = Math.min(items.length - 1, cursor + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') cursor = Math.max(0, cursor - 1);
    else if (e.key === 'Home') cursor = 0;
    else if (e.key === 'End') cursor = items.length - 1;
    else if (e.key === 'Escape') {
      cursor = -1;
      c.setActiveElements([]);
      c.tooltip?.setActiveElements([], { x: 0, y: 0 });
      c.update();
      return;
    } else return;
    e.preventDefault();
    const active = [items[cursor]];
    const el = c.getDatasetMeta(active[0].datasetIndex).data[active[0].index];
    c.setActiveElements(active);
    c.tooltip?.setActiveElements(active, { x: el?.x ?? 0, y: el?.y ?? 0 });
    c.update();
    const tip = c.tooltip;
    if (tip) announce([...(tip.title ?? []), ...(tip.body ?? []).flatMap((b) => b.lines)].join('. '));
  });
}
