// Playwright helpers for the VS Code workbench (code-server 1.139 in Chromium). Extension
// commands show up in the palette a few seconds after the workbench: everything here retries
// against a deadline instead of sleeping.
'use strict';

async function openWorkbench(page, server, folder) {
  // A loaded machine (2 shared cores) can take longer than the default 30 s to serve the workbench.
  await page.goto(`${server.url}?folder=${encodeURIComponent(folder)}`, { timeout: 120_000 });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  // The explorer shows the folder once the remote file system is connected.
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
}

const quickInput = (page) => page.locator('.quick-input-widget');
const quickRow = (page, text) => quickInput(page).locator('.monaco-list-row', { hasText: text }).first();

/** F1, type the command's palette title, run it. Retries until the command is registered. */
async function runCommand(page, title, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press('Escape');
    await page.locator('.monaco-workbench').click({ position: { x: 5, y: 5 } }).catch(() => {});
    await page.keyboard.press('F1');
    const input = quickInput(page).locator('input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${title}`);
    const row = quickRow(page, title);
    try {
      await row.waitFor({ state: 'visible', timeout: 3000 });
      await row.click(); // not Enter: the active row may still be a fuzzy match like "Open Profile…"
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`command "${title}" never appeared in the palette (${timeoutMs} ms)`);
    }
  }
}

/** Filters the open quick pick by `text` and accepts the first row that contains it. */
async function pickItem(page, text, timeoutMs = 15_000) {
  const input = quickInput(page).locator('input');
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(text);
  const row = quickRow(page, text);
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  await row.click();
}

/**
 * The Frame (evaluate-able) inside the newest webview whose title `accept`s (a webview is two
 * nested iframes; the inner one's title is the panel's). By default the "Hotpath Live" panel that
 * Profile… opens while a run goes on is passed over: the tests want the panel the run ends in.
 */
async function webviewFrame(page, timeoutMs = 90_000, accept = (title) => !/^Hotpath Live\b/.test(title)) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outers = await page.locator('iframe.webview').elementHandles();
    for (const outer of outers.reverse()) {
      try {
        const outerFrame = await outer.contentFrame();
        const inner = outerFrame && await outerFrame.$('#active-frame');
        if (!inner || !accept((await inner.getAttribute('title')) ?? '')) continue;
        const frame = await inner.contentFrame();
        if (frame) return frame;
      } catch {
        // detached while we looked (a panel closed or replaced): look again
      }
    }
    if (Date.now() > deadline) throw new Error(`no webview panel (of ${outers.length} open) accepted within ${timeoutMs} ms`);
    await page.waitForTimeout(250);
  }
}

/** "Ln 12, Col 1" from the status bar: the active editor's cursor line (1-based). */
async function cursorLine(page) {
  const text = await page.locator('#status\\.editor\\.selection').innerText({ timeout: 10_000 });
  const m = /Ln (\d+)/.exec(text);
  if (!m) throw new Error(`unexpected status bar selection text: ${text}`);
  return Number(m[1]);
}

/** Polls a synchronous probe (a file on disk, say) every 200 ms until it returns something truthy. */
async function waitUntil(page, what, probe, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await page.waitForTimeout(200);
  }
}

/** Checked state of a multi-select quick pick row (1.139: the row or its checkbox carries it). */
async function rowChecked(row) {
  const own = await row.getAttribute('aria-checked');
  if (own !== null) return own === 'true';
  return row.locator('input[type=checkbox], [role=checkbox]').first().isChecked();
}

/**
 * Resizes the browser window until the newest webview's page is `width` CSS px wide (the editor
 * group takes what the side bar leaves), then waits for the page to settle. Returns the width reached.
 */
async function setWebviewWidth(page, frame, width) {
  const inner = () => frame.evaluate(() => document.documentElement.clientWidth);
  for (let i = 0; i < 6; i++) {
    const now = await inner();
    if (Math.abs(now - width) <= 2) break;
    const vp = page.viewportSize();
    await page.setViewportSize({ width: Math.max(400, vp.width + (width - now)), height: vp.height });
    await page.waitForTimeout(400); // the workbench relayouts, then the webview's page reflows
  }
  await page.waitForTimeout(300);
  return inner();
}

/**
 * The key cells of a table page that do not fit: `selector` names the key cells (say the first
 * columns of every row); a cell is clipped when its content is wider than the cell, and off
 * screen when its right edge is past the page's width (it would need a horizontal scroll).
 */
async function unfitCells(frame, selector) {
  return frame.evaluate((sel) => {
    const right = document.documentElement.clientWidth;
    const out = [];
    for (const c of document.querySelectorAll(sel)) {
      if (!c.getClientRects().length) continue;
      const text = (c.textContent || '').trim().slice(0, 40);
      if (c.scrollWidth > c.clientWidth + 1) out.push(`clipped: ${text} (${c.scrollWidth} > ${c.clientWidth})`);
      if (c.getBoundingClientRect().right > right + 1) out.push(`off screen: ${text} (right ${Math.round(c.getBoundingClientRect().right)} > ${right})`);
    }
    return out;
  }, selector);
}

/**
 * Issue 14 item 5: the newest webview at each width (480, 900, 1400 px by default): a screenshot
 * test-results/<name>-<width>.png, `each(width)` if given, then no key cell (`selector`) clipped
 * or off screen.
 */
async function assertFitsWidths(page, frame, { artifacts, name, selector, widths = [480, 900, 1400], each }) {
  const assert = require('assert');
  const path = require('path');
  for (const width of widths) {
    const reached = await setWebviewWidth(page, frame, width);
    assert.ok(Math.abs(reached - width) <= 2, `webview ${reached} px, wanted ${width}`);
    await page.screenshot({ path: path.join(artifacts, `${name}-${width}.png`) });
    if (each) await each(width);
    assert.deepStrictEqual(await unfitCells(frame, selector), [], `${width} px`);
  }
}

/**
 * With HOTPATH_UPDATE_SCREENSHOT=1: the editor area (no side bar, no title bar) saved as a README
 * picture in media/, quantized by pngquant (Debian package) when it is installed: the pictures
 * are packaged in the .vsix, which has a size budget (test/package/vsix.test.ts).
 */
async function updateReadmePicture(page, repo, name) {
  if (process.env.HOTPATH_UPDATE_SCREENSHOT !== '1') return;
  const fs = require('fs');
  const path = require('path');
  const { spawnSync } = require('child_process');
  const file = path.join(repo, 'media', name);
  const box = await page.locator('.part.editor').boundingBox();
  await page.screenshot({ path: file, clip: box });
  const q = spawnSync('pngquant', ['--force', '--speed', '1', '16', '--output', file, file]);
  console.log(`    README picture ${path.relative(repo, file)}: ${fs.statSync(file).size} bytes${q.error ? ' (pngquant is missing: not quantized, check the .vsix budget)' : ''}`);
}

module.exports = { assertFitsWidths, updateReadmePicture, openWorkbench, runCommand, pickItem, webviewFrame, cursorLine, quickInput, waitUntil, rowChecked, setWebviewWidth, unfitCells };
