// Top-down call tree and bottom-up by-function tables, sortable and filterable, linked to the
// graph through the callbacks. Only expanded rows are built, at most MAX_ROWS at a time.
import type { FlameGraphData } from '../../src/protocol/flame';
import type { FunctionRow } from './analysis';
import { clear, h } from './dom';
import { displayName, formatLocation, formatPercent, formatWithError } from './format';
import type { PreparedView } from './pipeline';
import { errorOf, nodeSpread, spreadNote } from './spread';

const MAX_ROWS = 400;
type SortKey = 'self' | 'total' | 'name';

export interface TableEvents {
  selectNode(node: number): void;
  selectFrame(frame: number): void;
  colorOf(frame: number): string;
}

export class Tables {
  private mode: 'tree' | 'functions' = 'tree';
  private sort: SortKey = 'total';
  private filter = '';
  private expanded = new Set<number>();
  private view: PreparedView | undefined;
  private data: FlameGraphData | undefined;
  private selected = -1;
  private selectedFrame = -1;
  private body: HTMLTableSectionElement;
  private head: HTMLTableSectionElement;
  private tabs: HTMLButtonElement[];

  constructor(root: HTMLElement, private events: TableEvents) {
    const tree = h('button', { class: 'hp-subtab', role: 'tab', 'aria-selected': 'true', text: 'Call tree' });
    const fns = h('button', { class: 'hp-subtab', role: 'tab', 'aria-selected': 'false', text: 'By function' });
    this.tabs = [tree, fns];
    tree.addEventListener('click', () => this.setMode('tree'));
    fns.addEventListener('click', () => this.setMode('functions'));
    const filter = h('input', { type: 'search', class: 'hp-filter', placeholder: 'Filter table', 'aria-label': 'Filter table' });
    filter.addEventListener('input', () => { this.filter = filter.value.trim().toLowerCase(); this.render(); });
    this.head = h('thead');
    this.body = h('tbody');
    root.append(
      h('div', { class: 'hp-table-bar', role: 'tablist' }, tree, fns, filter),
      h('div', { class: 'hp-table-scroll' }, h('table', { class: 'hp-table' }, this.head, this.body)),
    );
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
    this.selected = node;
    this.selectedFrame = frame >= 0 ? frame : t && node >= 0 ? t.frame[node] : -1;
    if (t && node >= 0) for (let p = t.parent[node]; p >= 0; p = t.parent[p]) this.expanded.add(p);
    if (rerender) this.render();
  }

  private setMode(mode: 'tree' | 'functions'): void {
    this.mode = mode;
    this.tabs.forEach((b, i) => b.setAttribute('aria-selected', String((i === 0) === (mode === 'tree'))));
    this.render();
  }

  private render(): void {
    if (!this.view || !this.data) return;
    this.renderHead();
    clear(this.body);
    if (this.mode === 'tree') this.renderTree();
    else this.renderFunctions();
    this.body.querySelector('.hp-selected')?.scrollIntoView?.({ block: 'nearest' });
  }

  private renderHead(): void {
    clear(this.head);
    // The Self and Total headers say what their ± is (or why there is none).
    const note = spreadNote(this.data!, this.view!.tree, this.view!.options.layout);
    const col = (key: SortKey | null, label: string, cls: string) => {
      const th = h('th', { class: cls, scope: 'col', title: key === 'self' || key === 'total' ? note : undefined });
      if (!key) { th.textContent = label; return th; }
      const b = h('button', { class: 'hp-sort', text: label + (this.sort === key ? (key === 'name' ? ' ▲' : ' ▼') : '') });
      th.setAttribute('aria-sort', this.sort === key ? (key === 'name' ? 'ascending' : 'descending') : 'none');
      b.addEventListener('click', () => { this.sort = key; this.render(); });
      th.append(b);
      return th;
    };
    this.head.append(h('tr', {}, col('name', 'Function', 'hp-name'), col('self', 'Self', 'hp-num'), col('total', 'Total', 'hp-num'), col(null, 'Location', 'hp-loc')));
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
      this.body.append(this.row(i, t.frame[i], t.self[i], t.total[i], sp.selfError, sp.totalError, t.depth[i], hasChildren ? open : undefined, i === 0 ? `All: ${this.data!.title}` : undefined));
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
      this.body.append(this.row(-1, f, r.self, r.total, errorOf(r.self, r.selfSamples), errorOf(r.total, r.totalSamples), 0, undefined, undefined));
    }
  }

  /** `selfError`/`totalError`: sampling errors, null for measured values or unknown counts. */
  private row(node: number, frame: number, self: number, total: number, selfError: number | null, totalError: number | null, depth: number, open: boolean | undefined, rootLabel: string | undefined): HTMLTableRowElement {
    const d = this.data!;
    const whole = this.view!.tree.total[0];
    const fr = d.frames[frame];
    const selected = node >= 0 ? node === this.selected : frame === this.selectedFrame;
    const tr = h('tr', { class: selected ? 'hp-selected' : undefined, 'aria-selected': String(selected) });
    const toggle = h('span', { class: 'hp-caret', text: open === undefined ? '' : open ? '▾' : '▸' });
    const swatch = h('span', { class: 'hp-swatch' });
    swatch.style.background = this.events.colorOf(frame);
    const name = h('td', { class: 'hp-name' }, toggle, swatch, rootLabel ?? displayName(fr));
    name.style.paddingLeft = `${6 + depth * 12}px`;
    tr.append(
      name,
      h('td', { class: 'hp-num', text: fr.notMeasured ? 'not measured' : `${formatWithError(self, selfError, d.unit)}  ${formatPercent(self, whole)}` }),
      h('td', { class: 'hp-num', text: `${fr.notMeasured ? '≥ ' : ''}${formatWithError(total, totalError, d.unit)}  ${formatPercent(total, whole)}` }),
      h('td', { class: 'hp-loc', text: node === 0 ? '' : formatLocation(fr), title: fr.path ?? fr.file }),
    );
    toggle.addEventListener('click', (e) => {
      e.stopPropagation();
      if (node < 0) return;
      if (this.expanded.has(node)) this.expanded.delete(node); else this.expanded.add(node);
      this.render();
    });
    tr.addEventListener('click', () => (node >= 0 ? this.events.selectNode(node) : this.events.selectFrame(frame)));
    return tr;
  }
}
