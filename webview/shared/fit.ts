// Tables that fit their panel: numbers and verdicts keep their full text; names and paths give way,
// shortened in the middle ("src/…/deep/file.ts:12") with the full text in their tooltip. Used by
// every panel's tables. The UI tests check the cells marked `data-key` never clip.
import { middleEllipsis } from './ellipsis';

export { middleEllipsis };

let canvas: HTMLCanvasElement | undefined;

function measurer(el: Element): (s: string) => number {
  canvas ??= document.createElement('canvas');
  const ctx = canvas.getContext('2d')!;
  const style = getComputedStyle(el);
  ctx.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const cache = new Map<string, number>();
  return (s) => {
    let w = cache.get(s);
    if (w === undefined) { w = ctx.measureText(s).width; cache.set(s, w); }
    return w;
  };
}

/** The text a shrinkable cell shows in full (kept in data-full once it was shortened). */
function fullText(cell: HTMLElement, textEl: HTMLElement): string {
  return cell.dataset.full ?? textEl.textContent ?? '';
}

/** The element holding a shrinkable cell's text: its `.fit-text` child, else the cell. */
function textOf(cell: HTMLElement): HTMLElement {
  return cell.querySelector<HTMLElement>('.fit-text') ?? cell;
}

/**
 * Lays out `table` to the width of its container: columns whose cells are not `.fit-shrink` get
 * their natural width; the shrinkable ones (names, paths) share what is left, and their texts are
 * shortened in the middle to fit. Call after each render and on resize (see `autoFit`).
 */
export function fitTable(table: HTMLTableElement, minShrinkPx = 60): void {
  const container = table.parentElement;
  if (!container || container.clientWidth === 0) return;
  const rows = [...table.rows];
  // Restore full texts and natural layout first.
  for (const cell of table.querySelectorAll<HTMLElement>('.fit-shrink')) {
    const el = textOf(cell);
    if (cell.dataset.full !== undefined) { el.textContent = cell.dataset.full; delete cell.dataset.full; }
  }
  table.style.tableLayout = 'auto';
  table.style.width = '';
  table.querySelector('colgroup.fit-cols')?.remove();
  const available = container.clientWidth;
  if (table.scrollWidth <= available) {
    table.style.width = '100%';
    return;
  }
  // Natural width per column (cells spanning several columns are left out of the measure).
  const columns = Math.max(0, ...rows.map((r) => r.cells.length));
  const natural = new Array<number>(columns).fill(0);
  const shrink = new Array<boolean>(columns).fill(false);
  // Columns a style hides (display: none at this width) get no room.
  const shown = new Array<boolean>(columns).fill(false);
  for (const r of rows) {
    if (r.cells.length !== columns) continue;
    [...r.cells].forEach((c, i) => {
      natural[i] = Math.max(natural[i], c.scrollWidth, c.getBoundingClientRect().width);
      if (c.classList.contains('fit-shrink')) shrink[i] = true;
      if (c.getClientRects().length) shown[i] = true;
    });
  }
  natural.forEach((_, i) => { if (!shown[i]) { natural[i] = 0; shrink[i] = false; } });
  const fixed = natural.reduce((a, w, i) => a + (shrink[i] ? 0 : w), 0);
  const wanted = natural.reduce((a, w, i) => a + (shrink[i] ? w : 0), 0);
  const left = Math.max(available - fixed - 1, minShrinkPx * shrink.filter(Boolean).length);
  const cols = document.createElement('colgroup');
  cols.className = 'fit-cols';
  natural.forEach((w, i) => {
    // A hidden cell (display: none) makes no column: the next cell takes its slot.
    if (!shown[i]) return;
    const col = document.createElement('col');
    col.style.width = `${Math.floor(shrink[i] ? Math.max(minShrinkPx, (left * w) / (wanted || 1)) : Math.ceil(w))}px`;
    cols.append(col);
  });
  table.prepend(cols);
  table.style.tableLayout = 'fixed';
  table.style.width = '100%';
  // Shorten what still overflows, in the middle.
  let measure: ((s: string) => number) | undefined;
  for (const cell of table.querySelectorAll<HTMLElement>('.fit-shrink')) {
    if (cell.scrollWidth <= cell.clientWidth) continue;
    const el = textOf(cell);
    const full = fullText(cell, el);
    measure ??= measurer(el);
    const style = getComputedStyle(cell);
    // Room for the text: the cell's inner width less what stands before the text (caret, swatch).
    const before = el === cell ? parseFloat(style.paddingLeft) : el.getBoundingClientRect().left - cell.getBoundingClientRect().left;
    const room = cell.clientWidth - before - parseFloat(style.paddingRight);
    cell.dataset.full = full;
    if (!cell.title) cell.title = full;
    el.textContent = middleEllipsis(full, Math.max(0, room - 2), measure);
  }
}

/** Refits `table` now and whenever its container's width changes. */
export function autoFit(table: HTMLTableElement, minShrinkPx?: number): () => void {
  let frame = 0;
  let width = -1;
  const run = () => { frame = 0; fitTable(table, minShrinkPx); };
  const observer = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(() => {
    const w = table.parentElement?.clientWidth ?? 0;
    if (w === width) return;
    width = w;
    if (!frame) frame = requestAnimationFrame(run);
  });
  if (table.parentElement) observer?.observe(table.parentElement);
  return () => { cancelAnimationFrame(frame); run(); };
}
