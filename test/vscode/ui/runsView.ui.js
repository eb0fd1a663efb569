// The "Profile Runs" view through the real workbench: after "Hotpath: Profile…" on `npm start`,
// the view in the Hotpath side bar shows the run (label, "… ago · N ms" description), its context
// menu has the run commands, and "Delete Run" asks in a modal, then removes the row (so the run it
// made is gone again; the UI tests share one workspace). Screenshots: test-results/runs-view.png,
// test-results/runs-delete-modal.png.
'use strict';
const assert = require('assert');
const path = require('path');
const { openWorkbench, runCommand, pickItem, webviewFrame } = require('./workbench');

module.exports = {
  name: 'Profile Runs view lists the run, its context menu, Delete Run with the modal',
  timeoutMs: 240_000,
  async run({ page, server, folder, artifacts }) {
    await openWorkbench(page, server, folder);
    await runCommand(page, 'Hotpath: Profile…');
    await pickItem(page, 'npm run start');
    const flame = await webviewFrame(page);
    await flame.locator('body[data-ready="true"]').waitFor({ timeout: 120_000 });

    await runCommand(page, 'Hotpath: Focus on Profile Runs View');
    const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Profile Runs' }) });
    const rows = pane.locator('.monaco-list-row');
    const row = rows.filter({ hasText: 'npm run start' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    const text = await row.innerText();
    assert.match(text, /(just now|\d+ s ago|\d+ min ago) · [\d.]+ (ms|s)/, `row text: ${JSON.stringify(text)}`);
    const before = await rows.filter({ hasText: 'npm run start' }).count();
    await page.screenshot({ path: path.join(artifacts, 'runs-view.png') });

    await row.click({ button: 'right' });
    const menu = page.locator('.monaco-menu');
    await menu.first().waitFor({ state: 'visible', timeout: 15_000 });
    const items = (await menu.locator('.action-label').allInnerTexts()).map((s) => s.trim()).filter(Boolean);
    for (const title of ['Open Run', 'Profile Again', 'Copy Command', 'Reveal Profiles Folder', 'Delete Run']) {
      assert.ok(items.includes(title), `context menu has ${title}: ${JSON.stringify(items)}`);
    }
    await menu.locator('.action-label', { hasText: 'Delete Run' }).first().click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await dialog.innerText(), /Delete the profile run "npm run start"\?/);
    await page.screenshot({ path: path.join(artifacts, 'runs-delete-modal.png') });
    await dialog.locator('.monaco-button', { hasText: 'Delete' }).first().click();
    const deadline = Date.now() + 15_000;
    while ((await rows.filter({ hasText: 'npm run start' }).count()) !== before - 1 && Date.now() < deadline) await page.waitForTimeout(200);
    assert.strictEqual(await rows.filter({ hasText: 'npm run start' }).count(), before - 1, 'the row is gone after Delete');
  },
};
