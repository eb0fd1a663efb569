// The controls above the graph: graph tabs, search, layout, inverted, my-code-only, focus,
// reset, and the colour legend. Emits plain callbacks; the app owns the state.
import type { FlameGraphData } from '../../src/protocol/flame';
import { categoryColor, type ThemeKind } from './colors';
import { DEFAULT_MAX_PACKAGES, moreLabel, type LegendModel } from './legend';
import { clear, h } from './dom';

export interface ToolbarEvents {
  tab(index: number): void;
  search(query: string): void;
  layout(layout: 'left-heavy' | 'time-ordered'): void;
  inverted(on: boolean): void;
  myCodeOnly(on: boolean): void;
  showLaunchers(on: boolean): void;
  focus(): void;
  reset(): void;
  showLive(): void;
}

const TAB_LABELS: Record<FlameGraphData['kind'], string> = { cpu: 'CPU', alloc: 'Allocations', imports: 'Import time' };

export class Toolbar {
  readonly search: HTMLInputElement;
  private tabs: HTMLElement;
  private result: HTMLElement;
  private layout: HTMLSelectElement;
  private inverted: HTMLInputElement;
  private myCode: HTMLInputElement;
  private launchers: HTMLInputElement;
  private launchersLabel: HTMLLabelElement;
  private launchersName: HTMLElement;
  private focusButton: HTMLButtonElement;
  private liveButton: HTMLButtonElement;
  private legend: HTMLElement;
  private notes: HTMLElement;
  private searchTimer = 0;
  private legendData: FlameGraphData | undefined;
  private legendKey = '';
  private legendArgs: (() => void) | undefined;

  constructor(root: HTMLElement, private events: ToolbarEvents) {
    this.tabs = h('div', { class: 'hp-tabs', role: 'tablist', 'aria-label': 'Profiles' });
    this.search = h('input', { type: 'search', id: 'search', class: 'hp-search', placeholder: 'Search functions  ( / )', 'aria-label': 'Search functions', spellcheck: 'false' });
    this.result = h('span', { class: 'hp-search-result', 'aria-live': 'polite' });
    this.layout = h('select', { class: 'hp-select', 'aria-label': 'Layout' },
      h('option', { value: 'left-heavy', text: 'Left-heavy' }), h('option', { value: 'time-ordered', text: 'Time-ordered' }));
    this.inverted = h('input', { type: 'checkbox', id: 'hp-inverted' });
    this.myCode = h('input', { type: 'checkbox', id: 'hp-mycode' });
    this.launchers = h('input', { type: 'checkbox', id: 'hp-launchers' });
    this.launchersName = h('span', { text: 'Show launchers' });
    this.launchersLabel = h('label', { class: 'hp-check', hidden: true, title: 'Package-manager processes (npm, npx, yarn, pnpm) that only start the program are folded: not drawn, not in the legend, notes or shares.' }, this.launchers, this.launchersName);
    this.focusButton = h('button', { class: 'hp-button', id: 'hp-focus', text: 'Focus function' });
    const reset = h('button', { class: 'hp-button', id: 'hp-reset', text: 'Reset', title: 'Reset zoom and focus (Escape)' });
    this.liveButton = h('button', { class: 'hp-button', id: 'hp-live', text: 'Live metrics', hidden: true, title: 'Heap, CPU and event-loop delay of each process of this run, about once a second while it ran (the Hotpath Live panel)' });
    this.legend = h('div', { class: 'hp-legend', 'aria-label': 'Colour legend' });
    this.notes = h('ul', { class: 'hp-notes', hidden: true });
    root.append(this.tabs, h('div', { class: 'hp-toolbar' },
      h('div', { class: 'hp-search-box' }, this.search, this.result),
      this.layout,
      h('label', { class: 'hp-check' }, this.inverted, 'Inverted'),
      h('label', { class: 'hp-check' }, this.myCode, 'My code only'),
      this.launchersLabel,
      this.focusButton, reset, this.liveButton,
    ), this.legend, this.notes);
    // Refit the legend to one line when the panel is resized.
    if (typeof ResizeObserver !== 'undefined') {
      let width = 0;
      new ResizeObserver(() => {
        const w = this.legend.clientWidth;
        if (w !== width) { width = w; this.legendArgs?.(); }
      }).observe(this.legend);
    }

    this.search.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = window.setTimeout(() => events.search(this.search.value), 60);
    });
    this.layout.addEventListener('change', () => events.layout(this.layout.value as 'left-heavy' | 'time-ordered'));
    this.inverted.addEventListener('change', () => events.inverted(this.inverted.checked));
    this.myCode.addEventListener('change', () => events.myCodeOnly(this.myCode.checked));
    this.launchers.addEventListener('change', () => events.showLaunchers(this.launchers.checked));
    this.focusButton.addEventListener('click', () => events.focus());
    reset.addEventListener('click', () => events.reset());
    this.liveButton.addEventListener('click', () => events.showLive());
  }

  /** Offers "Live metrics" when the run kept a live series. */
  setLive(available: boolean): void {
    this.liveButton.hidden = !available;
  }

  setTabs(graphs: FlameGraphData[], active: number): void {
    clear(this.tabs);
    this.tabs.hidden = graphs.length < 2;
    graphs.forEach((g, i) => {
      const b = h('button', { class: 'hp-tab', role: 'tab', 'aria-selected': String(i === active), text: TAB_LABELS[g.kind] ?? g.title, title: g.title });
      b.addEventListener('click', () => this.events.tab(i));
      this.tabs.append(b);
    });
  }

  /** `launchers`: the names of the graph's launcher processes ("npm"), null when it has none. */
  setControls(o: { search: string; layout: string; inverted: boolean; myCodeOnly: boolean; hasTimeline: boolean; hasWorkspace: boolean; focusName: string | null; launchers: string | null; showLaunchers: boolean }): void {
    this.launchersLabel.hidden = o.launchers === null;
    this.launchersName.textContent = `Show ${o.launchers ?? 'launchers'}`;
    this.launchers.checked = o.showLaunchers;
    if (this.search.value !== o.search) this.search.value = o.search;
    this.layout.value = o.layout;
    this.layout.disabled = !o.hasTimeline || o.inverted;
    this.layout.title = o.hasTimeline ? (o.inverted ? 'The inverted view is always merged' : '') : 'This profile has no sample timeline';
    this.inverted.checked = o.inverted;
    this.myCode.checked = o.myCodeOnly;
    this.myCode.disabled = !o.hasWorkspace;
    this.focusButton.textContent = o.focusName ? `Clear focus: ${o.focusName}` : 'Focus function';
    this.focusButton.classList.toggle('hp-active', !!o.focusName);
  }

  setSearchResult(text: string): void {
    this.result.textContent = text;
  }

  /** What the profile's producer wants the user to know (missing source maps, truncation...). */
  setNotes(notes: string[] | undefined): void {
    clear(this.notes);
    for (const n of notes ?? []) this.notes.append(h('li', { text: n }));
    this.notes.hidden = !notes?.length;
  }

  /**
   * The colour legend on one line: `model(max)` gives the entries with at most `max` packages;
   * while the line overflows, fewer packages are listed and more fold into "+N more packages".
   */
  setLegend(g: FlameGraphData, model: (maxPackages: number) => LegendModel, slots: Map<string, number>, theme: ThemeKind, variant: unknown = ''): void {
    const key = `${theme}|${this.legend.clientWidth}|${String(variant)}`;
    if (this.legendData === g && this.legendKey === key) return;
    this.legendData = g;
    this.legendKey = key;
    this.legendArgs = () => this.setLegend(g, model, slots, theme, variant);
    for (let max = DEFAULT_MAX_PACKAGES; ; max--) {
      const m = model(max);
      this.renderLegend(g, m, slots, theme);
      // clientWidth is 0 while the page is hidden: keep the default cap then.
      if (max === 0 || this.legend.clientWidth === 0 || this.legend.scrollWidth <= this.legend.clientWidth) break;
    }
  }

  private renderLegend(g: FlameGraphData, m: LegendModel, slots: Map<string, number>, theme: ThemeKind): void {
    clear(this.legend);
    for (const e of m.entries) {
      const waiting = e.kind === 'waiting';
      const sw = h('span', { class: waiting ? 'hp-swatch hp-swatch-waiting' : 'hp-swatch' });
      sw.style.backgroundColor = categoryColor(g.categories[e.categories[0]], theme, slots);
      const item = h('span', { class: 'hp-legend-item' }, sw, e.label);
      if (waiting) item.title = 'Time the thread spent inside a blocking call (waiting for a child process or the file system): on the stack, but not CPU time. Drawn hatched.';
      this.legend.append(item);
    }
    const more = moreLabel(m);
    if (more) this.legend.append(h('span', { class: 'hp-legend-item hp-legend-more', title: more.title, tabindex: 0, 'aria-label': `${more.text}: ${more.title.split('\n').join(', ')}` }, more.text));
  }
}
