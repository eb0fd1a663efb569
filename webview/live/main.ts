// The live panel page (esbuild target "webview" -> dist/webview/live.js): while "Profile…" runs,
// heap used, CPU and event-loop delay of each process drawn as the host sends them (about once a
// second); after the run, or when a stored run is reopened, the same series from its folder.
import { parseToLive, type FromLiveMessage, type ToLiveMessage } from '../../src/protocol/live';
import { LiveCharts } from '../shared/liveCharts';

interface VsCodeApi { postMessage(msg: unknown): void; getState(): unknown; setState(state: unknown): void }
declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

/** Read-only hooks for tests (window.hotpathLive). */
export interface HotpathLiveHooks {
  state(): { title: string; running: boolean; totals: ReturnType<LiveCharts['totals']>; table: string[][]; note: string } | null;
}
declare global {
  interface Window { hotpathLive: HotpathLiveHooks }
}

const api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
const post = (msg: FromLiveMessage) => api?.postMessage(msg);
const root = document.getElementById('app') ?? document.body;

let charts: LiveCharts | undefined;
let title = '';
let running = false;
let status: HTMLElement | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function start(msg: Extract<ToLiveMessage, { type: 'start' }>): void {
  charts?.destroy();
  root.textContent = '';
  title = msg.title;
  running = msg.running;
  root.append(el('h1', {}, msg.title), el('p', { class: 'lv-muted' }, msg.subtitle));
  status = root.appendChild(el('p', { class: 'lv-status', role: 'status' }, running ? 'Running: a sample about once a second from each process.' : ''));
  charts = new LiveCharts(root);
  if (msg.state) api?.setState(msg.state);
  document.body.dataset.ready = 'true';
}

function receive(raw: unknown): void {
  const msg = parseToLive(raw);
  if (!msg) { post({ type: 'error', message: 'ignored a malformed message' }); return; }
  if (msg.type === 'start') start(msg);
  else if (msg.type === 'error') { charts?.destroy(); charts = undefined; root.textContent = ''; root.append(el('p', { class: 'lv-error', role: 'alert' }, msg.message)); document.body.dataset.ready = 'true'; }
  else if (!charts) post({ type: 'error', message: `${msg.type} before start` });
  else if (msg.type === 'update') {
    charts.update(msg.update);
    const t = charts.totals();
    post({ type: 'drawn', processes: t.processes, measured: t.measured, points: t.points });
  } else {
    running = false;
    if (status) status.textContent = msg.note;
  }
}

window.hotpathLive = {
  state: () => charts ? { title, running, totals: charts.totals(), table: charts.tableText(), note: status?.textContent ?? '' } : null,
};

window.addEventListener('message', (e) => receive(e.data));
post({ type: 'ready' });
