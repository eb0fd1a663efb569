// "Hotpath: Apply All Safe Fixes in File…" through the real UI: the kinds quick pick lists the
// file's safe fixes (memoize not among them: no run counted its calls), accepting it opens the Refactor Preview, Apply
// writes the file (the engine's golden, test/fixtures/hot-fixes/expected) and a checkpoint holds
// the file as it was. Cleans up its files and checkpoint (the UI tests share one workspace).
// Screenshots: test-results/apply-all-kinds.png, test-results/apply-all-preview.png.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { openWorkbench, runCommand, quickInput, waitUntil, rowChecked } = require('./workbench');

module.exports = {
  name: 'Apply All Safe Fixes in File… through the kinds quick pick and the Refactor Preview',
  timeoutMs: 180_000,
  async run({ page, server, folder, repo, artifacts }) {
    const fixtures = path.join(repo, 'test', 'fixtures', 'hot-fixes');
    const dir = path.join(folder, 'ui-apply');
    const file = path.join(dir, 'pool.js');
    const store = path.join(folder, '.hotpath', 'checkpoints');
    const ids = () => (fs.existsSync(store) ? fs.readdirSync(store) : []);
    const before = new Set(ids());
    fs.mkdirSync(dir, { recursive: true });
    for (const f of ['package.json', 'pool.js']) fs.copyFileSync(path.join(fixtures, f), path.join(dir, f));
    const original = fs.readFileSync(file, 'utf8');
    const expected = fs.readFileSync(path.join(fixtures, 'expected', 'pool.js'), 'utf8');
    try {
      await openWorkbench(page, server, folder);
      // Open ui-apply/pool.js with Quick Open.
      await page.keyboard.press('Control+P');
      const input = quickInput(page).locator('input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('ui-apply/pool.js');
      await quickInput(page).locator('.monaco-list-row', { hasText: 'pool.js' }).first().waitFor({ timeout: 15_000 });
      await page.keyboard.press('Enter');
      await page.locator('.tab.active', { hasText: 'pool.js' }).waitFor({ timeout: 15_000 });

      await runCommand(page, 'Hotpath: Apply All Safe Fixes in File…');
      const pool = quickInput(page).locator('.monaco-list-row', { hasText: 'Reuse loop temporaries' }).first();
      await pool.waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(await pool.innerText(), /pool-object · 1 safe fix/);
      // memoize is offered only where a counting run showed repeated arguments: none ran here.
      assert.strictEqual(await quickInput(page).locator('.monaco-list-row', { hasText: 'Memoize pure functions' }).count(), 0, 'no memoize without counted calls');
      assert.strictEqual(await rowChecked(pool), true, 'pool-object is preselected');
      await page.screenshot({ path: path.join(artifacts, 'apply-all-kinds.png') });
      await page.keyboard.press('Enter');

      // The Refactor Preview lists the change; nothing is written before Apply.
      const panel = page.locator('.bulk-edit-panel');
      const apply = panel.locator('.monaco-button', { hasText: /^Apply$/ }).first();
      await apply.waitFor({ state: 'visible', timeout: 30_000 });
      // Entries that need confirmation start unticked (VS Code's rule): tick the file's row.
      const row = panel.locator('.monaco-list-row', { hasText: 'pool.js' }).first();
      await row.waitFor({ state: 'visible', timeout: 15_000 });
      const box = row.locator('.edit-checkbox').first();
      assert.strictEqual(await box.getAttribute('aria-checked'), 'false', 'unticked until the user confirms');
      await box.click();
      await page.waitForFunction((el) => el.getAttribute('aria-checked') === 'true', await box.elementHandle(), { timeout: 10_000 });
      assert.strictEqual(fs.readFileSync(file, 'utf8'), original, 'nothing written before Apply');
      await page.screenshot({ path: path.join(artifacts, 'apply-all-preview.png') });
      await apply.click();

      await waitUntil(page, 'pool.js on disk to be the fixed file', () => fs.readFileSync(file, 'utf8') === expected)
        .catch((err) => { throw new Error(`${err.message}; on disk:\n${fs.readFileSync(file, 'utf8')}`); });
      const created = ids().filter((id) => !before.has(id));
      assert.strictEqual(created.length, 1, `one new checkpoint: ${created}`);
      const cp = JSON.parse(fs.readFileSync(path.join(store, created[0], 'checkpoint.json'), 'utf8'));
      assert.strictEqual(cp.label, 'before 1 safe fix (pool-object ×1) in 1 file');
      await waitUntil(page, 'the checkpoint to be marked applied', () => JSON.parse(fs.readFileSync(path.join(store, created[0], 'checkpoint.json'), 'utf8')).state === 'applied');
      const entry = cp.files.find((f) => path.resolve(cp.root, f.path) === file); // v2: relative to the root
      assert.ok(entry, `pool.js in the checkpoint: ${JSON.stringify(cp.files)}`);
      assert.strictEqual(fs.readFileSync(path.join(store, created[0], 'files', entry.blob), 'utf8'), original, 'the checkpoint holds the file as it was');
      // The notification offers to measure the batch.
      await page.locator('.notification-list-item-message', { hasText: 'applied 1 safe fix (pool-object ×1) in 1 file' }).first().waitFor({ timeout: 15_000 });
    } finally {
      for (const id of ids()) if (!before.has(id)) fs.rmSync(path.join(store, id), { recursive: true, force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
