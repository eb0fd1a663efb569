// "Hotpath: Compare Before/After…" against a git ref through the quick picks, with the default
// hotpath.bench.profileDiff (on): the folder becomes a git repository whose committed ui-diff.js
// (test/fixtures/targets/diffTarget.js) runs hotLoop 60 ms per turn and the working tree's 180 ms.
// The before/after panel shows "Where the time moved" with hotLoop slower; clicking its Open
// Profile Diff button opens the diff panel (a second webview tab). 3 timed runs per side (the
// workspace setting), so the test stays short. Removes .git, the settings, the script and the two
// benchmark records afterwards.
// Screenshots: test-results/prove-profile-section.png, test-results/prove-open-profile-diff.png.
'use strict';
const assert = require('assert');
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { openWorkbench, runCommand, pickItem, webviewFrame, quickInput, updateReadmePicture } = require('./workbench');

module.exports = {
  name: 'Compare Before/After… (git ref) shows where the time moved, and Open Profile Diff opens the diff panel',
  timeoutMs: 300_000,
  // A new window: it writes .vscode/settings.json (bench runs) just before; a window already open
  // reads that file some time later (seen: n = 10, the default, in a shared window).
  freshWorkbench: true,
  async run({ page, server, folder, repo, artifacts }) {
    const script = path.join(folder, 'ui-diff.js');
    const settingsDir = path.join(folder, '.vscode');
    const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
    const git = (...args) => execFileSync('git', args, { cwd: folder, env, encoding: 'utf8' }).trim();
    const fixture = fs.readFileSync(path.join(repo, 'test', 'fixtures', 'targets', 'diffTarget.js'), 'utf8');
    assert.ok(fixture.includes('Number(process.argv[2] || 1)'));
    const hadSettings = fs.existsSync(settingsDir);
    const benchStore = path.join(folder, '.hotpath', 'bench');
    const benchBefore = new Set(fs.existsSync(benchStore) ? fs.readdirSync(benchStore) : []);
    try {
      fs.mkdirSync(settingsDir, { recursive: true });
      fs.writeFileSync(path.join(settingsDir, 'settings.json'), JSON.stringify({ 'hotpath.bench.runs': 3, 'hotpath.bench.warmup': 0 }, null, 2));
      git('init', '-q');
      fs.writeFileSync(script, fixture);
      git('add', 'ui-diff.js');
      git('commit', '-q', '-m', 'factor 1');
      fs.writeFileSync(script, fixture.replace('Number(process.argv[2] || 1)', 'Number(process.argv[2] || 3)'));

      await openWorkbench(page, server, folder);
      await runCommand(page, 'Hotpath: Compare Before/After…');
      await pickItem(page, 'Git ref vs working tree');
      // The ref input box (default HEAD), then the target: a custom command line.
      const input = quickInput(page).locator('input');
      await input.waitFor({ state: 'visible', timeout: 15_000 });
      await input.fill('HEAD');
      await input.press('Enter');
      await pickItem(page, 'Custom command line');
      await input.waitFor({ state: 'visible', timeout: 15_000 });
      await input.fill('node ui-diff.js');
      await input.press('Enter');

      const frame = await webviewFrame(page, 240_000);
      await frame.locator('#pv-profile').waitFor({ timeout: 240_000 });
      const section = await frame.locator('#pv-profile').innerText();
      assert.match(section, /Where the time moved/);
      assert.match(section, /5 profiled runs per side/); // hotpath.bench.profileRuns' default
      const rows = await frame.locator('#pv-profile-table tbody tr').allInnerTexts();
      const hot = rows.find((r) => r.startsWith('hotLoop'));
      assert.ok(hot, `rows: ${JSON.stringify(rows)}; section: ${section}`);
      assert.match(hot, /ui-diff\.js:\d+/);
      assert.match(hot, /\bslower\b/);
      await frame.locator('#pv-open-diff').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(artifacts, 'prove-profile-section.png') });
      if (process.env.HOTPATH_UPDATE_SCREENSHOT === '1') {
        // The README picture: the section alone, with room (no output panel below it).
        await runCommand(page, 'View: Hide Panel', 8000).catch(() => {});
        await frame.locator('#pv-profile').scrollIntoViewIfNeeded();
        // Down to the functions' table (the noise notes below it would double the .vsix's picture bytes).
        await updateReadmePicture(page, repo, 'where-time-moved.png', { element: frame.locator('#pv-profile'), to: frame.locator('#pv-profile-table') });
      }

      const diffTab = page.locator('.tabs-container .tab', { hasText: 'Hotpath Diff' });
      assert.strictEqual(await diffTab.count(), 0, 'no diff panel before the click');
      await frame.locator('#pv-open-diff').click();
      await diffTab.first().waitFor({ state: 'visible', timeout: 60_000 });
      const diffFrame = await webviewFrame(page);
      await diffFrame.locator('body[data-ready="true"]').waitFor({ timeout: 60_000 });
      assert.match(await diffFrame.locator('body').innerText(), /hotLoop/);
      await page.screenshot({ path: path.join(artifacts, 'prove-open-profile-diff.png') });
    } finally {
      fs.rmSync(path.join(folder, '.git'), { recursive: true, force: true });
      fs.rmSync(script, { force: true });
      if (!hadSettings) fs.rmSync(settingsDir, { recursive: true, force: true });
      // The comparison's two benchmark records (the profiled runs stay in Profile Runs; later tests count only their own).
      for (const f of fs.existsSync(benchStore) ? fs.readdirSync(benchStore) : []) if (!benchBefore.has(f)) fs.rmSync(path.join(benchStore, f), { force: true });
    }
  },
};
