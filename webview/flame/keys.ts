// Keyboard: arrows walk the tree (up = caller, down = heaviest callee, left/right = siblings),
// Enter zooms and opens the source, Escape resets, "/" jumps to the search box.
import type { App } from './app';
import type { LaidTree } from './tree';

export function nextNode(t: LaidTree, node: number, key: string): number {
  if (node < 0) return 0;
  switch (key) {
    case 'ArrowUp':
      return t.parent[node] >= 0 ? t.parent[node] : node;
    case 'ArrowDown': {
      let best = -1;
      for (let c = node + 1; c < node + t.size[node]; c += t.size[c]) if (best < 0 || t.total[c] > t.total[best]) best = c;
      return best >= 0 ? best : node;
    }
    case 'ArrowRight': {
      const p = t.parent[node];
      const next = node + t.size[node];
      return p >= 0 && next < p + t.size[p] ? next : node;
    }
    case 'ArrowLeft': {
      const p = t.parent[node];
      if (p < 0) return node;
      let prev = -1;
      for (let c = p + 1; c < node; c += t.size[c]) prev = c;
      return prev >= 0 ? prev : node;
    }
    default:
      return node;
  }
}

export function bindKeys(app: App): void {
  const canvas = app.canvas.canvas;
  canvas.addEventListener('keydown', (e) => {
    const t = app.view?.tree;
    if (!t) return;
    if (e.key.startsWith('Arrow')) {
      e.preventDefault();
      const next = nextNode(t, app.selected, e.key);
      if (next !== app.selected) {
        app.select(next, -1);
        app.canvas.ensureVisible(next);
      }
    } else if (e.key === 'Enter' && app.selected >= 0) {
      e.preventDefault();
      app.zoomTo(app.selected);
      app.openSource(app.selected);
    }
  });
  document.addEventListener('keydown', (e) => {
    const inField = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
    if (e.key === '/' && !inField) {
      e.preventDefault();
      app.toolbar.search.focus();
      app.toolbar.search.select();
    } else if (e.key === 'Escape') {
      if (e.target === app.toolbar.search && app.toolbar.search.value) {
        app.toolbar.search.value = '';
        app.query = '';
        app.refresh(false);
      } else {
        app.reset();
      }
      canvas.focus();
    }
  });
}
