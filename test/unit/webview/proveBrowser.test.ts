// The prove panel page in headless Chromium on real stored benchmarks (real `node` processes):
// the before/after view shows the core's verdict sentence and draws exactly n points per side;
// the history view draws one point per stored benchmark with commit labels; the chart is
// reachable by keyboard; dark theme; malformed data gives a message instead of a chart.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { benchmarkCommand, listBench, profileSides, type BenchRecord } from '../../../src/core/bench';
import { compareView, historyView, profileDiffView } from '../../../src/extension/prove/proveModel';
import { proveStandaloneHtml } from '../../../src/extension/prove/proveHtml';
import type { ToProveMessage } from '../../../src/protocol/prove';
import { launchChromium, openPage, RESULTS, ROOT } from './chromium';
import { buildOnly } from '../build';


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
    browser = await launchChromium();
    buildOnly('webview,preload');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-prove-page-'));
    const store = path.join(tmp, 'store');
    slow = await benchmarkCommand({ ...spin(150), cwd: tmp }, { runs: 7, warmup: 1, storeDir: store });
    fast = await benchmarkCommand({ ...spin(20), cwd: tmp }, { runs: 6, warmup: 1, storeDir: store });
    failing = await benchmarkCommand({ command: 'exit 3', cwd: tmp }, { runs: 5, warmup: 0, storeDir: store });
  });

  after(async () => {
    await browser?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function open(message: unknown, name: string, scheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const file = path.join(RESULTS, `prove-${name}.html`);
    fs.writeFileSync(file, proveStandaloneHtml(message as ToProveMessage, `Hotpath: ${name}`));
    // The page runs under a nonce-only CSP: anything it refuses (inline style, eval) is an error here.
    const { page, errors } = await openPage(browser, file, { width: 1100, height: 900 }, scheme);
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

  it('before/after with profiled runs: "Where the time moved" lists the slowed function, the noise label, and Open Profile Diff posts its message', async function () {
    // Load-sensitive (deadline loops get whatever CPU a loaded machine gives): one retry, named in
    // scripts/test.js's summary; the assertions are unchanged.
    this.retries(1);
    // Real profiled runs of the diff fixture: hotLoop spins 60 ms x factor per turn (1 before, 3 after).
    const target = path.join(ROOT, 'test', 'fixtures', 'targets', 'diffTarget.js');
    const runs = path.join(tmp, 'runs');
    const pr = await profileSides({ command: process.execPath, args: [target, '1'], cwd: tmp }, { command: process.execPath, args: [target, '3'], cwd: tmp }, {
      runs: 2, store: runs, root: ROOT, comparison: { before: slow.id, after: fast.id },
    });
    assert.ok(pr.diff, pr.error);
    // The timed verdict the panel shows beside it ("no significant difference" here): the story
    // sentence appears exactly when the profiled total changed beyond its noise.
    const timed = { verdict: 'no significant difference' as const, changePct: 1.5, n: { before: 7, after: 6 }, metric: 'wall' as const };
    const profile = profileDiffView(pr, timed);
    const hot = profile.rows.find((r) => r.name === 'hotLoop');
    // 3x the time: slower, or within noise when a saturated machine stretches the deadline loops.
    assert.ok(hot && (hot.verdict === 'slower' || hot.verdict === 'within noise') && hot.delta > 0 && hot.ratio, JSON.stringify(profile.rows));
    assert.equal(!!profile.story, profile.total!.verdict === 'slower' || profile.total!.verdict === 'faster', JSON.stringify(profile.total));
    const view = compareView(slow, fast, { before: 'spin 150', after: 'spin 20' }, profile);
    const file = path.join(RESULTS, 'prove-profile.html');
    fs.writeFileSync(file, proveStandaloneHtml({ type: 'show', view } as ToProveMessage, 'Hotpath: profile'));
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) errors.push(m.text()); });
    // A stand-in for VS Code's webview API, to see what the button posts.
    // (A string: tsx would wrap a function's inner functions in a helper the page does not have.)
    await page.addInitScript('window.posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.posted.push(m), getState: () => undefined, setState: () => undefined });');
    await page.goto('file://' + file);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    assert.equal(await page.textContent('#pv-profile h2'), 'Where the time moved');
    const rows = await page.locator('#pv-profile-table tbody tr').allTextContents();
    assert.equal(rows.length, profile.rows.length);
    const hotRow = rows.find((r) => r.startsWith('hotLoop'));
    assert.ok(hotRow, rows.join('\n'));
    // Key columns first: function, Δ ± noise (with the ratio's interval), verdict, before, after, where.
    assert.match(hotRow, new RegExp(`^hotLoop\\+[\\d.]+ ms ± [\\d.]+ ms \\(×[\\d.]+, [\\d.]+–[\\d.]+\\)${hot.verdict}.*${path.relative(ROOT, target).replace(/[.\\/]/g, '\\$&')}:\\d+$`));
    if (profile.story) assert.equal(await page.textContent('#pv-profile-story'), profile.story);
    else assert.equal(await page.locator('#pv-profile-story').count(), 0);
    assert.match((await page.textContent('#pv-profile-total'))!, /^Sampled time on the threads' stacks per run \(not CPU time\)/);
    assert.match((await page.textContent('#pv-profile-oncpu'))!, /^Per run: (measured on CPU [\d.]+ ms → [\d.]+ ms|CPU not measured)/);
    assert.equal(await page.textContent('#pv-profile-noise'), `Noise: ${profile.noiseLabel}.`);
    assert.match((await page.textContent('#pv-profile-lead'))!, profile.changed ? /^\d+ functions? changed beyond the noise/ : /^No function changed beyond the noise/);
    await page.screenshot({ path: path.join(RESULTS, 'prove-profile.png'), fullPage: true });
    await page.click('#pv-open-diff');
    const posted = await page.evaluate(() => (globalThis as any).posted as { type: string }[]); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(posted.filter((m) => m.type === 'openProfileDiff'), [{ type: 'openProfileDiff' }]);
    assert.deepEqual(errors, []);
    await page.close();
    // Issue 14 item 5: the same page in a 480, 900 and 1400 px wide panel, light and dark: the
    // key cells (function, Δ ± noise, verdict, before, after; the timed table's side, n, failed,
    // median, 95 % CI) are neither clipped nor off screen.
    for (const scheme of ['light', 'dark'] as const) {
      for (const width of [480, 900, 1400]) {
        const { page: p, errors: e } = await openPage(browser, file, { width, height: 1400 }, scheme);
        await p.evaluate(() => new Promise((r) => (globalThis as any).requestAnimationFrame(() => r(null)))); // eslint-disable-line @typescript-eslint/no-explicit-any
        await p.screenshot({ path: path.join(RESULTS, `prove-profile-${width}-${scheme}.png`), fullPage: true });
        const bad = await p.evaluate(() => {
          const d = (globalThis as any).document; // eslint-disable-line @typescript-eslint/no-explicit-any
          const right = d.documentElement.clientWidth;
          const cells = [...d.querySelectorAll('#pv-profile-table tr > :nth-child(-n+5), #pv-table tr > :nth-child(-n+5), #pv-sentence, #pv-profile-story')];
          return cells.filter((c: any) => c.getClientRects().length && (c.scrollWidth > c.clientWidth + 1 || c.getBoundingClientRect().right > right + 1)) // eslint-disable-line @typescript-eslint/no-explicit-any
            .map((c: any) => `${c.textContent.slice(0, 40)} (${c.scrollWidth} > ${c.clientWidth}, right ${Math.round(c.getBoundingClientRect().right)} > ${right})`); // eslint-disable-line @typescript-eslint/no-explicit-any
        });
        assert.deepEqual(bad, [], `${scheme} ${width} px`);
        assert.deepEqual(e, []);
        await p.close();
      }
    }
    // No profiled run succeeded on a side: the section says so, with no table and no button.
    const failed = await profileSides({ command: process.execPath, args: ['-e', 'process.exit(3)'], cwd: tmp }, { command: process.execPath, args: [target, '1'], cwd: tmp }, {
      runs: 1, store: runs, root: ROOT, comparison: { before: slow.id, after: fast.id },
    });
    const failedPage = await open({ type: 'show', view: compareView(slow, fast, {}, profileDiffView(failed)) }, 'profile-failed');
    assert.equal(await failedPage.textContent('#pv-profile-error'), 'No profile diff: no profiled run succeeded on the before side, so there is no profile diff.');
    assert.equal(await failedPage.locator('#pv-profile-table').count(), 0);
    assert.equal(await failedPage.locator('#pv-open-diff').count(), 0);
    assert.match((await failedPage.textContent('#pv-profile .pv-warnings'))!, /profiled run 1\/1 \(before\) exited with code 3/);
    await failedPage.close();
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
