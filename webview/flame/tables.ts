// The tables under the graph: top-down call tree, bottom-up by function, and the sandwich of the
// selected function (its callers above, its callees below, each merged across the tree). Sortable
// and filterable, linked to the graph through the callbacks. Only expanded rows are built, at most
// MAX_ROWS at a time. Shares are of the view's one denominator (PreparedView.whole), named in the
// table bar; the key columns (function, self, total) never clip (webview/shared/fit.ts).
import type { FlameGraphData } from '../../src/protocol/flame';
import { autoFit } from '../shared/fit';
import type { FunctionRow } from './analysis';
import { shareName } from './describe';
import { clear, h } from './dom';
import { displayName, formatLocation, formatPercent, formatValue, formatWithError } from './format';
import type { PreparedView } from './pipeline';
import { sandwichOf, type SandwichNode } from './sandwich';
import { errorOf, nodeSpread, spreadNote } from './spread';

const MAX_ROWS = 400;
type SortKey = 'self' | 'total' | 'name';
export type TableMode = 'tree' | 'functions' | 'sandwich';

export interface TableEvents {
  selectNode(node: number): void;
  selectFrame(frame: number): void;
  colorOf(frame: number): string;
  modeChanged?(mode: TableMode): void;
}

interface RowSpec {
  node: number;
  frame: number;
  self: number | null;
  total: number;
  selfError: number | null;
  totalError: number | null;
  depth: number;
  open?: boolean;
  label?: string;
  selected: boolean;
  toggle?: () => void;
  cls?: string;
}

export class Tables {
  private mode: TableMode = 'tree';
  private sort: SortKey = 'total';
  private filter = '';
  private expanded = new Set<number>();
  /** Sandwich rows opened by the user, keyed by their path ("c:3/7" callers, "e:3/9" callees). */
  private sandwichOpen = new Set<string>();
  private view: PreparedView | undefined;
  private data: FlameGraphData | undefined;
  private selected = -1;
  private selectedFrame = -1;
  private body: HTMLTableSectionElement;
  private head: HTMLTableSectionElement;
  private tabs: HTMLButtonElement[];
  private share: HTMLElement;
  private refit: () => void;

  constructor(root: HTMLElement, private events: TableEvents) {
    const labels: [TableMode, string, string][] = [
      ['tree', 'Call tree', 'Top-down: each call path'],
      ['functions', 'By function', 'Bottom-up: each function once'],
      ['sandwich', 'Sandwich', 'The selected function: its callers above, what it calls below, merged across the tree'],
    ];
    this.tabs = labels.map(([mode, text, title]) => {
      const b = h('button', { class: 'hp-subtab', role: 'tab', 'aria-selected': String(mode === 'tree'), text, title, 'data-mode': mode });
      b.addEventListener('click', () => this.setMode(mode));
      return b;
    });
    const filter = h('input', { type: 'search', class: 'hp-filter', placeholder: 'Filter table', 'aria-label': 'Filter table' });
    filter.addEventListener('input', () => { this.filter = filter.value.trim().toLowerCase(); this.render(); });
    this.share = h('span', { class: 'hp-share-of' });
    this.head = h('thead');
    this.body = h('tbody');
    const table = h('table', { class: 'hp-table' }, this.head, this.body);
    root.append(
      h('div', { class: 'hp-table-bar', role: 'tablist' }, ...this.tabs, this.share, filter),
      h('div', { class: 'hp-table-scroll' }, table),
    );
    this.refit = autoFit(table);
  }

  get currentMode(): TableMode {
    return this.mode;
  }

  update(view: PreparedView, data: FlameGraphData, selected: number): void {
    if (this.view?.tree !== view.tree) this.expanded = new Set([0]);
    this.view = view;
    this.data = data;
    this.select(selected, -1, false);
    this.render();
  }

  /** Marks the row of a node (call tree) or frame (by function); expands the path to it. */
  select(node: number, frame: number, rerender = true): void {
    const t = this.view?.tree;
    const before = this.selectedFrame;
    this.selected = node;
    this.selectedFrame = frame >= 0 ? frame : t && node >= 0 ? t.frame[node] : -1;
    if (this.selectedFrame !== before) this.sandwichOpen.clear();
    if (t && node >= 0) for (let p = t.parent[node]; p >= 0; p = t.parent[p]) this.expanded.add(p);
    if (rerender) this.render();
  }

  setMode(mode: TableMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    this.tabs.forEach((b) => b.setAttribute('aria-selected', String(b.dataset.mode === mode)));
    this.events.modeChanged?.(mode);
    this.render();
  }

  private render(): void {
    if (!this.view || !this.data) return;
    this.share.textContent = `% of ${shareName(this.data)}: ${formatValue(this.view.whole, this.data.unit)}`;
    this.share.title = `Every share in this panel (tables, graph, summary, editor lenses) is of the same whole: ${shareName(this.data)} of the program's processes${this.data.processes?.some((p) => p.launcher) && !this.view.options.showLaunchers ? ', folded launchers left out' : ''}.`;
    this.renderHead();
    clear(this.body);
    if (this.mode === 'tree') this.renderTree();
    else if (this.mode === 'functions') this.renderFunctions();
    else this.renderSandwich();
    this.refit();
    this.body.querySelector('.hp-selected')?.scrollIntoView?.({ block: 'nearest' });
  }

  private renderHead(): void {
    clear(this.head);
    // The Self and Total headers say what their ± is (or why there is none) and what % is of.
    const note = `${spreadNote(this.data!, this.view!.tree, this.view!.options.layout)} % of ${shareName(this.data!)}.`;
    const sortable = this.mode !== 'sandwich';
    const col = (key: SortKey, label: string, cls: string) => {
      const th = h('th', { class: cls, scope: 'col', title: key === 'self' || key === 'total' ? note : undefined, 'data-key': '' });
      if (!sortable) { th.textContent = label; return th; }
      const b = h('button', { class: 'hp-sort', text: label + (this.sort === key ? (key === 'name' ? ' ▲' : ' ▼') : '') });
      th.setAttribute('aria-sort', this.sort === key ? (key === 'name' ? 'ascending' : 'descending') : 'none');
      b.addEventListener('click', () => { this.sort = key; this.render(); });
      th.append(b);
      return th;
    };
    this.head.append(h('tr', {}, col('name', 'Function', 'hp-name'), col('self', 'Self', 'hp-num'), col('total', 'Total', 'hp-num'),
      h('th', { class: 'hp-loc', scope: 'col', text: 'Location' })));
  }

  private comparator(name: (x: number) => string, self: (x: number) => number, total: (x: number) => number) {
    if (this.sort === 'name') return (a: number, b: number) => name(a).localeCompare(name(b));
    if (this.sort === 'self') return (a: number, b: number) => self(b) - self(a);
    return (a: number, b: number) => total(b) - total(a);
  }

  private matchesFilter(frame: number): boolean {
    if (!this.filter) return true;
    const f = this.data!.frames[frame];
    return displayName(f).toLowerCase().includes(this.filter) || f.file.toLowerCase().includes(this.filter);
  }

  private renderTree(): void {
    const t = this.view!.tree;
    // With a filter, keep nodes that match or have a matching descendant, and open them all.
    let keep: Uint8Array | undefined;
    if (this.filter) {
      keep = new Uint8Array(t.n);
      for (let i = t.n - 1; i > 0; i--) {
        if (this.matchesFilter(t.frame[i])) keep[i] = 1;
        if (keep[i]) keep[t.parent[i]] = 1;
      }
      keep[0] = 1;
    }
    const nameOf = (i: number) => displayName(this.data!.frames[t.frame[i]]);
    const cmp = this.comparator(nameOf, (i) => t.self[i], (i) => t.total[i]);
    let rows = 0;
    const walk = (i: number): void => {
      if (rows >= MAX_ROWS) return;
      const open = keep ? true : this.expanded.has(i);
      const hasChildren = t.size[i] > 1;
      const sp = nodeSpread(t, i);
      this.body.append(this.row({
        node: i, frame: t.frame[i], self: t.self[i], total: t.total[i], selfError: sp.selfError, totalError: sp.totalError, depth: t.depth[i],
        open: hasChildren ? open : undefined, label: i === 0 ? `All: ${this.data!.title}` : undefined, selected: i === this.selected,
        toggle: () => { if (this.expanded.has(i)) this.expanded.delete(i); else this.expanded.add(i); this.render(); },
      }));
      rows++;
      if (!open || !hasChildren) return;
      const kids: number[] = [];
      for (let c = i + 1; c < i + t.size[i]; c += t.size[c]) if (!keep || keep[c]) kids.push(c);
      kids.sort(cmp);
      for (const c of kids) walk(c);
    };
    walk(0);
  }

  private renderFunctions(): void {
    const rows: FunctionRow[] = this.view!.functions().filter((r) => this.matchesFilter(r.frame));
    const byFrame = new Map(rows.map((r) => [r.frame, r]));
    const cmp = this.comparator((f) => displayName(this.data!.frames[f]), (f) => byFrame.get(f)!.self, (f) => byFrame.get(f)!.total);
    const frames = rows.map((r) => r.frame).sort(cmp).slice(0, MAX_ROWS);
    for (const f of frames) {
      const r = byFrame.get(f)!;
      this.body.append(this.row({ node: -1, frame: f, self: r.self, total: r.total, selfError: errorOf(r.self, r.selfSamples), totalError: errorOf(r.total, r.totalSamples), depth: 0, selected: f === this.selectedFrame }));
    }
  }

  /** Callers (nearest first, indented upwards), the function, then its callees. */
  private renderSandwich(): void {
    const frame = this.selectedFrame;
    const s = frame >= 0 ? sandwichOf(this.view!.tree, frame) : null;
    const heading = (text: string) => h('tr', { class: 'hp-sandwich-head' }, h('td', { colspan: 4, text }));
    if (!s) {
      this.body.append(heading('Select a function (in the graph or a table) to see its callers and callees.'));
      return;
    }
    const name = displayName(this.data!.frames[frame]);
    let rows = 0;
    const walk = (n: SandwichNode, key: string, depth: number, side: 'c' | 'e') => {
      for (const c of n.children) {
        if (rows >= MAX_ROWS) return;
        const k = `${key}/${c.frame}`;
        const open = this.sandwichOpen.has(k);
        rows++;
        this.body.append(this.row({
          node: -1, frame: c.frame, self: null, total: c.value, selfError: null, totalError: errorOf(c.value, c.samples), depth,
          open: c.children.length ? open : undefined, selected: false, cls: side === 'c' ? 'hp-caller' : 'hp-callee',
          toggle: () => { if (this.sandwichOpen.has(k)) this.sandwichOpen.delete(k); else this.sandwichOpen.add(k); this.render(); },
        }));
        if (open) walk(c, k, depth + 1, side);
      }
    };
    this.body.append(heading(s.callers.children.length ? `Callers of ${name} (nearest first; Total: ${name}'s time through them)` : `${name} has no callers in this view`));
    walk(s.callers, 'c', 1, 'c');
    this.body.append(this.row({
      node: -1, frame, self: s.self, total: s.total, selfError: errorOf(s.self, s.selfSamples), totalError: errorOf(s.total, s.totalSamples),
      depth: 0, selected: true, cls: 'hp-sandwich-self',
    }));
    this.body.append(heading(s.callees.children.length ? `Called by ${name} (merged over all its calls)` : `${name} calls nothing sampled`));
    walk(s.callees, 'e', 1, 'e');
  }

  private row(r: RowSpec): HTMLTableRowElement {
    const d = this.data!;
    const whole = this.view!.whole;
    const fr = d.frames[r.frame];
    const tr = h('tr', { class: [r.selected ? 'hp-selected' : '', r.cls ?? ''].join(' ').trim() || undefined, 'aria-selected': String(r.selected) });
    const toggle = h('span', { class: 'hp-caret', text: r.open === undefined ? '' : r.open ? '▾' : '▸' });
    const swatch = h('span', { class: 'hp-swatch' });
    swatch.style.background = this.events.colorOf(r.frame);
    const name = h('td', { class: 'hp-name fit-shrink', 'data-key': '' }, toggle, swatch, h('span', { class: 'fit-text', text: r.label ?? displayName(fr) }));
    name.style.paddingLeft = `${6 + r.depth * 12}px`;
    const self = r.self === null ? '' : fr.notMeasured ? 'not measured' : `${formatWithError(r.self, r.selfError, d.unit)}  ${formatPercent(r.self, whole)}`;
    tr.append(
      name,
      h('td', { class: 'hp-num', 'data-key': '', text: self }),
      h('td', { class: 'hp-num', 'data-key': '', text: `${fr.notMeasured ? '≥ ' : ''}${formatWithError(r.total, r.totalError, d.unit)}  ${formatPercent(r.total, whole)}` }),
      h('td', { class: 'hp-loc fit-shrink', text: r.node === 0 ? '' : formatLocation(fr), title: fr.path ?? fr.file }),
    );
    toggle.addEventListener('click', (e) => {
      e.stopPropagation();
      r.toggle?.();
    });
    tr.addEventListener('click', () => (r.node >= 0 ? this.events.selectNode(r.node) : this.events.selectFrame(r.frame)));
    return tr;
  }
}
