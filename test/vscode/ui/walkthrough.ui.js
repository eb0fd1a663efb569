// Issue 14: the Getting Started walkthrough as a new user meets it. "Welcome: Open Walkthrough…"
// lists "Get Started with Hotpath"; it shows the five steps (profile, flame graph, rank, fix,
// prove) with their pictures, and the first step's button runs Hotpath: Profile… (its quick pick
// of targets opens). Screenshot: test-results/walkthrough.png.
'use strict';
const assert = require('assert');
const path = require('path');
const { openWorkbench, runCommand, pickItem, quickInput } = require('./workbench');

const STEPS = ['Profile your program', 'Read the flame graph', 'Rank your modules', 'Apply a fix', 'Prove it'];

module.exports = {
  name: 'Getting Started walkthrough: five steps, and its Profile… button opens the profile picker',
  timeoutMs: 180_000,
  async run({ page, server, folder, artifacts }) {
    await openWorkbench(page, server, folder);
    await runCommand(page, 'Welcome: Open Walkthrough...').catch(() => runCommand(page, 'Welcome: Open Walkthrough…'));
    await pickItem(page, 'Get Started with Hotpath', 30_000);
    const editor = page.locator('.gettingStartedContainer');
    await editor.locator('.getting-started-step', { hasText: STEPS[0] }).first().waitFor({ timeout: 30_000 });
    for (const title of STEPS) {
      assert.strictEqual(await editor.locator('.getting-started-step', { hasText: title }).count(), 1, title);
    }
    // The first step is open with its Markdown (rendered in a webview); the flame step shows its picture.
    await editor.locator('.getting-started-step', { hasText: STEPS[1] }).first().click();
    const img = editor.locator('.getting-started-media img');
    await img.first().waitFor({ state: 'visible', timeout: 20_000 });
    await page.waitForFunction(() => { const i = document.querySelector('.gettingStartedContainer .getting-started-media img'); return i && i.complete && i.naturalWidth > 100; }, null, { timeout: 20_000 });
    await page.screenshot({ path: path.join(artifacts, 'walkthrough.png') });

    await editor.locator('.getting-started-step', { hasText: STEPS[0] }).first().click();
    const button = editor.locator('.getting-started-step.expanded').getByRole('button', { name: 'Profile…' });
    await button.first().click({ timeout: 20_000 });
    // Hotpath: Profile… asks what to profile; "Custom command line…" is always offered.
    await quickInput(page).locator('.monaco-list-row', { hasText: 'Custom command line…' }).first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');
  },
};
