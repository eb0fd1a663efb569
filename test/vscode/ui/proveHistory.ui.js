// "Hotpath: Benchmark Command…" from the palette with a custom command line: the benchmark
// history panel draws the stored result (one point, n = 5), and after "Developer: Reload Window"
// the panel comes back through its serializer with the same data.
// Screenshot: test-results/prove-history-panel.png.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { openWorkbench, runCommand, pickItem, webviewFrame, quickInput } = require('./workbench');

async function proveState(page) {
  const frame = await webviewFrame(page);
  await frame.locator('body[data-ready="true"]').waitFor({ timeout: 60_000 });
  return { frame, state: await frame.evaluate(() => window.hotpathProve.state()) };
}

module.exports = {
  name: 'Benchmark Command… shows the history panel, which survives a window reload',
  timeoutMs: 240_000,
  // A new window: it writes .vscode/settings.json (bench runs) just before; a window already open
  // reads that file some time later (seen: n = 10, the default, in a shared window).
  freshWorkbench: true,
  async run({ page, server, folder, artifacts }) {
    fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify({ 'hotpath.bench.runs': 5, 'hotpath.bench.warmup': 0 }, null, 2));
    fs.writeFileSync(path.join(folder, 'ui-bench.js'), 'const t = Date.now();\nwhile (Date.now() - t < 50);\n');
    await openWorkbench(page, server, folder);
    await runCommand(page, 'Hotpath: Benchmark Command…');
    await pickItem(page, 'Custom command line');
    const input = quickInput(page).locator('input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill('node ui-bench.js');
    await page.keyboard.press('Enter');

    const { frame, state } = await proveState(page);
    assert.strictEqual(state.kind, 'history');
    assert.deepStrictEqual(state.datasets.map((d) => d.points), [1], JSON.stringify(state));
    const summary = await frame.locator('#pv-summary').textContent();
    assert.match(summary, /1 benchmark\(s\) of node ui-bench\.js\. Latest .*median [\d.]+ ms \(95 % CI [\d.]+ ms–[\d.]+ ms\), n = 5\./);
    const stored = fs.readdirSync(path.join(folder, '.hotpath', 'bench')).filter((f) => f.endsWith('.json'));
    assert.strictEqual(stored.length, 1, `stored: ${stored}`);
    await runCommand(page, 'View: Hide Panel', 8000).catch(() => {});
    await page.keyboard.press('Escape');
    await page.screenshot({ path: path.join(artifacts, 'prove-history-panel.png') });

    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    const restored = await proveState(page);
    assert.strictEqual(restored.state.kind, 'history');
    assert.deepStrictEqual(restored.state.datasets.map((d) => d.points), [1], 'the restored panel draws the stored benchmark');
  },
};
