// The whole first slice through the real UI: "Hotpath: Profile…" from the command palette on the
// fixture's `npm start`, the flame panel names computePrimes, clicking its frame opens main.js at
// its line, and its "Live metrics" button opens the run's live panel. Screenshots:
// test-results/flame-panel.png, flame-click-source.png, flame-live-link.png;
// HOTPATH_UPDATE_SCREENSHOT=1 also saves the editor area to media/screenshot.png (README).
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { openWorkbench, runCommand, pickItem, webviewFrame, cursorLine, updateReadmePicture } = require('./workbench');

const HOT = 'computePrimes';

function lineOf(file, text) {
  return fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
}

module.exports = {
  name: 'Profile… from the palette shows computePrimes in the flame panel and opens it on click; links to the live panel',
  timeoutMs: 240_000,
  // A new window (test/vscode/harness/ui.js): the click must put the cursor on computePrimes: a window where an earlier test did would remember the line.
  freshWorkbench: true,
  async run({ page, server, folder, repo, artifacts }) {
    await openWorkbench(page, server, folder);
    await runCommand(page, 'Hotpath: Profile…');
    await pickItem(page, 'npm run start');

    const flame = await webviewFrame(page);
    await flame.locator('body[data-ready="true"]').waitFor({ timeout: 120_000 });
    const summary = flame.locator('#summary');
    await summary.waitFor({ timeout: 10_000 });
    // Initially the selection is the hottest workspace function.
    await flame.waitForFunction((name) => document.querySelector('#summary')?.textContent?.includes(name), HOT, { timeout: 15_000 })
      .catch(async () => assert.fail(`#summary does not name ${HOT}: "${await summary.textContent()}"`));
    // Room for the graph: hide the output panel the run opened (best effort), then bring the
    // frame into view through the page's test hook; the click below is a real pointer event.
    await runCommand(page, 'View: Hide Panel', 8000).catch(() => {});
    assert.ok(await flame.evaluate((name) => window.hotpathFlame.select(name), HOT), `hotpathFlame.select(${HOT})`);
    const frames = await flame.evaluate(() => window.hotpathFlame.visibleFrames());
    const hot = frames.filter((f) => f.name === HOT).sort((a, b) => b.w - a.w)[0];
    assert.ok(hot, `${HOT} is drawn; drawn: ${[...new Set(frames.map((f) => f.name))].slice(0, 15).join(', ')}`);
    assert.ok(hot.file.endsWith('main.js'), `frame file ${hot.file}`);
    assert.ok(hot.w >= 20, `${HOT} is wide (most of the run): ${hot.w}px`);

    // Sampled CPU time is shown with its sampling error (time / sqrt(samples)) in the summary and
    // the call tree, from the run's own sample counts.
    const sel = await flame.evaluate(() => window.hotpathFlame.state().selected);
    assert.ok(sel && sel.samples > 0 && Math.abs(sel.selfError - sel.self / Math.sqrt(sel.samples)) <= 1e-6 * sel.self, `selected ${JSON.stringify(sel)}`);
    assert.match(await summary.textContent(), new RegExp(`^${HOT}: self [\\d.,]+ ±[\\d.,]+ ms \\(`));
    const row = await flame.locator('.hp-table tbody tr.hp-selected').first().textContent();
    assert.ok(row.includes(sel.selfShown), `table row "${row}" shows ${sel.selfShown}`);

    const shot = path.join(artifacts, 'flame-panel.png');
    await page.screenshot({ path: shot });
    await updateReadmePicture(page, repo, 'screenshot.png');

    // Click the middle of the frame: real pointer events at page coordinates.
    const box = await flame.locator('canvas.hp-flame').boundingBox();
    assert.ok(box, 'flame canvas has a box');
    await page.mouse.click(box.x + hot.x + Math.min(hot.w / 2, 200), box.y + hot.y + hot.h / 2);
    const tab = page.locator('.tabs-container .tab', { hasText: 'main.js' });
    await tab.first().waitFor({ timeout: 20_000 });
    const expected = lineOf(path.join(folder, 'main.js'), `function ${HOT}(`);
    const deadline = Date.now() + 10_000;
    let line = await cursorLine(page);
    while (line !== expected && Date.now() < deadline) {
      await page.waitForTimeout(200);
      line = await cursorLine(page);
    }
    assert.strictEqual(line, expected, `editor cursor line after clicking ${HOT}`);
    await page.screenshot({ path: path.join(artifacts, 'flame-click-source.png') });

    // The run lasted seconds, so it kept a live series: the flame panel's "Live metrics" opens
    // the live panel of this run (issue 16), with the run's points and its ended note.
    await page.locator('.tabs-container .tab', { hasText: 'Hotpath: ' }).first().click();
    const again = await webviewFrame(page, 60_000, (kind) => kind === 'flame');
    await again.locator('body[data-ready="true"]').waitFor({ timeout: 60_000 });
    const liveButton = again.locator('#hp-live');
    await liveButton.waitFor({ state: 'visible', timeout: 15_000 });
    await liveButton.click();
    const live = await webviewFrame(page, 60_000, (kind) => kind === 'live');
    await live.waitForFunction(() => (window.hotpathLive?.state()?.totals.points ?? 0) > 0, null, { timeout: 30_000 });
    const state = await live.evaluate(() => window.hotpathLive.state());
    assert.ok(!state.running && state.note, JSON.stringify(state));
    assert.ok(state.totals.measured >= 1 && state.totals.points >= 2, JSON.stringify(state.totals));
    const activeTab = await page.locator('.tabs-container .tab.active').first().textContent();
    assert.match(activeTab, /^Hotpath Live: /);
    await page.screenshot({ path: path.join(artifacts, 'flame-live-link.png') });
  },
};
