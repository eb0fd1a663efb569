// "Hotpath: Apply All Safe Fixes in Workspace…" through the real UI: the kinds quick pick counts
// each kind's safe fixes and the files they are in, across the workspace (memoize not among
// them: no run counted its calls); accepting it opens the Refactor Preview with one entry per file
// that has a fix of the chosen kinds, nothing else. Apply writes both files as the engine's
// goldens (test/fixtures/hot-fixes/expected), leaves the memoize-only file and main.js alone, and
// one checkpoint holds both files as they were. Cleans up its files and checkpoint.
// Screenshots: test-results/apply-all-workspace-kinds.png, test-results/apply-all-workspace-preview.png.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { openWorkbench, runCommand, quickInput, waitUntil, rowChecked } = require('./workbench');

module.exports = {
  name: 'Apply All Safe Fixes in Workspace… across files through the kinds quick pick and the Refactor Preview',
  timeoutMs: 180_000,
  async run({ page, server, folder, repo, artifacts }) {
    const fixtures = path.join(repo, 'test', 'fixtures', 'hot-fixes');
    const dir = path.join(folder, 'ui-ws');
    const store = path.join(folder, '.hotpath', 'checkpoints');
    const ids = () => (fs.existsSync(store) ? fs.readdirSync(store) : []);
    const before = new Set(ids());
    fs.mkdirSync(dir, { recursive: true });
    for (const f of ['package.json', 'hoist.js', 'pool.js', 'memoize.js']) fs.copyFileSync(path.join(fixtures, f), path.join(dir, f));
    const at = (f) => path.join(dir, f);
    const original = (f) => fs.readFileSync(path.join(fixtures, f), 'utf8');
    const expected = (f) => fs.readFileSync(path.join(fixtures, 'expected', f), 'utf8');
    const mainJs = path.join(folder, 'main.js');
    const mainBefore = fs.readFileSync(mainJs, 'utf8');
    try {
      await openWorkbench(page, server, folder);
      await runCommand(page, 'Hotpath: Apply All Safe Fixes in Workspace…');
      const row = (text) => quickInput(page).locator('.monaco-list-row', { hasText: text }).first();
      const hoist = row('Hoist constants out of functions and loops');
      const pool = row('Reuse loop temporaries');
      await hoist.waitFor({ state: 'visible', timeout: 90_000 }); // the scan parses every file first
      await pool.waitFor({ state: 'visible', timeout: 5000 });
      assert.match(await hoist.innerText(), /hoist-constant · 1 safe fix in 1 file\b/);
      assert.match(await pool.innerText(), /pool-object · 1 safe fix in 1 file\b/);
      // memoize is offered only where a counting run showed repeated arguments: none ran here.
      assert.strictEqual(await quickInput(page).locator('.monaco-list-row', { hasText: 'Memoize pure functions' }).count(), 0, 'no memoize without counted calls');
      assert.strictEqual(await rowChecked(hoist), true, 'hoist-constant is preselected');
      assert.strictEqual(await rowChecked(pool), true, 'pool-object is preselected');
      await page.screenshot({ path: path.join(artifacts, 'apply-all-workspace-kinds.png') });
      await page.keyboard.press('Enter');

      // The Refactor Preview: one entry per file with a chosen fix; nothing written before Apply.
      const panel = page.locator('.bulk-edit-panel');
      const apply = panel.locator('.monaco-button', { hasText: /^Apply$/ }).first();
      await apply.waitFor({ state: 'visible', timeout: 30_000 });
      const fileRow = (name) => panel.locator('.monaco-list-row', { hasText: name }).first();
      for (const name of ['hoist.js', 'pool.js']) await fileRow(name).waitFor({ state: 'visible', timeout: 15_000 });
      const rows = await panel.locator('.monaco-list-row').allInnerTexts();
      assert.ok(!rows.some((t) => /memoize\.js|main\.js/.test(t)), `only the files with a chosen fix: ${JSON.stringify(rows)}`);
      for (const name of ['hoist.js', 'pool.js']) {
        const box = fileRow(name).locator('.edit-checkbox').first();
        if ((await box.getAttribute('aria-checked')) !== 'true') {
          await box.click();
          await page.waitForFunction((el) => el.getAttribute('aria-checked') === 'true', await box.elementHandle(), { timeout: 10_000 });
        }
      }
      for (const f of ['hoist.js', 'pool.js']) assert.strictEqual(fs.readFileSync(at(f), 'utf8'), original(f), `${f}: nothing written before Apply`);
      await page.screenshot({ path: path.join(artifacts, 'apply-all-workspace-preview.png') });
      await apply.click();

      for (const f of ['hoist.js', 'pool.js']) {
        await waitUntil(page, `${f} on disk to be the fixed file`, () => fs.readFileSync(at(f), 'utf8') === expected(f))
          .catch((err) => { throw new Error(`${err.message}; on disk:\n${fs.readFileSync(at(f), 'utf8')}`); });
      }
      assert.strictEqual(fs.readFileSync(at('memoize.js'), 'utf8'), original('memoize.js'), 'memoize.js has only memoize fixes: untouched');
      assert.strictEqual(fs.readFileSync(mainJs, 'utf8'), mainBefore, 'main.js untouched');
      const created = ids().filter((id) => !before.has(id));
      assert.strictEqual(created.length, 1, `one new checkpoint: ${created}`);
      const cpFile = path.join(store, created[0], 'checkpoint.json');
      const cp = JSON.parse(fs.readFileSync(cpFile, 'utf8'));
      assert.strictEqual(cp.label, 'before 2 safe fixes (hoist-constant ×1, pool-object ×1) in 2 files');
      await waitUntil(page, 'the checkpoint to be marked applied', () => JSON.parse(fs.readFileSync(cpFile, 'utf8')).state === 'applied');
      for (const f of ['hoist.js', 'pool.js']) {
        const entry = cp.files.find((e) => path.resolve(cp.root, e.path) === at(f));
        assert.ok(entry, `${f} in the checkpoint: ${JSON.stringify(cp.files)}`);
        assert.strictEqual(fs.readFileSync(path.join(store, created[0], 'files', entry.blob), 'utf8'), original(f), `the checkpoint holds ${f} as it was`);
      }
      await page.locator('.notification-list-item-message', { hasText: 'applied 2 safe fixes (hoist-constant ×1, pool-object ×1) in 2 files' }).first().waitFor({ timeout: 15_000 });
    } finally {
      for (const id of ids()) if (!before.has(id)) fs.rmSync(path.join(store, id), { recursive: true, force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
