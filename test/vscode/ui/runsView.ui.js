// The "Profile Runs" view through the real workbench: after "Hotpath: Profile…" on `npm start`,
// the view in the Hotpath side bar shows the run (label, "… ago · N ms" description), its context
// menu has the run commands, and "Delete Run" asks in a modal, then removes the row (so the run it
// made is gone again; the UI tests share one workspace). A run `hotpath profile` stores in the
// workspace's .hotpath/runs meanwhile shows up under its own group ("CLI: .hotpath/runs", next to
// "VS Code"), and the flat list comes back when it is removed. Screenshots:
// test-results/runs-view.png, test-results/runs-view-groups.png, test-results/runs-delete-modal.png.
'use strict';
const assert = require('assert');
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { clickMenuItem, openWorkbench, runCommand, pickItem, webviewFrame } = require('./workbench');

module.exports = {
  name: 'Profile Runs view lists the run, its context menu, Delete Run with the modal',
  timeoutMs: 240_000,
  async run({ page, server, folder, repo, artifacts }) {
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
    await page.screenshot({ path: path.join(artifacts, 'runs-view.png') });

    // A run recorded by the CLI in the workspace's .hotpath/runs: two groups while it is there.
    const store = path.join(folder, '.hotpath', 'runs');
    const had = new Set(fs.existsSync(store) ? fs.readdirSync(store) : []);
    execFileSync(process.execPath, [path.join(repo, 'dist', 'cli.js'), 'profile', '--cpu', '--', process.execPath, 'main.js'], { cwd: folder, stdio: 'ignore', env: { ...process.env, NODE_OPTIONS: '' } });
    const mine = fs.readdirSync(store).filter((id) => !had.has(id));
    assert.strictEqual(mine.length, 1, 'hotpath profile stored one run');
    try {
      const cliGroup = rows.filter({ hasText: 'CLI: .hotpath/runs' });
      await cliGroup.first().waitFor({ state: 'visible', timeout: 30_000 });
      const cliRuns = fs.readdirSync(store).filter((id) => fs.existsSync(path.join(store, id, 'run.json'))).length;
      // While the CLI was writing, the group may have shown its folder as unfinished: it updates once run.json is there.
      const count = new RegExp(`${cliRuns} runs?$`, 'm');
      const until = Date.now() + 30_000;
      while (!count.test(await cliGroup.first().innerText()) && Date.now() < until) await page.waitForTimeout(200);
      assert.match(await cliGroup.first().innerText(), count, 'the group counts its runs');
      assert.ok((await rows.filter({ hasText: 'VS Code' }).count()) > 0, 'the extension\'s runs have their group');
      // The CLI records the command as given: a row with main.js under the CLI group.
      await rows.filter({ hasText: 'main.js' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      await page.screenshot({ path: path.join(artifacts, 'runs-view-groups.png') });
    } finally {
      for (const id of mine) fs.rmSync(path.join(store, id), { recursive: true, force: true });
    }
    // Removed outside VS Code (as `hotpath runs rm` would): the CLI group goes (when it held only this run).
    if (!fs.readdirSync(store).length) {
      const gone = Date.now() + 30_000;
      while ((await rows.filter({ hasText: 'CLI: .hotpath/runs' }).count()) > 0 && Date.now() < gone) await page.waitForTimeout(200);
      assert.strictEqual(await rows.filter({ hasText: 'CLI: .hotpath/runs' }).count(), 0, 'the CLI group is gone once its run is');
    }
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    const before = await rows.filter({ hasText: 'npm run start' }).count();

    await row.click({ button: 'right' });
    const menu = page.locator('.monaco-menu');
    await menu.first().waitFor({ state: 'visible', timeout: 15_000 });
    const items = (await menu.locator('.action-label').allInnerTexts()).map((s) => s.trim()).filter(Boolean);
    for (const title of ['Open Run', 'Profile Again', 'Copy Command', 'Reveal Profiles Folder', 'Delete Run']) {
      assert.ok(items.includes(title), `context menu has ${title}: ${JSON.stringify(items)}`);
    }
    const dialog = page.locator('.monaco-dialog-box');
    await clickMenuItem(page, 'Delete Run', dialog);
    assert.match(await dialog.innerText(), /Delete the profile run "npm run start"\?/);
    await page.screenshot({ path: path.join(artifacts, 'runs-delete-modal.png') });
    await dialog.locator('.monaco-button', { hasText: 'Delete' }).first().click();
    const deadline = Date.now() + 15_000;
    while ((await rows.filter({ hasText: 'npm run start' }).count()) !== before - 1 && Date.now() < deadline) await page.waitForTimeout(200);
    assert.strictEqual(await rows.filter({ hasText: 'npm run start' }).count(), before - 1, 'the row is gone after Delete');
  },
};
