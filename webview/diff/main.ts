// The profile diff page (esbuild target "webview" -> dist/webview/diff.js): totals, the noise
// label, and a sortable, filterable table of functions or modules (before, after, Δ ± noise,
// share, verdict). Inside VS Code the data arrives as a 'show' message and a row click asks the
// host to open the source; in a standalone page the data is embedded as JSON.
import { embeddedData } from '../embedded';
import { autoFit } from '../shared/fit';
import { renderFlame, type FlameDrawn } from './flame';
import {
  isDiffPageState, parseToDiff, type DiffChangeView, type DiffPageState, type DiffRowView, type DiffSortKey, type DiffTableView, type DiffTotalView, type DiffView, type FromDiffMessage,
} from '../../src/protocol/diff';

interface VsCodeApi { postMessage(msg: unknown): void; getState(): unknown; setState(state: unknown): void }
declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

/** Read-only hooks for tests (window.hotpathDiff). */
export interface HotpathDiffHooks {
  flame(): FlameDrawn | null;
  state(): { state: DiffPageState; rows: { name: string; file: string; line: number; after: number; verdict: string; deltaSelf: number | null }[]; noise: string } | null;
}
declare global {
  interface Window { hotpathDiff: HotpathDiffHooks }
}

const api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
const post = (msg: FromDiffMessage) => api?.postMessage(msg);

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

const fin = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** A value in the table's unit: ms with a precision that fits, bytes as B / KB / MB. */
function value(x: number | null | undefined, unit: 'ms' | 'bytes', signed = false): string {
  if (!fin(x)) return '?';
  const sign = signed && x > 0 ? '+' : '';
  const a = Math.abs(x);
  if (unit === 'bytes') return a >= 1048576 ? `${sign}${(x / 1048576).toFixed(2)} MB` : a >= 1024 ? `${sign}${(x / 1024).toFixed(1)} KB` : `${sign}${x.toFixed(0)} B`;
  return `${sign}${a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2)} ms`;
}

const change = (c: DiffChangeView, unit: 'ms' | 'bytes') => `${value(c.delta, unit, true)} ±${value(c.margin, unit)}`;
const share = (s: number) => `${(s * 100).toFixed(1)} %`;

// Key columns first (function, Δ self, verdict, before, after): a narrow panel hides the others
// (media/diff.css) and shortens names and paths in the middle (webview/shared/fit.ts).
const COLUMNS: { key: DiffSortKey; label: string; short?: string; title: string; num: boolean }[] = [
  { key: 'name', label: 'Function', title: 'Function name (module rows: file or npm package)', num: false },
  { key: 'deltaSelf', label: 'Δ self ± noise', short: 'Δ self ±', title: 'after − before of the self value, ± the noise band the verdict uses (sorted by |Δ|)', num: true },
  { key: 'verdict', label: 'Verdict', title: 'slower / faster (heap: more / less) when |Δ self| exceeds its noise band, else within noise', num: false },
  { key: 'before', label: 'Before (self)', short: 'Before', title: 'Self value per run before (mean over the side\'s runs)', num: true },
  { key: 'after', label: 'After (self)', short: 'After', title: 'Self value per run after (mean over the side\'s runs)', num: true },
  { key: 'deltaTotal', label: 'Δ total ± noise', title: 'after − before of the total (self + callees), ± its noise band (sorted by |Δ|)', num: true },
  { key: 'share', label: 'Share', title: "Self share of each side's total, before → after (percentage points changed)", num: true },
  { key: 'file', label: 'File:line', title: 'Source location after source maps; click a row to open it', num: false },
];

const VERDICT_ORDER: Record<string, number> = { slower: 0, more: 0, faster: 1, less: 1, unknown: 2, 'within noise': 3, 'not tested': 4 };

function sortValue(r: DiffRowView, key: DiffSortKey): number | string {
  switch (key) {
    case 'name': return r.name.toLowerCase();
    case 'file': return `${r.file}:${String(r.line).padStart(8, '0')}`;
    case 'before': return r.before.self;
    case 'after': return r.after.self;
    case 'deltaSelf': return fin(r.self.delta) ? Math.abs(r.self.delta) : -1;
    case 'deltaTotal': return fin(r.total.delta) ? Math.abs(r.total.delta) : -1;
    case 'share': return r.deltaSelfSharePts;
    case 'verdict': return VERDICT_ORDER[r.self.verdict] ?? 9;
  }
}

class DiffApp {
  private view: DiffView | undefined;
  /** Refits the table to the panel's width (after each render of its rows). */
  private refit: (() => void) | undefined;
  private state: DiffPageState = { kind: 'cpu', table: 'functions', sort: { key: 'deltaSelf', desc: true }, filter: '' };
  private shown: DiffRowView[] = [];
  flameDrawn: FlameDrawn | null = null;
  private readonly body: HTMLElement;

  constructor(root: HTMLElement) {
    root.textContent = '';
    this.body = root.appendChild(el('div', { class: 'dv-body' }));
    this.body.append(el('p', { class: 'dv-muted' }, 'Loading the profile diff…'));
  }

  handle(raw: unknown): void {
    const msg = parseToDiff(raw);
    if (!msg) {
      if ((raw as { type?: unknown })?.type === 'show') this.fail('The profile diff data is malformed; nothing is shown.');
      return;
    }
    if (msg.type === 'error') {
      this.fail(msg.message);
      return;
    }
    this.view = msg.view;
    const saved = api?.getState();
    // The page's own saved view options win, for the same inputs; the host's source always wins.
    const own = isDiffPageState(saved) && JSON.stringify(saved.source) === JSON.stringify(msg.state?.source) ? saved : undefined;
    const start: DiffPageState = { ...(own ?? msg.state ?? this.state), source: msg.state?.source };
    const kinds = msg.view.tables.map((t) => t.kind);
    this.state = { ...start, kind: kinds.includes(start.kind) ? start.kind : kinds[0] };
    this.render();
  }

  fail(message: string): void {
    this.body.textContent = '';
    this.body.append(el('p', { role: 'alert', class: 'dv-error', id: 'dv-error' }, message));
    document.body.dataset.ready = 'true';
  }

  get table(): DiffTableView | undefined {
    return this.view?.tables.find((t) => t.kind === this.state.kind) ?? this.view?.tables[0];
  }

  hooks(): ReturnType<HotpathDiffHooks['state']> {
    if (!this.view) return null;
    return {
      state: this.state,
      rows: this.shown.map((r) => ({ name: r.name, file: r.file, line: r.line, after: r.after.self, verdict: r.self.verdict, deltaSelf: fin(r.self.delta) ? r.self.delta : null })),
      noise: document.getElementById('dv-noise')?.textContent ?? '',
    };
  }

  private setState(patch: Partial<DiffPageState>, full = true): void {
    this.state = { ...this.state, ...patch };
    if (full) this.render();
    else this.renderRows();
  }

  private render(): void {
    const view = this.view!;
    const t = this.table!;
    this.body.textContent = '';
    const head = this.body.appendChild(el('div', { class: 'dv-head' }));
    head.append(el('h1', {}, view.title));
    const runs = (n: number) => `${n} run${n === 1 ? '' : 's'}`;
    head.append(el('span', { class: 'dv-muted', id: 'dv-sides' }, `before: ${view.beforeLabel} (${runs(t.runs.before)}) → after: ${view.afterLabel} (${runs(t.runs.after)})`));
    const noiseTitle = t.method === 'sampling' ? 'Sampling error only (no verdicts)' : t.tests?.functions.name === 'counts' ? 'Run-to-run variation included, corrected for many rows' : 'Welch interval';
    this.body.append(el('p', { class: `dv-noise dv-${t.method}`, id: 'dv-noise' }, `${noiseTitle}: ${t.noiseLabel}.`));
    if (view.story) this.body.append(el('p', { class: 'dv-story', id: 'dv-story', role: 'note' }, view.story));

    const totals = this.body.appendChild(el('dl', { class: 'dv-totals', id: 'dv-totals' }));
    const total = (name: string, x: DiffTotalView | undefined, unit: 'ms' | 'bytes', spread = true) => {
      if (!x) return;
      totals.append(el('dt', {}, name));
      const dd = totals.appendChild(el('dd', {}));
      const sides = spread && fin(x.beforeError) ? `${value(x.before, unit)} ±${value(x.beforeError, unit)} → ${value(x.after, unit)} ±${value(x.afterError, unit)} (1σ)` : `${value(x.before, unit)} → ${value(x.after, unit)}`;
      dd.append(`${sides}; change ${change(x.change, unit)}: `);
      dd.append(el('span', { class: `dv-verdict dv-v-${x.change.verdict.replace(/ /g, '-')}` }, x.change.verdict === 'not tested' ? 'no verdict (1 run per side)' : x.change.verdict));
    };
    total("Sampled time on the threads' stacks (idle excluded; not CPU time)", t.totals.cpu, 'ms');
    total('Sampled heap allocations', t.totals.heap, 'bytes');
    if (t.onCpu) {
      if (t.onCpu.measuredCpu) total('Measured CPU of the profiled threads', t.onCpu.measuredCpu, 'ms', false);
      else totals.append(el('dt', {}, 'Measured CPU of the profiled threads'), el('dd', {}, 'not measured'));
      total('Measured time waiting for a CPU (other load)', t.onCpu.runQueue, 'ms', false);
      if (t.onCpu.waiting.before || t.onCpu.waiting.after) total('Sampled time in blocking calls (waiting, not CPU)', t.onCpu.waiting, 'ms', false);
    }

    const tools = this.body.appendChild(el('div', { class: 'dv-tools' }));
    if (view.tables.length > 1) {
      const kind = el('select', { id: 'dv-kind', 'aria-label': 'Profile kind' });
      for (const k of view.tables) kind.append(el('option', { value: k.kind, ...(k.kind === t.kind ? { selected: '' } : {}) }, k.kind === 'cpu' ? 'CPU time' : 'Heap allocations'));
      kind.addEventListener('change', () => this.setState({ kind: kind.value as DiffPageState['kind'] }));
      tools.append(el('label', { class: 'dv-field' }, 'Kind '), kind);
    }
    if (t.flame) {
      const mode = el('select', { id: 'dv-view', 'aria-label': 'View' });
      for (const [v, label] of [['table', 'Table'], ['flame', 'Flame graph (after, coloured by Δ self)']] as const) {
        mode.append(el('option', { value: v, ...(v === (this.state.view ?? 'table') ? { selected: '' } : {}) }, label));
      }
      mode.addEventListener('change', () => this.setState({ view: mode.value as 'table' | 'flame' }));
      tools.append(mode);
    }
    if (t.flame && this.state.view === 'flame') {
      this.renderFlameView(t);
      return;
    }
    this.flameDrawn = null;
    const which = el('select', { id: 'dv-which', 'aria-label': 'Rows' });
    for (const [v, label] of [['functions', `Functions (${t.functions.length})`], ['modules', `Modules (${t.modules.length})`]] as const) {
      which.append(el('option', { value: v, ...(v === this.state.table ? { selected: '' } : {}) }, label));
    }
    which.addEventListener('change', () => this.setState({ table: which.value as DiffPageState['table'] }));
    tools.append(which);
    if (view.launchers && (view.launchers.leftOut || view.launchers.included)) {
      const box = el('input', { type: 'checkbox', id: 'dv-launchers', ...(view.launchers.included ? { checked: '' } : {}) });
      box.addEventListener('change', () => post({ type: 'launchers', include: (box as HTMLInputElement).checked }));
      const label = el('label', { class: 'dv-field', title: 'npm, npx, yarn, pnpm and corepack processes: their own code is not the program\'s, so they are left out by default' });
      label.append(box, ' Include launchers');
      tools.append(label);
    }
    const filter = el('input', { id: 'dv-filter', type: 'search', placeholder: 'Filter by name, file or verdict', 'aria-label': 'Filter rows', value: this.state.filter });
    filter.addEventListener('input', () => this.setState({ filter: filter.value }, false));
    tools.append(filter);
    tools.append(el('span', { class: 'dv-muted', id: 'dv-count' }));

    const table = this.body.appendChild(el('div', { class: 'dv-scroll' })).appendChild(el('table', { class: 'dv-table', id: 'dv-table' }));
    const tr = table.appendChild(el('thead')).appendChild(el('tr'));
    for (const c of COLUMNS) {
      const label = c.key === 'name' && this.state.table === 'modules' ? 'Module' : c.label;
      const th = tr.appendChild(el('th', { scope: 'col', title: c.title, 'data-key': c.key, class: `${c.num ? 'num ' : ''}dv-col-${c.key}` }));
      const button = th.appendChild(el('button', { type: 'button' }));
      // Narrow panels show the short label (the title keeps the whole meaning).
      if (c.short) button.append(el('span', { class: 'dv-th-long' }, label), el('span', { class: 'dv-th-short' }, c.short));
      else button.append(label);
      button.addEventListener('click', () => {
        const same = this.state.sort.key === c.key;
        this.setState({ sort: { key: c.key, desc: same ? !this.state.sort.desc : c.num || c.key === 'verdict' ? c.key !== 'verdict' : false } }, false);
      });
    }
    table.appendChild(el('tbody', { id: 'dv-rows' }));
    this.refit = autoFit(table, 84);
    if (t.notes.length || t.omitted) {
      const notes = this.body.appendChild(el('ul', { class: 'dv-notes', id: 'dv-notes' }));
      for (const n of t.notes) notes.append(el('li', {}, n));
      if (t.omitted && (t.omitted.functions || t.omitted.modules)) notes.append(el('li', {}, `Smallest changes left out of this view: ${t.omitted.functions} functions, ${t.omitted.modules} modules (hotpath diff --top 0 lists all).`));
    }
    this.renderRows();
  }

  private renderFlameView(t: DiffTableView): void {
    const unit = t.unit;
    this.body.append(el('p', { class: 'dv-muted', id: 'dv-flame-legend' },
      `The after run's call tree${t.runs.after > 1 ? ' (its first run)' : ''}: width = total ${unit === 'ms' ? 'time on the stack' : 'bytes'} in that run; colour = the function's Δ self: ${t.kind === 'cpu' ? 'red slower, green faster' : 'red more, green less'} beyond noise (stronger = larger), grey within noise${t.runs.before < 2 || t.runs.after < 2 ? ' or not tested (1 run per side)' : ''}.${t.flame!.frames.some((f) => f.waiting) ? ' Hatched: waiting in a blocking call (spawnSync, fs *Sync), not CPU time.' : ''}${t.flame!.omitted ? ` ${t.flame!.omitted} nodes narrower than 0.05 % left out.` : ''}`));
    const host = this.body.appendChild(el('div', { class: 'dv-flame', id: 'dv-flame' }));
    this.flameDrawn = renderFlame(host, t.flame!, t.functions, (v) => value(v, unit), (r) => change(r.self, unit), (path, line) => post({ type: 'open', path, line }));
    this.shown = [];
    api?.setState(this.state);
    post({ type: 'state', state: this.state, rendered: this.flameDrawn.drawn });
    document.body.dataset.ready = 'true';
  }

  private renderRows(): void {
    const t = this.table!;
    const unit = t.unit;
    const rows = this.state.table === 'functions' ? t.functions : t.modules;
    const q = this.state.filter.trim().toLowerCase();
    const filtered = q ? rows.filter((r) => `${r.name}\n${r.file}${r.line ? `:${r.line}` : ''}\n${r.self.verdict}\n${r.status}${r.status === 'both' ? '' : `\nnot sampled ${r.status === 'removed' ? 'after' : 'before'}`}${r.blocking ? `\n${r.blocking.kind === 'wait' ? 'waiting' : 'blocking'} ${r.blocking.what}` : ''}`.toLowerCase().includes(q)) : rows;
    const { key, desc } = this.state.sort;
    this.shown = filtered.map((r, i) => ({ r, i })).sort((a, b) => {
      const x = sortValue(a.r, key);
      const y = sortValue(b.r, key);
      const c = x < y ? -1 : x > y ? 1 : 0;
      return (desc ? -c : c) || a.i - b.i;
    }).map((x) => x.r);
    const body = document.getElementById('dv-rows')!;
    body.textContent = '';
    for (const r of this.shown) {
      const tr = body.appendChild(el('tr', { class: `dv-v-${r.self.verdict.replace(/ /g, '-')}${r.path ? ' dv-link' : ''}`, ...(r.path ? { tabindex: '0', title: `Open ${r.file}${r.line ? `:${r.line}` : ''}` } : {}) }));
      const name = el('td', { class: 'dv-name fit-shrink dv-key', title: r.name });
      name.append(el('span', { class: 'fit-text' }, r.name));
      // A profile lists only what it sampled: absent on a side is "not sampled", new or gone code or just too brief.
      if (r.status !== 'both') {
        const side = r.status === 'removed' ? 'after' : 'before';
        const badge = name.appendChild(el('span', { class: `dv-badge dv-${r.status}`, title: `Not sampled ${side}: new or removed code, or too brief to be sampled there` }));
        badge.append(el('span', { class: 'dv-badge-long' }, `not sampled ${side}`), el('span', { class: 'dv-badge-short' }, `∅ ${side}`));
      }
      if (r.blocking) {
        const wait = r.blocking.kind === 'wait';
        name.append(el('span', { class: `dv-badge dv-blocking${wait ? ' dv-waiting' : ''}`, title: wait ? 'A blocking call: its self time is the thread waiting (for a child process or the file system), not CPU time' : 'A synchronous native call: CPU work on this thread that blocks the event loop' }, wait ? `waiting (${r.blocking.what})` : `blocking native work (${r.blocking.what})`));
      }
      const moved = r.before.line !== undefined ? ` (was ${r.before.line})` : '';
      const where = `${r.file}${r.line ? `:${r.line}` : ''}${moved}`;
      const pts = r.deltaSelfSharePts;
      const cell: Record<DiffSortKey, HTMLElement> = {
        name,
        deltaSelf: el('td', { class: 'num dv-delta dv-key' }, change(r.self, unit)),
        verdict: el('td', { class: 'dv-verdict dv-key', ...(r.self.test?.tested ? { title: `after / before ×${r.self.test.ratio.toFixed(2)} (${r.self.test.lo.toFixed(2)}–${r.self.test.hi.toFixed(2)}), q = ${r.self.test.q.toPrecision(2)}` } : {}) }, r.self.verdict === 'not tested' ? 'no verdict' : r.self.verdict),
        before: el('td', { class: 'num dv-key' }, value(r.before.self, unit)),
        after: el('td', { class: 'num dv-key' }, value(r.after.self, unit)),
        deltaTotal: el('td', { class: 'num dv-total' }, change(r.total, unit)),
        share: el('td', { class: 'num dv-share' }, `${share(r.before.selfShare)} → ${share(r.after.selfShare)} (${pts > 0 ? '+' : ''}${pts.toFixed(1)} pts)`),
        file: el('td', { class: 'dv-file fit-shrink', title: where }, where),
      };
      for (const c of COLUMNS) { cell[c.key].classList.add(`dv-col-${c.key}`); tr.append(cell[c.key]); }
      if (r.path) {
        const open = () => post({ type: 'open', path: r.path!, line: r.line });
        tr.addEventListener('click', open);
        tr.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(); } });
      }
    }
    document.querySelectorAll<HTMLElement>('#dv-table th').forEach((th) => th.setAttribute('aria-sort', th.dataset.key === key ? (desc ? 'descending' : 'ascending') : 'none'));
    this.refit?.();
    const count = document.getElementById('dv-count');
    if (count) count.textContent = `${this.shown.length} of ${rows.length} rows`;
    api?.setState(this.state);
    post({ type: 'state', state: this.state, rendered: this.shown.length });
    document.body.dataset.ready = 'true';
  }
}

function start(): void {
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  const app = new DiffApp(root);
  window.hotpathDiff = { state: () => app.hooks(), flame: () => app.flameDrawn };
  window.addEventListener('message', (e: MessageEvent) => {
    try {
      app.handle(e.data);
    } catch (err) {
      app.fail(`The diff view failed: ${err instanceof Error ? err.message : String(err)}`);
      post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  });
  const data = embeddedData();
  if (data) app.handle(data);
  else post({ type: 'ready' });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
