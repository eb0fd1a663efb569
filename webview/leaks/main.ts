// The leak hunt page (esbuild target "webview" -> dist/webview/leaks.js): per process and worker
// thread, the verdict in words, the heap measurements charted against iterations (or seconds)
// with the fitted growth and its 95 % interval, the allocation sites that grow (a click opens the
// source), and the object types that grew with their retainer paths as a readable chain.
import { embeddedData } from '../embedded';
import { parseToLeaks, type FromLeaksMessage, type LeaksView } from '../../src/protocol/leaks';
import type { LeaksReport, ProcessLeaks } from '../../src/core/leaks/types';
import { livePoint, type LiveUpdate } from '../../src/core/runner/liveSample';
import { LiveCharts } from '../shared/liveCharts';

interface VsCodeApi { postMessage(msg: unknown): void; getState(): unknown; setState(state: unknown): void }
declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

/** Read-only hooks for tests (window.hotpathLeaks). */
export interface HotpathLeaksHooks {
  state(): { verdict: string; processes: { verdict: string; points: number; suspects: string[]; chains: string[]; drawnPoints: number; livePoints: number }[] } | null;
  /** What the live charts hold (while the hunt runs, or the report's kept series). */
  live(): ReturnType<LiveCharts['totals']> | null;
  liveHistory(): number[];
}
declare global {
  interface Window { hotpathLeaks: HotpathLeaksHooks }
}

const api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
const post = (msg: FromLeaksMessage) => api?.postMessage(msg);
const SVG = 'http://www.w3.org/2000/svg';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function svg(tag: string, attrs: Record<string, string | number>): SVGElement {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function bytes(b: number, signed = false): string {
  if (!Number.isFinite(b)) return '?';
  const sign = signed && b > 0 ? '+' : '';
  const a = Math.abs(b);
  if (a >= 1048576) return `${sign}${(b / 1048576).toFixed(a >= 10485760 ? 1 : 2)} MB`;
  if (a >= 1024) return `${sign}${(b / 1024).toFixed(a >= 10240 ? 0 : 1)} KB`;
  return `${sign}${Math.round(b)} B`;
}

let current: LeaksView | undefined;
let charts: LiveCharts | undefined;
/** Points on the live charts after each update while the hunt ran (tests). */
const liveHistory: number[] = [];

/** The report's live samples (each process's own clock) on one axis: wall-clock times when the lines have them. */
function liveOfReport(r: LeaksReport): LiveUpdate {
  const ats = r.processes.flatMap((p) => p.live.flatMap((s) => (s.at === undefined ? [] : [s.at])));
  const t0 = ats.length ? Math.min(...ats) : undefined;
  return {
    processes: r.processes.map((p) => ({ key: `${p.pid}-${p.threadId}`, pid: p.pid, threadId: p.threadId, label: p.threadId ? `worker thread ${p.threadId}` : p.commandLine.split(/\s+/).slice(0, 3).map((t) => t.split('/').pop()).join(' '), measured: p.live.length > 0 })),
    points: r.processes.map((p) => ({ key: `${p.pid}-${p.threadId}`, points: p.live.map((s) => livePoint(s, s.at !== undefined && t0 !== undefined ? (s.at - t0) / 1000 : s.t / 1000)) })),
  };
}

/** While the hunt runs: the command and the live charts, appended to by 'live' messages. */
function renderRunning(title: string, command: string): void {
  current = undefined;
  liveHistory.length = 0;
  charts?.destroy();
  const root = document.getElementById('app') ?? document.body;
  root.textContent = '';
  root.append(el('h1', {}, `${title}: running`), el('p', { class: 'lk-muted lk-cmd' }, command),
    el('p', { class: 'lk-muted', role: 'status' }, 'Heap used, CPU and event-loop delay of each process, about once a second. The verdict, the growing sites and the retainer paths follow when the hunt ends.'));
  charts = new LiveCharts(root);
  document.body.dataset.ready = 'true';
}
const drawn: { points: number; suspects: string[]; chains: string[] }[] = [];

function openLink(text: string, path: string | null, line: number): HTMLElement {
  if (!path || !api) return el('span', { class: 'lk-loc' }, text);
  const a = el('a', { href: '#', class: 'lk-loc', title: `Open ${path}:${line}` }, text);
  a.addEventListener('click', (e) => { e.preventDefault(); post({ type: 'open', path, line }); });
  return a;
}

/** Heap after GC per point, the least-squares line, and the band between the interval's slopes through the points' centre. */
function chart(p: ProcessLeaks): SVGElement {
  const W = 640;
  const H = 220;
  const m = { l: 64, r: 12, t: 10, b: 34 };
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'lk-chart', role: 'img' });
  const xs = p.points.map((q) => q.x);
  const ys = p.points.map((q) => q.bytes);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs) || x0 + 1;
  const mx = xs.reduce((s, v) => s + v, 0) / xs.length;
  const my = ys.reduce((s, v) => s + v, 0) / ys.length;
  const g = p.growth;
  const ends = g && Number.isFinite(g.lo) && Number.isFinite(g.hi) ? [g.lo, g.hi].flatMap((k) => [my + k * (x0 - mx), my + k * (x1 - mx)]) : [];
  let y0 = Math.min(...ys, ...ends);
  let y1 = Math.max(...ys, ...ends);
  if (y1 - y0 < 1024) { y0 -= 512; y1 += 512; }
  const px = (x: number) => m.l + ((x - x0) / (x1 - x0 || 1)) * (W - m.l - m.r);
  const py = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const unit = p.unit === 'iteration' ? 'iteration' : 's';
  root.setAttribute('aria-label', `Heap after GC per ${unit}: ${p.points.length} measurements from ${bytes(ys[0])} to ${bytes(ys[ys.length - 1])}${g ? `; fitted growth ${bytes(g.slope, true)} per ${unit}, 95 % interval ${bytes(g.lo, true)} to ${bytes(g.hi, true)}` : ''}`);
  root.append(svg('line', { x1: m.l, y1: H - m.b, x2: W - m.r, y2: H - m.b, class: 'lk-axis' }), svg('line', { x1: m.l, y1: m.t, x2: m.l, y2: H - m.b, class: 'lk-axis' }));
  for (let i = 0; i <= 4; i++) {
    const v = y0 + ((y1 - y0) * i) / 4;
    const t = svg('text', { x: m.l - 6, y: py(v) + 4, class: 'lk-tick', 'text-anchor': 'end' });
    t.textContent = bytes(v);
    root.append(t, svg('line', { x1: m.l, y1: py(v), x2: W - m.r, y2: py(v), class: 'lk-grid' }));
    const xv = x0 + ((x1 - x0) * i) / 4;
    const xt = svg('text', { x: px(xv), y: H - m.b + 16, class: 'lk-tick', 'text-anchor': 'middle' });
    xt.textContent = p.unit === 'iteration' ? String(Math.round(xv)) : `${xv.toFixed(1)} s`;
    root.append(xt);
  }
  const label = svg('text', { x: (m.l + W - m.r) / 2, y: H - 4, class: 'lk-tick', 'text-anchor': 'middle' });
  label.textContent = p.unit === 'iteration' ? 'iteration' : 'seconds since start';
  root.append(label);
  if (g && Number.isFinite(g.lo) && Number.isFinite(g.hi)) {
    const band = [[x0, my + g.lo * (x0 - mx)], [x1, my + g.lo * (x1 - mx)], [x1, my + g.hi * (x1 - mx)], [x0, my + g.hi * (x0 - mx)]];
    root.append(svg('polygon', { points: band.map(([x, y]) => `${px(x)},${py(y)}`).join(' '), class: 'lk-band' }));
  }
  if (g && Number.isFinite(g.slope)) {
    root.append(svg('line', { x1: px(x0), y1: py(my + g.slope * (x0 - mx)), x2: px(x1), y2: py(my + g.slope * (x1 - mx)), class: `lk-fit lk-${p.verdict.replace(/ /g, '-')}` }));
  }
  for (const q of p.points) {
    const c = svg('circle', { cx: px(q.x), cy: py(q.bytes), r: 2.5, class: 'lk-point' });
    const title = svg('title', {});
    title.textContent = `${p.unit === 'iteration' ? `iteration ${q.x}` : `${q.x.toFixed(1)} s`}: ${bytes(q.bytes)} (heap ${bytes(q.heapUsed)} + external ${bytes(q.external)})`;
    c.append(title);
    root.append(c);
  }
  return root;
}

function chainText(steps: ProcessLeaks['types'][number]['retainers']): string {
  return steps.map((s) => `${s.edge} ${s.name}${(s.repeat ?? 1) > 1 ? ` ×${s.repeat}` : ''}`).join(' → ');
}

function renderProcess(p: ProcessLeaks): HTMLElement {
  const sec = el('section', { class: 'lk-process' });
  const who = p.threadId ? `Worker thread ${p.threadId} of pid ${p.pid}` : `pid ${p.pid}`;
  const h = el('h2', {}, `${who} `);
  h.append(el('span', { class: `lk-verdict lk-${p.verdict.replace(/ /g, '-')}` }, p.verdict));
  sec.append(h, el('p', { class: 'lk-muted lk-cmd' }, p.commandLine), el('p', { class: 'lk-reason' }, p.reason));
  const per = p.unit === 'iteration' ? 'iteration' : 's';
  if (p.growth) {
    sec.append(el('p', { class: 'lk-growth' }, `Growth ${bytes(p.growth.slope, true)}/${per}, 95 % CI ${bytes(p.growth.lo, true)} to ${bytes(p.growth.hi, true)} (${p.growth.n} measurements after a warm-up of ${p.warmup} ${p.unit === 'iteration' ? 'iterations' : 's'}; measuring cost ${p.measureMs} ms inside the process)`));
  }
  if (p.points.length) sec.append(chart(p));
  const d = { points: p.points.length, suspects: [] as string[], chains: [] as string[] };
  if (p.suspects.length) {
    sec.append(el('h3', {}, `Allocation sites whose live size grows (sampled live bytes per ${per})`));
    const table = el('table', { class: 'lk-table' });
    const head = el('tr');
    for (const c of ['Growth', '95 % CI', 'Function', 'Where']) head.append(el('th', {}, c));
    table.append(el('thead'), el('tbody'));
    table.tHead!.append(head);
    for (const s of p.suspects) {
      const tr = el('tr');
      tr.append(el('td', { class: 'lk-num' }, `${bytes(s.slope, true)}`), el('td', { class: 'lk-num' }, `${bytes(s.lo, true)} to ${bytes(s.hi, true)}`),
        el('td', {}, `${s.name}${s.via ? ` (via ${s.via})` : ''}`));
      const where = el('td');
      where.append(openLink(`${s.file}:${s.line}`, s.path, s.line));
      tr.append(where);
      table.tBodies[0].append(tr);
      d.suspects.push(`${s.name} ${s.file}:${s.line}`);
    }
    sec.append(table);
  }
  if (p.types.length) {
    sec.append(el('h3', {}, 'Object types that grew (baseline → final heap snapshot)'));
    const list = el('ul', { class: 'lk-types' });
    for (const t of p.types) {
      const li = el('li');
      li.append(el('div', { class: 'lk-type' }, `${bytes(t.bytesAfter - t.bytesBefore, true)}  ${t.name}: ${t.countBefore} → ${t.countAfter} objects, ${t.newCount} new since the baseline (${bytes(t.newBytes)})`));
      if (t.retainers.length) {
        li.append(el('div', { class: 'lk-muted' }, `Retained by${t.traceShare !== null ? ` (the path of ${Math.round(t.traceShare * 100)} % of its new objects looked at)` : ''}:`));
        const chain = el('ol', { class: 'lk-chain' });
        for (const s of t.retainers) {
          const step = el('li');
          step.append(el('span', { class: 'lk-edge' }, s.edge), document.createTextNode(' '), el('span', { class: 'lk-node' }, `${s.name || `(${s.type})`}${(s.repeat ?? 1) > 1 ? ` ×${s.repeat}` : ''}`));
          if (s.location) { step.append(document.createTextNode(' ')); step.append(openLink(`${s.location.file}:${s.location.line}`, s.location.path, s.location.line)); }
          chain.append(step);
        }
        li.append(chain);
        d.chains.push(chainText(t.retainers));
      }
      list.append(li);
    }
    sec.append(list);
  }
  for (const s of p.snapshots) sec.append(el('p', { class: 'lk-muted' }, `${s.role} snapshot: ${bytes(s.bytes)}, written in ${s.ms} ms`));
  for (const n of p.notes) sec.append(el('p', { class: 'lk-note' }, n));
  drawn.push(d);
  return sec;
}

function render(view: LeaksView): void {
  charts?.destroy();
  current = view;
  drawn.length = 0;
  const root = document.getElementById('app') ?? document.body;
  root.textContent = '';
  const r = view.report;
  const head = el('header', { class: 'lk-head' });
  const h1 = el('h1', {}, 'Leak hunt ');
  h1.append(el('span', { class: `lk-verdict lk-${r.verdict.replace(/ /g, '-')}` }, r.verdict));
  head.append(h1, el('p', { class: 'lk-muted' }, `${r.command} — ${r.processes.length} process(es)/thread(s) measured, ${(r.wallMs / 1000).toFixed(1)} s wall time`));
  root.append(head);
  for (const p of r.processes) root.append(renderProcess(p));
  for (const n of r.notes) root.append(el('p', { class: 'lk-note' }, n));
  // The live series kept with the hunt, drawn as it was while the hunt ran.
  const live = root.appendChild(el('section', { class: 'lk-process lk-live' }));
  live.append(el('h2', {}, 'Live (about once a second, kept with the hunt)'),
    el('p', { class: 'lk-muted' }, 'Heap used is not measured after a GC (it includes garbage); the growth above is. CPU is a share of one core; the delay is the event loop\'s mean over each second.'));
  charts = new LiveCharts(live);
  charts.update(liveOfReport(r));
  document.body.dataset.ready = 'true';
  post({ type: 'drawn', processes: r.processes.length, points: drawn.reduce((s, d) => s + d.points, 0), suspects: drawn.reduce((s, d) => s + d.suspects.length, 0), chains: drawn.reduce((s, d) => s + d.chains.length, 0) });
}

function showError(message: string): void {
  charts?.destroy();
  charts = undefined;
  const root = document.getElementById('app') ?? document.body;
  root.textContent = '';
  root.append(el('p', { class: 'lk-error' }, message));
  document.body.dataset.ready = 'true';
}

window.hotpathLeaks = {
  state: () => current ? {
    verdict: current.report.verdict,
    processes: current.report.processes.map((p, i) => ({ verdict: p.verdict, points: p.points.length, suspects: drawn[i]?.suspects ?? [], chains: drawn[i]?.chains ?? [],
      drawnPoints: document.querySelectorAll('.lk-process')[i]?.querySelectorAll('circle.lk-point').length ?? 0,
      livePoints: charts?.pointsOf(`${p.pid}-${p.threadId}`) ?? 0 })),
  } : null,
  live: () => charts?.totals() ?? null,
  liveHistory: () => liveHistory.slice(),
};

function receive(raw: unknown): void {
  const msg = parseToLeaks(raw);
  if (!msg) { post({ type: 'error', message: 'ignored a malformed message' }); return; }
  if (msg.type === 'error') { showError(msg.message); return; }
  if (msg.type === 'running') { renderRunning(msg.title, msg.command); return; }
  if (msg.type === 'live') {
    if (!charts || current) return;
    charts.update(msg.update);
    const t = charts.totals();
    liveHistory.push(t.points);
    post({ type: 'liveDrawn', processes: t.processes, measured: t.measured, points: t.points });
    return;
  }
  if (msg.state) api?.setState(msg.state);
  render(msg.view);
}

window.addEventListener('message', (e) => receive(e.data));
const embedded = embeddedData();
if (embedded) receive(embedded);
else post({ type: 'ready' });
