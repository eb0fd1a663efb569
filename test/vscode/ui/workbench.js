// Playwright helpers for the VS Code workbench (code-server 1.139 in Chromium). Extension
// commands show up in the palette a few seconds after the workbench: everything here retries
// against a deadline instead of sleeping.
'use strict';

async function openWorkbench(page, server, folder) {
  const url = `${server.url}?folder=${encodeURIComponent(folder)}`;
  // A page the harness hands on from an earlier test (test/vscode/harness/ui.js) already shows this
  // folder's workbench, reset by resetWorkbench: loading it again is most of a test's time.
  const shown = page.url() === url && await page.locator('.monaco-workbench').isVisible();
  // A loaded machine (2 shared cores) can take longer than the default 30 s to serve the workbench.
  if (!shown) await page.goto(url, { timeout: 120_000 });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  // The explorer shows the folder once the remote file system is connected.
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
}

/**
 * Between two UI tests on one workbench (test/vscode/harness/ui.js): back to what a newly opened
 * window shows: no dialog or quick input, no editor (webview panels included: they are disposed),
 * no panel, no notification, the Explorer in the side bar, the window at `viewport`. Waits for
 * each, never sleeps. A dirty editor is closed without saving.
 */
async function resetWorkbench(page, viewport) {
  for (let i = 0; i < 2; i++) await page.keyboard.press('Escape');
  const dialog = page.locator('.monaco-dialog-box');
  if (await dialog.isVisible()) await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  await page.setViewportSize(viewport);
  const tabs = page.locator('.tabs-container .tab');
  if (await tabs.count()) {
    const dirty = await page.locator('.tabs-container .tab.dirty').count();
    await runCommand(page, 'View: Close All Editors');
    if (dirty) await dialog.locator('.monaco-button', { hasText: /^Don't Save$/ }).first().click({ timeout: 15_000 });
    await tabs.first().waitFor({ state: 'detached', timeout: 15_000 });
  }
  await page.locator('iframe.webview').first().waitFor({ state: 'detached', timeout: 15_000 });
  if (await page.locator('.part.panel').isVisible()) {
    await runCommand(page, 'View: Hide Panel');
    await page.locator('.part.panel').waitFor({ state: 'hidden', timeout: 10_000 });
  }
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notification-toast').first().waitFor({ state: 'detached', timeout: 10_000 });
  await runCommand(page, 'View: Show Explorer');
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Escape');
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
 * The Frame (evaluate-able) inside the newest webview whose page kind `accept`s (a webview is two
 * nested iframes; Hotpath's pages name their kind in `<body data-hotpath-page>`: flame, prove,
 * leaks, live, diff). By default the live panel that Profile… opens while a run goes on is passed
 * over: the tests want the panel the run ends in. A newer page still loading is waited for (up
 * to 20 s) rather than taking an older one; a page without a kind (not Hotpath's) is passed over.
 */
async function webviewFrame(page, timeoutMs = 90_000, accept = (kind) => kind !== 'live') {
  const deadline = Date.now() + timeoutMs;
  const loadingSince = new Map();
  for (;;) {
    const outers = await page.locator('iframe.webview').elementHandles();
    for (const outer of outers.reverse()) {
      try {
        const outerFrame = await outer.contentFrame();
        const inner = outerFrame && await outerFrame.$('#active-frame');
        const frame = inner && await inner.contentFrame();
        if (!frame) continue;
        const kind = await frame.evaluate(() => (location.protocol === 'about:' || !document.body ? null : document.body.dataset.hotpathPage ?? ''));
        if (kind === null) {
          const id = (await outer.getAttribute('name')) ?? (await outer.getAttribute('src')) ?? '';
          const since = loadingSince.get(id) ?? Date.now();
          loadingSince.set(id, since);
          if (Date.now() - since < 20_000) break; // the newest page is still loading: look again
          continue;
        }
        if (kind && accept(kind)) return frame;
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
 * Issue 14 item 5: the newest webview at each width (480, 900, 1400 px by default) in the
 * workbench's own theme (Light Modern here): a screenshot test-results/<name>-<width>.png,
 * `each(width)` if given, then no key cell (`selector`) clipped or off screen. Then the same at
 * the narrowest and widest width in Dark Modern and Dark High Contrast (<name>-<width>-dark.png,
 * -hc.png; the page's body carries VS Code's theme class before it is measured), and the theme
 * is put back: it is a user setting the next test on this server shares.
 */
async function assertFitsWidths(page, frame, { artifacts, name, selector, widths = [480, 900, 1400], each }) {
  const assert = require('assert');
  const path = require('path');
  const measure = async (width, suffix) => {
    const reached = await setWebviewWidth(page, frame, width);
    assert.ok(Math.abs(reached - width) <= 2, `webview ${reached} px, wanted ${width}${suffix}`);
    await page.screenshot({ path: path.join(artifacts, `${name}-${width}${suffix}.png`) });
    if (each && !suffix) await each(width);
    assert.deepStrictEqual(await unfitCells(frame, selector), [], `${width} px${suffix}`);
  };
  for (const width of widths) await measure(width, '');
  const ends = [Math.min(...widths), Math.max(...widths)];
  try {
    for (const [theme, cls, suffix] of THEMES) {
      await setTheme(page, frame, theme, cls);
      for (const width of ends) await measure(width, suffix);
    }
  } finally {
    await setTheme(page, frame, 'Light Modern', 'vscode-light');
  }
}

const THEMES = [['Dark Modern', 'vscode-dark', '-dark'], ['Dark High Contrast', 'vscode-high-contrast', '-hc']];

/** Preferences: Color Theme, then waits until the webview's page has the theme's body class. */
async function setTheme(page, frame, theme, cls) {
  await runCommand(page, 'Preferences: Color Theme');
  await pickItem(page, theme);
  await frame.waitForFunction((c) => document.body.classList.contains(c), cls, { timeout: 15_000 });
  await page.waitForTimeout(500); // the page repaints its charts and canvas on the theme change
}

/**
 * With HOTPATH_UPDATE_SCREENSHOT=1: the editor area (no side bar, no title bar; or the part of it
 * `element` covers, down to `to` if given) saved as a README
 * picture in media/, quantized by pngquant (Debian package) when it is installed: the pictures
 * are packaged in the .vsix, which has a size budget (test/package/vsix.test.ts).
 */
async function updateReadmePicture(page, repo, name, { element, to } = {}) {
  if (process.env.HOTPATH_UPDATE_SCREENSHOT !== '1') return;
  const fs = require('fs');
  const path = require('path');
  const { spawnSync } = require('child_process');
  const file = path.join(repo, 'media', name);
  let box = await page.locator('.part.editor').boundingBox();
  // `element` (a locator, also inside a webview): only its part of the editor area.
  const part = element && await element.boundingBox();
  // `to` (a locator inside `element`): the picture ends 8 px below it.
  const end = to && await to.boundingBox();
  if (part && end) part.height = Math.min(part.height, end.y + end.height + 8 - part.y);
  if (part) {
    const x = Math.max(box.x, part.x);
    const y = Math.max(box.y, part.y);
    box = { x, y, width: Math.min(box.x + box.width, part.x + part.width) - x, height: Math.min(box.y + box.height, part.y + part.height) - y };
  }
  await page.screenshot({ path: file, clip: box });
  const q = spawnSync('pngquant', ['--force', '--speed', '1', '16', '--output', file, file]);
  console.log(`    README picture ${path.relative(repo, file)}: ${fs.statSync(file).size} bytes${q.error ? ' (pngquant is missing: not quantized, check the .vsix budget)' : ''}`);
}

/**
 * Clicks the open context menu's item `title` and waits for `expect` (a locator) to be visible.
 * Seen in code-server under load: the item highlights under the pointer but the menu stays open
 * (the click landed while the menu settled); its keyboard activation (Enter) is the same action.
 */
async function clickMenuItem(page, title, expect, timeout = 15_000) {
  const menu = page.locator('.monaco-menu');
  await menu.locator('.action-label', { hasText: title }).first().click();
  try {
    await expect.waitFor({ state: 'visible', timeout: 7_000 });
  } catch {
    if (await menu.first().isVisible()) await page.keyboard.press('Enter');
    await expect.waitFor({ state: 'visible', timeout });
  }
}

module.exports = { clickMenuItem, setTheme, assertFitsWidths, updateReadmePicture, openWorkbench, resetWorkbench, runCommand, pickItem, webviewFrame, cursorLine, quickInput, waitUntil, rowChecked, setWebviewWidth, unfitCells };
