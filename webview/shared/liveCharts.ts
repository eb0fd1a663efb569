// The live charts (chart.js): heap used, CPU and event-loop delay of each process of a run, one
// line per process, appended to as updates arrive (about once a second), with a table of the
// newest figures beside them (what the charts show, readable by keyboard and screen reader).
// Used by the live panel (webview/live) and the leak hunt panel (webview/leaks). A process that
// wrote no sample reads "not measured"; a worker thread's CPU is not measured (process.cpuUsage()
// counts the whole process), so it has no CPU line.
import { Chart, Decimation, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type TooltipItem } from 'chart.js';
import type { LivePoint, LiveProcessView, LiveUpdate } from '../../src/core/runner/liveSample';

Chart.register(LinearScale, LineController, LineElement, PointElement, Tooltip, Legend, Decimation);

type XY = { x: number; y: number };

interface Metric {
  id: 'heap' | 'cpu' | 'delay';
  title: string;
  y(p: LivePoint): number | null;
}

const METRICS: Metric[] = [
  { id: 'heap', title: 'Heap used (MB)', y: (p) => Math.round((p.heapUsed / 1048576) * 100) / 100 },
  { id: 'cpu', title: 'CPU (% of one core)', y: (p) => (p.cpu === null ? null : Math.round(p.cpu * 1000) / 10) },
  { id: 'delay', title: 'Event-loop delay (ms, mean of each interval)', y: (p) => p.delayMeanMs },
];

const COLORS = ['blue', 'orange', 'green', 'purple', 'red', 'yellow'];
const FALLBACK = ['#0969da', '#bc4c00', '#1a7f37', '#8250df', '#cf222e', '#9a6700'];

interface Row { view: LiveProcessView; index: number; points: LivePoint[]; cells: HTMLTableCellElement[] }

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

export const mb = (b: number) => `${(b / 1048576).toFixed(b >= 104857600 ? 0 : 1)} MB`;

export class LiveCharts {
  private readonly charts = new Map<Metric['id'], Chart<'line', XY[]>>();
  private readonly rows = new Map<string, Row>();
  private readonly tbody: HTMLTableSectionElement;
  private readonly css = getComputedStyle(document.body);

  constructor(root: HTMLElement) {
    const grid = root.appendChild(el('div', { class: 'lv-charts' }));
    const fg = this.color('--vscode-foreground', '#1f2328');
    const gridColor = 'rgba(128,128,128,0.25)';
    for (const m of METRICS) {
      const box = grid.appendChild(el('div', { class: 'lv-chart' }));
      box.append(el('h3', {}, m.title));
      const canvas = box.appendChild(el('div', { class: 'lv-canvas' })).appendChild(el('canvas', { role: 'img', 'aria-label': `${m.title}: no sample yet`, 'data-metric': m.id }));
      this.charts.set(m.id, new Chart<'line', XY[]>(canvas, {
        type: 'line',
        data: { datasets: [] },
        options: {
          animation: false, responsive: true, maintainAspectRatio: false, parsing: false, normalized: true,
          interaction: { mode: 'nearest', intersect: false },
          scales: {
            x: { type: 'linear', title: { display: true, text: 'seconds since the run started', color: fg }, ticks: { color: fg }, grid: { color: gridColor } },
            y: { beginAtZero: true, ticks: { color: fg }, grid: { color: gridColor } },
          },
          plugins: {
            legend: { display: true, labels: { color: fg, boxWidth: 12 } },
            decimation: { enabled: true, algorithm: 'lttb', samples: 600 },
            tooltip: { callbacks: { label: (item: TooltipItem<'line'>) => this.tooltip(m, item) } },
          },
        },
      }));
    }
    const table = root.appendChild(el('table', { class: 'lv-table' }));
    const head = table.createTHead().insertRow();
    for (const c of ['Process', 'Heap used', 'CPU', 'Event-loop delay', 'Samples']) head.append(el('th', {}, c));
    this.tbody = table.createTBody();
  }

  update(u: LiveUpdate): void {
    for (const p of u.processes) this.row(p).view = p;
    for (const { key, points } of u.points) {
      const row = this.rows.get(key);
      if (!row || !points.length) continue;
      row.points.push(...points);
      row.view = { ...row.view, measured: true };
      for (const m of METRICS) {
        const ds = this.dataset(m, row);
        for (const p of points) {
          const y = m.y(p);
          if (y !== null) ds.push({ x: p.x, y });
        }
      }
    }
    for (const row of this.rows.values()) this.fillRow(row);
    for (const m of METRICS) {
      const chart = this.charts.get(m.id)!;
      chart.update('none');
      chart.canvas.setAttribute('aria-label', `${m.title}: ${[...this.rows.values()].map((r) => `${r.view.label}, ${this.latest(m, r)}`).join('; ')}`);
    }
  }

  /** What the charts hold now (tests and the host's "drawn" message). */
  totals(): { processes: number; measured: number; points: number; perChart: Record<string, number> } {
    const perChart: Record<string, number> = {};
    for (const [id, c] of this.charts) perChart[id] = c.data.datasets.reduce((s, d) => s + d.data.length, 0);
    const rows = [...this.rows.values()];
    return { processes: rows.length, measured: rows.filter((r) => r.view.measured).length, points: perChart.heap ?? 0, perChart };
  }

  /** Points of one process on the heap chart. */
  pointsOf(key: string): number {
    return this.rows.get(key)?.points.length ?? 0;
  }

  /** The table's text, row by row (tests). */
  tableText(): string[][] {
    return [...this.rows.values()].map((r) => [r.view.label, ...r.cells.map((c) => c.textContent ?? '')]);
  }

  destroy(): void {
    for (const c of this.charts.values()) c.destroy();
  }

  private row(p: LiveProcessView): Row {
    let row = this.rows.get(p.key);
    if (!row) {
      const tr = this.tbody.insertRow();
      tr.append(el('td', {}, `${p.label} (pid ${p.pid})`));
      const cells = [0, 1, 2, 3].map(() => tr.appendChild(el('td', { class: 'lv-num' })));
      row = { view: p, index: this.rows.size, points: [], cells };
      this.rows.set(p.key, row);
    }
    return row;
  }

  private dataset(m: Metric, row: Row): XY[] {
    const chart = this.charts.get(m.id)!;
    const label = `${row.view.label} (pid ${row.view.pid})`;
    let ds = chart.data.datasets.find((d) => d.label === label);
    if (!ds) {
      const color = this.color(`--vscode-charts-${COLORS[row.index % COLORS.length]}`, FALLBACK[row.index % FALLBACK.length]);
      ds = { label, data: [], borderColor: color, backgroundColor: color, pointRadius: 1.5, borderWidth: 1.5 };
      chart.data.datasets.push(ds);
    }
    return ds.data;
  }

  private fillRow(row: Row): void {
    const last = row.points[row.points.length - 1];
    METRICS.forEach((m, i) => { row.cells[i].textContent = this.latest(m, row); });
    row.cells[3].textContent = last ? String(row.points.length) : '0';
    row.cells[0].parentElement!.classList.toggle('lv-unmeasured', !last);
  }

  /** The newest measured figure of one metric for one process, in words. */
  private latest(m: Metric, row: Row): string {
    let last: LivePoint | undefined;
    for (let i = row.points.length - 1; i >= 0 && !last; i--) if (m.y(row.points[i]) !== null) last = row.points[i];
    if (!last) return row.points.length && m.id === 'cpu' ? 'not measured (worker thread)' : 'not measured';
    if (m.id === 'heap') return `${mb(last.heapUsed)} of ${mb(last.heapTotal)}`;
    if (m.id === 'cpu') return `${Math.round(last.cpu! * 100)} %`;
    return `${last.delayMeanMs} ms (max ${last.delayMaxMs} ms)`;
  }

  private tooltip(m: Metric, item: TooltipItem<'line'>): string {
    const row = [...this.rows.values()].find((r) => `${r.view.label} (pid ${r.view.pid})` === item.dataset.label);
    const p = row?.points.find((q) => q.x === (item.raw as XY).x);
    const head = `${item.dataset.label}: `;
    if (!p) return `${head}${item.formattedValue}`;
    if (m.id === 'heap') return `${head}${mb(p.heapUsed)} used of ${mb(p.heapTotal)}`;
    if (m.id === 'cpu') return `${head}CPU ${Math.round((p.cpu ?? 0) * 100)} % of a core, event loop ${Math.round(p.elu * 100)} % busy`;
    return p.delayMeanMs === null ? `${head}delay not measured` : `${head}delay ${p.delayMeanMs} ms mean, ${p.delayMaxMs} ms max`;
  }

  private color(name: string, fallback: string): string {
    return this.css.getPropertyValue(name).trim() || fallback;
  }
}
