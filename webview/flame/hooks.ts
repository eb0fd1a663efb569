// Read-only hooks for UI tests and the benchmark (window.hotpathFlame). Keep these stable:
// the VS Code UI tests and bench/flame.bench.js depend on them.
import type { App } from './app';
import { frameInfo, shareName, type FrameInfo } from './describe';
import { displayName } from './format';
import { ROW_HEIGHT } from './renderer';

export interface VisibleFrame { name: string; file: string; line: number; x: number; y: number; w: number; h: number }

export interface HotpathFlameHooks {
  state(): {
    graph: number; kind: string; title: string; nodes: number; layout: string; inverted: boolean; myCodeOnly: boolean;
    focus: string | null; search: string; searchMatches: number; searchShare: number;
    zoom: { x0: number; span: number; y0: number }; selected: FrameInfo | null; drawnRects: number; lastDrawMs: number;
    /** False while a big graph shows its first-paint partial layout (nodes then counts only the laid-out ones). */
    layoutComplete: boolean;
    /** Launchers folded or shown; the denominator of every share and its name; the table shown. */
    showLaunchers: boolean; whole: number; shareOf: string; table: string;
  } | null;
  visibleFrames(): VisibleFrame[];
  select(name: string): boolean;
  /** Draws synchronously and returns the draw time in ms (benchmarks). */
  render(): number;
}

declare global {
  interface Window { hotpathFlame: HotpathFlameHooks }
}

export function installTestHooks(app: App): void {
  const hooks: HotpathFlameHooks = {
    state() {
      const v = app.view;
      if (!v) return null;
      const g = app.data;
      return {
        graph: app.index, kind: g.kind, title: g.title, nodes: v.tree.n,
        layout: v.options.layout, inverted: v.options.inverted, myCodeOnly: v.options.myCodeOnly,
        focus: v.options.focusFrame >= 0 ? displayName(g.frames[v.options.focusFrame]) : null,
        search: app.query, searchMatches: app.search?.nodes ?? 0, searchShare: app.search?.share ?? 0,
        zoom: { ...app.canvas.view }, selected: app.selected >= 0 ? app.info(app.selected) : null,
        drawnRects: app.canvas.drawn.count, lastDrawMs: app.canvas.lastDrawMs, layoutComplete: !v.complete,
        showLaunchers: !!v.options.showLaunchers, whole: v.whole, shareOf: shareName(g), table: app.tables.currentMode,
      };
    },
    visibleFrames() {
      const v = app.view;
      if (!v) return [];
      const d = app.canvas.drawn;
      const out: VisibleFrame[] = [];
      for (let k = 0; k < d.count; k++) {
        const info = frameInfo(v.tree, app.data, d.node[k], v.options.layout, v.whole);
        out.push({ name: info.name, file: info.file, line: info.line, x: d.x[k], y: d.y[k], w: d.w[k], h: ROW_HEIGHT - 1 });
      }
      return out;
    },
    select(name) {
      app.completeLayout(-1);
      const v = app.view;
      if (!v) return false;
      const frames = app.data.frames;
      const t = v.tree;
      let best = -1;
      for (let i = 1; i < t.n; i++) {
        const f = frames[t.frame[i]];
        if ((f.name === name || displayName(f) === name) && (best < 0 || t.total[i] > t.total[best])) best = i;
      }
      if (best < 0) return false;
      app.select(best, -1);
      app.canvas.ensureVisible(best);
      app.canvas.render();
      return true;
    },
    render: () => app.canvas.render(),
  };
  Object.defineProperty(window, 'hotpathFlame', { value: Object.freeze(hooks), configurable: false });
}
