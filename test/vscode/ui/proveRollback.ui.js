// "Hotpath: Create Checkpoint" and "Hotpath: Roll Back to Checkpoint…" through the real UI: the
// modal names the file edited since the checkpoint, "Roll back anyway" restores it, and the
// edit is kept in a new checkpoint.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { openWorkbench, runCommand, quickInput } = require('./workbench');

module.exports = {
  name: 'Create Checkpoint, edit, Roll Back to Checkpoint… with the modal',
  timeoutMs: 180_000,
  async run({ page, server, folder, artifacts }) {
    const file = path.join(folder, 'rollback-me.js');
    fs.writeFileSync(file, 'module.exports = "checkpointed";\n');
    await openWorkbench(page, server, folder);
    await runCommand(page, 'Hotpath: Create Checkpoint');
    const store = path.join(folder, '.hotpath', 'checkpoints');
    const deadline = Date.now() + 30_000;
    // Written and marked applied: the command records each file's state after the checkpoint once
    // it is written (markApplied), and an edit made before that would be taken for that state.
    const applied = (id) => { try { return JSON.parse(fs.readFileSync(path.join(store, id, 'checkpoint.json'), 'utf8')).state === 'applied'; } catch { return false; } };
    const written = () => fs.existsSync(store) && fs.readdirSync(store).some(applied);
    while (!written() && Date.now() < deadline) await page.waitForTimeout(200);
    if (!fs.existsSync(store)) {
      await page.locator('.notifications-center, .notifications-toasts').first().waitFor({ timeout: 2000 }).catch(() => {});
      const toasts = await page.locator('.notification-list-item-message').allInnerTexts().catch(() => []);
      assert.fail(`no checkpoint was stored; notifications: ${JSON.stringify(toasts)}`);
    }
    // Checkpoint folders only: a batch or rollback holds <store>/.lock while it runs.
    const checkpoints = () => fs.readdirSync(store).filter((id) => fs.existsSync(path.join(store, id, 'checkpoint.json')));
    const ids = checkpoints();
    assert.strictEqual(ids.length, 1, `one checkpoint: ${ids}`);
    const cp = JSON.parse(fs.readFileSync(path.join(store, ids[0], 'checkpoint.json'), 'utf8'));
    // Checkpoint version 2 stores paths relative to its root (absolute in version 1).
    const abs = (c, f) => path.resolve(c.root, f.path);
    assert.ok(cp.files.some((f) => abs(cp, f) === file), `the new file is in the snapshot: ${JSON.stringify(cp.files.map((f) => f.path))}`);

    fs.writeFileSync(file, 'module.exports = "edited later";\n');
    await runCommand(page, 'Hotpath: Roll Back to Checkpoint…');
    const row = quickInput(page).locator('.monaco-list-row', { hasText: 'manual checkpoint' }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await row.click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    const text = await dialog.innerText();
    assert.match(text, /Roll back to checkpoint "manual checkpoint/);
    assert.match(text, /Edited after the checkpoint \(1\):\s+rollback-me\.js \(changed since the checkpoint\)/);
    await page.screenshot({ path: path.join(artifacts, 'prove-rollback-modal.png') });
    await dialog.locator('.monaco-button', { hasText: 'Roll back anyway' }).click();
    const until = Date.now() + 15_000;
    while (fs.readFileSync(file, 'utf8') !== 'module.exports = "checkpointed";\n' && Date.now() < until) await page.waitForTimeout(200);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'module.exports = "checkpointed";\n');
    const saved = checkpoints().filter((id) => id !== ids[0]);
    assert.strictEqual(saved.length, 1, 'the later edit was saved as a checkpoint');
    const keep = JSON.parse(fs.readFileSync(path.join(store, saved[0], 'checkpoint.json'), 'utf8'));
    const blob = keep.files.find((f) => abs(keep, f) === file).blob;
    assert.strictEqual(fs.readFileSync(path.join(store, saved[0], 'files', blob), 'utf8'), 'module.exports = "edited later";\n');
  },
};
