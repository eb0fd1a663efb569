// The first paint of a big graph in headless Chromium: it draws a partial layout at once and
// defers the rest (full layout, table rows, the selection on the whole tree); this checks that
// the deferred work still arrives and agrees with the full tree computed here in Node.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import type { FlameGraphData } from '../../../src/protocol/flame';
import { hottestNode } from '../../../webview/flame/analysis';
import { mergeAndLayout } from '../../../webview/flame/merge';
import { PARTIAL_MIN_NODES } from '../../../webview/flame/pipeline';
import { rawFromData } from '../../../webview/flame/tree';
import { buildOnly } from '../build';
import { launchChromium, ROOT } from './chromium';
import { syntheticGraph } from './synthetic';

/** A merged call tree in pre-order (as the profile model sends it) with more than `nodes` nodes. */
function bigGraph(nodes: number): FlameGraphData {
  const g = syntheticGraph(Math.round(nodes * 1.3), 11, 4000);
  const t = mergeAndLayout(rawFromData(g), 'left-heavy');
  const self = Array.from(t.self);
  return { ...g, nodes: { frame: Array.from(t.frame), parent: Array.from(t.parent), self, total: Array.from(t.total) } };
}

describe('flame view: first paint of a big graph in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;
  let page: Page;
  let graph: FlameGraphData;

  before(async function () {
    buildOnly('webview');
    graph = bigGraph(PARTIAL_MIN_NODES);
    assert.ok(graph.nodes.frame.length >= PARTIAL_MIN_NODES, `${graph.nodes.frame.length} nodes`);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const css = fs.readFileSync(path.join(ROOT, 'media', 'flame.css'), 'utf8');
    await page.setContent(`<!DOCTYPE html><html><head><style>${css}</style></head><body><div id="app"></div></body></html>`);
    await page.addScriptTag({ path: path.join(ROOT, 'dist', 'webview', 'flame.js') });
    assert.deepEqual(errors, []);
  });

  after(async () => { await browser?.close(); });

  it('draws a partial layout at once; the full layout, selection, summary and table follow', async () => {
    // Synchronously after the init message: drawn, partial, nothing in the table yet.
    const first = await page.evaluate((data) => {
      const w = globalThis as any; // eslint-disable-line @typescript-eslint/no-explicit-any
      w.dispatchEvent(new w.MessageEvent('message', { data: { type: 'init', graphs: [data] } }));
      const s = w.hotpathFlame.state();
      return { ready: w.document.body.dataset.ready, complete: s.layoutComplete, nodes: s.nodes, drawn: s.drawnRects, rows: w.document.querySelectorAll('.hp-table tbody tr').length, summary: w.document.querySelector('#summary').textContent };
    }, graph);
    assert.equal(first.ready, 'true');
    assert.equal(first.complete, false, 'a partial layout first');
    assert.ok(first.nodes < graph.nodes.frame.length / 4, `${first.nodes} nodes laid out first`);
    assert.ok(first.drawn > 100, `${first.drawn} rectangles drawn`);
    assert.equal(first.rows, 0, 'the table waits');
    assert.ok(first.summary, 'the summary names a selection at once');

    // Then, without any input: the full tree, the selection made on it, the summary and the table.
    await page.waitForFunction(() => (globalThis as any).hotpathFlame.state().layoutComplete && (globalThis as any).document.querySelectorAll('.hp-table tbody tr').length > 0, null, { timeout: 60_000 }); // eslint-disable-line @typescript-eslint/no-explicit-any
    const full = mergeAndLayout(rawFromData(graph), 'left-heavy');
    const workspace = Uint8Array.from(graph.frames, (f) => (graph.categories[f.category].kind === 'workspace' ? 1 : 0));
    const hot = graph.frames[full.frame[hottestNode(full, workspace)]].name;
    const later: { nodes: number; selected: string; summary: string; selectedRow: string } = await page.evaluate(() => {
      const w = globalThis as any; // eslint-disable-line @typescript-eslint/no-explicit-any
      const s = w.hotpathFlame.state();
      return { nodes: s.nodes, selected: s.selected?.name, summary: w.document.querySelector('#summary').textContent, selectedRow: w.document.querySelector('.hp-table tbody tr.hp-selected')?.textContent ?? '' };
    });
    assert.equal(later.nodes, full.n, 'the whole tree is laid out');
    assert.equal(later.selected, hot, 'the hottest function of the whole tree is selected');
    assert.ok(later.summary.startsWith(`${hot}: `), later.summary);
    assert.ok(later.selectedRow.includes(hot), `the table shows the selection: ${later.selectedRow}`);
  });
});
