// The prove panel page in headless Chromium on real stored benchmarks (real `node` processes):
// the before/after view shows the core's verdict sentence and draws exactly n points per side;
// the history view draws one point per stored benchmark with commit labels; the chart is
// reachable by keyboard; dark theme; malformed data gives a message instead of a chart.
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { benchmarkCommand, listBench, type BenchRecord } from '../../../src/core/bench';
import { compareView, historyView } from '../../../src/extension/prove/proveModel';
import { proveStandaloneHtml } from '../../../src/extension/prove/proveHtml';
import type { ToProveMessage } from '../../../src/protocol/prove';

const ROOT = path.resolve(__dirname, '../../..');
const RESULTS = path.join(ROOT, 'test-results');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const spin = (ms: number) => ({ command: process.execPath, args: ['-e', `const t = Date.now(); while (Date.now() - t < ${ms});`] });

interface HookState { kind: string; metric: string; datasets: { label: string; points: number }[]; sentence: string | null }

describe('prove panel page in Chromium', function () {
  this.timeout(180_000);
  let browser: Browser;
  let tmp: string;
  let slow: BenchRecord;
  let fast: BenchRecord;
  let failing: BenchRecord;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package.`);
    execFileSync(process.execPath, ['esbuild.js', '--only', 'webview', '--quiet'], { cwd: ROOT });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-prove-page-'));
    const store = path.join(tmp, 'store');
    slow = await benchmarkCommand({ ...spin(150), cwd: tmp }, { runs: 7, warmup: 1, storeDir: store });
    fast = await benchmarkCommand({ ...spin(20), cwd: tmp }, { runs: 6, warmup: 1, storeDir: store });
    failing = await benchmarkCommand({ command: 'exit 3', cwd: tmp }, { runs: 5, warmup: 0, storeDir: store });
    fs.mkdirSync(RESULTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });

  after(async () => {
    await browser?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function open(message: unknown, name: string, scheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const file = path.join(RESULTS, `prove-${name}.html`);
    fs.writeFileSync(file, proveStandaloneHtml(message as ToProveMessage, `Hotpath: ${name}`));
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, colorScheme: scheme });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The page runs under a nonce-only CSP: anything it refuses (inline style, eval) is an error here.
    page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) errors.push(m.text()); });
    await page.goto('file://' + file);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    await page.evaluate(() => new Promise((r) => (globalThis as any).requestAnimationFrame(() => r(null)))); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(errors, []);
    pages.set(page, errors);
    return page;
  }
  const pages = new Map<Page, string[]>();
  const state = (page: Page): Promise<HookState | null> => page.evaluate(() => (globalThis as any).hotpathProve.state()); // eslint-disable-line @typescript-eslint/no-explicit-any

  it('before/after: the verdict sentence, and one drawn point per successful run', async () => {
    const view = compareView(slow, fast, { before: 'spin 150', after: 'spin 20' });
    const page = await open({ type: 'show', view }, 'compare');
    const s = (await state(page))!;
    assert.equal(s.kind, 'compare');
    assert.equal(s.sentence, view.wall!.sentence);
    // The page shows the core's sentence whatever the verdict (a busy machine can blur 150 vs 20 ms).
    assert.match(s.sentence!, /^(after is [\d.]+ % (faster|slower) \(95 % CI |no significant difference: change |inconclusive: ).*p = [\d.<\s]+, n = 7\+6\)?$/);
    assert.equal(await page.getAttribute('#pv-verdict', 'class'), `pv-verdict pv-${view.wall!.verdict.replace(/ /g, '-')}`);
    assert.deepEqual(s.datasets.map((d) => d.points), [slow.stats.n, fast.stats.n]);
    assert.deepEqual(s.datasets.map((d) => d.points), [7, 6]);
    const table = await page.locator('#pv-table tbody tr').allTextContents();
    assert.equal(table.length, 2);
    assert.match(table[0], /before: spin 150\s*70/, 'n = 7, 0 failed');
    assert.match((await page.textContent('.pv-facts'))!, /p-value.*Mann-Whitney.*exact/s);
    // Keyboard: the chart takes focus, arrows step through the runs and the live region reads them.
    await page.focus('#pv-canvas');
    await page.keyboard.press('ArrowRight');
    assert.match((await page.textContent('#pv-live'))!, /before: spin 150\. run 1 of 7: [\d.]+ ms/);
    await page.keyboard.press('End');
    assert.match((await page.textContent('#pv-live'))!, /after: spin 20\. run 6 of 6/);
    await page.screenshot({ path: path.join(RESULTS, 'prove-compare-light.png'), fullPage: true });
    // VS Code's high-contrast theme (body class): the page redraws with the theme's borders.
    await page.evaluate(() => (globalThis as any).document.body.classList.add('vscode-high-contrast')); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual((await state(page))!.datasets.map((d) => d.points), [7, 6], 'redrawn after the theme change');
    assert.equal(await page.evaluate(() => (globalThis as any).getComputedStyle((globalThis as any).document.querySelector('#pv-verdict')).borderTopWidth), '1px'); // eslint-disable-line @typescript-eslint/no-explicit-any
    await page.screenshot({ path: path.join(RESULTS, 'prove-compare-hc.png'), fullPage: true });
    await page.evaluate(() => (globalThis as any).document.body.classList.remove('vscode-high-contrast')); // eslint-disable-line @typescript-eslint/no-explicit-any
    // CPU time (Linux): switching the metric redraws the same points with the CPU verdict.
    if (view.cpu) {
      await page.selectOption('#pv-metric', 'cpu');
      const c = (await state(page))!;
      assert.equal(c.metric, 'cpu');
      assert.equal(c.sentence, view.cpu.sentence);
      assert.deepEqual(c.datasets.map((d) => d.points), [7, 6]);
    }
    assert.deepEqual(pages.get(page), [], 'no page error or CSP violation while interacting');
    await page.close();
  });

  it('history: one point per stored benchmark, failed runs visible, dark theme', async () => {
    const records = listBench(path.join(tmp, 'store')).records;
    // Three records of one command line: the same command measured on three "commits".
    const same = records.filter((r) => r.id === fast.id).flatMap((r) => [
      { ...r, id: `${r.id}-1`, createdAt: '2025-01-01T10:00:00.000Z', git: { commit: '1111111aaaa', dirty: false } },
      { ...r, id: `${r.id}-2`, createdAt: '2025-01-02T10:00:00.000Z', git: { commit: '2222222bbbb', dirty: true } },
      r,
    ]);
    const view = historyView([...same, failing]);
    const page = await open({ type: 'show', view, state: { source: { kind: 'history' }, command: fast.command } }, 'history', 'dark');
    const s = (await state(page))!;
    assert.equal(s.kind, 'history');
    assert.deepEqual(s.datasets.map((d) => d.points), [3]);
    const rows = await page.locator('#pv-table tbody tr').allTextContents();
    assert.equal(rows.length, 3);
    assert.match(rows[1], /^2222222\*/, 'dirty commit marked with *');
    assert.match((await page.textContent('#pv-summary'))!, /3 benchmark\(s\).*median [\d.]+ ms \(95 % CI [\d.]+ ms–[\d.]+ ms\), n = 6/);
    const bg = await page.evaluate(() => (globalThis as any).getComputedStyle((globalThis as any).document.body).backgroundColor); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(bg, 'rgb(30, 30, 30)');
    // Hover/keyboard details of a point: n, the CI, IQR and range.
    await page.focus('#pv-canvas');
    await page.keyboard.press('End');
    assert.match((await page.textContent('#pv-live'))!, /n = 6 successful run\(s\) \(of 6; 1 warm-up not counted\)\. median [\d.]+ ms \(95 % CI .*IQR [\d.]+ ms \(Q1 .*range [\d.]+ ms – [\d.]+ ms, MAD/);
    await page.screenshot({ path: path.join(RESULTS, 'prove-history-dark.png'), fullPage: true });
    // The failing command: no point to draw, 5 failed runs listed with their exit code.
    await page.selectOption('#pv-command', failing.command);
    const f = (await state(page))!;
    assert.deepEqual(f.datasets.map((d) => d.points), [0]);
    assert.match((await page.textContent('#pv-failed h2'))!, /^5 failed run\(s\), left out of the statistics$/);
    assert.match((await page.textContent('#pv-failed li'))!, /run 1: exit code 3/);
    assert.deepEqual(pages.get(page), [], 'no page error or CSP violation while interacting');
    await page.close();
  });

  it('refuses malformed data with a message', async () => {
    const view = compareView(slow, fast);
    const bad = JSON.parse(JSON.stringify({ type: 'show', view }));
    bad.view.after.n = 99;
    const page = await open(bad, 'broken');
    assert.match((await page.textContent('.pv-error'))!, /malformed/);
    assert.equal(await state(page), null);
    assert.deepEqual(pages.get(page), [], 'no page error or CSP violation while interacting');
    await page.close();
  });
});
