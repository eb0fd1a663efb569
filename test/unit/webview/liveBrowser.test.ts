// The live panel page (dist/webview/live.js) in headless Chromium, fed the series of a real run
// (a parent, a worker thread, a child that exits early and one that wrote nothing) in two
// updates as the host sends them: the charts grow with each update, the page reports what it drew,
// the table says "not measured" where nothing was measured, and the CSP refuses nothing.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { webviewHtml } from '../../../src/core/report/html';
import { readLiveRun } from '../../../src/core/runner/live';
import type { LiveUpdate } from '../../../src/core/runner/liveSample';
import { runTarget } from '../../../src/core/runner/run';
import type { FromLiveMessage, ToLiveMessage } from '../../../src/protocol/live';
import { buildPreload, tempDir, TARGETS } from '../runner/helpers';
import { launchChromium, RESULTS, ROOT } from './chromium';

interface PageState { title: string; running: boolean; totals: { processes: number; measured: number; points: number; perChart: Record<string, number> }; table: string[][]; note: string }

describe('live panel page in Chromium', function () {
  this.timeout(180_000);
  let browser: Browser;
  let page: Page;
  let series: LiveUpdate;
  const errors: string[] = [];

  before(async function () {
    buildPreload();
    const { execFileSync } = await import('child_process');
    execFileSync(process.execPath, ['esbuild.js', '--only', 'webview', '--quiet'], { cwd: ROOT });
    const dir = tempDir('liveBrowser');
    const r = await runTarget({ command: process.execPath, args: ['liveTree.js'], cwd: TARGETS, outDir: dir, capture: { cpu: false, heap: false, imports: false, liveMs: 150 } });
    assert.equal(r.exitCode, 0);
    series = readLiveRun(dir);
    browser = await launchChromium();
    const file = path.join(RESULTS, 'live-page.html');
    fs.writeFileSync(file, webviewHtml({
      libUris: ['file://' + path.join(ROOT, 'dist/webview/chartjs.js')],
      scriptUri: 'file://' + path.join(ROOT, 'dist/webview/live.js'), styleUri: 'file://' + path.join(ROOT, 'media/live.css'),
      nonce: 'n0nce', cspSource: 'file:', title: 'Hotpath Live', page: 'live',
    }));
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) errors.push(m.text()); });
    // The webview API: what the page posts is kept for the test. (A string: tsx would wrap a
    // function's inner functions in a helper the page does not have.)
    await page.addInitScript(`globalThis.posted = [];
      globalThis.acquireVsCodeApi = () => ({ postMessage: (m) => globalThis.posted.push(m), getState: () => undefined, setState: () => undefined });`);
    await page.goto('file://' + file);
  });

  after(async () => { await browser?.close(); });

  const posted = (): Promise<FromLiveMessage[]> => page.evaluate(() => (globalThis as any).posted); // eslint-disable-line @typescript-eslint/no-explicit-any
  const send = (msg: ToLiveMessage) => page.evaluate((m) => (globalThis as unknown as { postMessage(m: unknown, o: string): void }).postMessage(m, '*'), msg);
  const state = (): Promise<PageState> => page.evaluate(() => (globalThis as any).hotpathLive.state()); // eslint-disable-line @typescript-eslint/no-explicit-any
  const drawn = async () => (await posted()).filter((m): m is Extract<FromLiveMessage, { type: 'drawn' }> => m.type === 'drawn');

  it('asks for its data, then draws each update as it arrives', async () => {
    await page.waitForFunction('globalThis.posted?.some((m) => m.type === "ready")');
    await send({ type: 'start', title: 'Live: liveTree', subtitle: 'node liveTree.js', running: true });
    const half = { processes: series.processes.map((p) => ({ ...p, measured: false })), points: series.points.map((p) => ({ key: p.key, points: p.points.slice(0, Math.ceil(p.points.length / 2)) })) };
    const rest = { processes: series.processes, points: series.points.map((p) => ({ key: p.key, points: p.points.slice(Math.ceil(p.points.length / 2)) })) };
    await send({ type: 'update', update: half });
    await page.waitForFunction('globalThis.posted.filter((m) => m.type === "drawn").length === 1');
    await send({ type: 'update', update: rest });
    await page.waitForFunction('globalThis.posted.filter((m) => m.type === "drawn").length === 2');
    const [first, second] = await drawn();
    const total = series.points.reduce((s, p) => s + p.points.length, 0);
    const firstHalf = half.points.reduce((s, p) => s + p.points.length, 0);
    assert.deepEqual(first, { type: 'drawn', processes: 4, measured: 3, points: firstHalf });
    assert.deepEqual(second, { type: 'drawn', processes: 4, measured: 3, points: total });
    assert.deepEqual(errors, []);
  });

  it('charts CPU only where it was measured; the table says what was not', async () => {
    const s = await state();
    const worker = series.processes.find((p) => p.threadId > 0)!;
    const workerPoints = series.points.find((p) => p.key === worker.key)!.points.length;
    const undelayed = series.points.flatMap((p) => p.points).filter((q) => q.delayMeanMs === null).length;
    assert.equal(s.totals.perChart.delay, s.totals.perChart.heap - undelayed, 'no delay point where the interval recorded none');
    assert.equal(s.totals.perChart.cpu, s.totals.perChart.heap - workerPoints, 'no CPU points for the worker thread');
    const row = (label: RegExp) => s.table.find((r) => label.test(r[0])) ?? assert.fail(`${label} in ${JSON.stringify(s.table)}`);
    assert.deepEqual(row(/^node -e process\.exit\(0\)/).slice(1), ['not measured', 'not measured', 'not measured', '0']);
    assert.equal(row(/^worker thread/)[2], 'not measured (worker thread)');
    assert.match(row(/^node liveTree\.js$/)[1], /^\d+(\.\d)? MB of \d+(\.\d)? MB$/);
    assert.match(row(/^node liveTree\.js$/)[2], /^\d+ %$/);
    await send({ type: 'ended', note: 'The run ended.' });
    await page.waitForFunction('globalThis.hotpathLive.state().note === "The run ended."');
    await page.screenshot({ path: path.join(RESULTS, 'live-page.png') });
  });

  it('refuses a malformed update and says so', async () => {
    await send({ type: 'update', update: { processes: [{ key: 'x' }], points: [] } } as unknown as ToLiveMessage);
    await page.waitForFunction('globalThis.posted.some((m) => m.type === "error")');
    assert.equal((await state()).totals.points, series.points.reduce((s, p) => s + p.points.length, 0));
  });
});
