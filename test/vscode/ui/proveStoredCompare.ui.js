// "Hotpath: Compare Before/After…" through its quick picks, the cheapest path: two benchmarks
// stored beforehand with the CLI (`node dist/cli.js bench`, a 300 ms and a 20 ms spin), then
// "Two stored benchmarks", before, after: the compare panel draws both sides (n = 5 each) with
// the same verdict sentence as `hotpath compare <before> <after>`. Removes the two records afterwards (the UI tests share one workspace).
// Screenshot: test-results/prove-compare-panel.png.
'use strict';
const assert = require('assert');
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { openWorkbench, runCommand, pickItem, webviewFrame, assertFitsWidths } = require('./workbench');

const spin = (ms) => `const t = Date.now();\nwhile (Date.now() - t < ${ms});\n`;

module.exports = {
  name: 'Compare Before/After… with two stored benchmarks through the quick picks; fits 480-1400 px wide',
  timeoutMs: 240_000,
  async run({ page, server, folder, repo, artifacts }) {
    const script = path.join(folder, 'ui-compare.js');
    const store = path.join(folder, '.hotpath', 'bench');
    const created = [];
    const bench = (label, ms) => {
      fs.writeFileSync(script, spin(ms));
      const out = execFileSync(process.execPath, [path.join(repo, 'dist', 'cli.js'), 'bench', '--runs', '5', '--warmup', '0', '--label', label, '--json', '--', 'node', 'ui-compare.js'],
        { cwd: folder, encoding: 'utf8', timeout: 120_000 });
      const record = JSON.parse(out);
      assert.ok(record.file && fs.existsSync(record.file), `stored: ${out.slice(0, 300)}`);
      assert.strictEqual(path.dirname(record.file), store);
      created.push(record.file);
      return record;
    };
    try {
      const slow = bench('ui-before', 300);
      const fast = bench('ui-after', 20);
      await openWorkbench(page, server, folder);
      await runCommand(page, 'Hotpath: Compare Before/After…');
      await pickItem(page, 'Two stored benchmarks');
      await pickItem(page, 'ui-before');
      await pickItem(page, 'ui-after');

      const frame = await webviewFrame(page);
      await frame.locator('body[data-ready="true"]').waitFor({ timeout: 60_000 });
      const state = await frame.evaluate(() => window.hotpathProve.state());
      assert.strictEqual(state.kind, 'compare', JSON.stringify(state));
      assert.deepStrictEqual(state.datasets.map((d) => d.points), [5, 5], JSON.stringify(state));
      // The verdict is the core's, on the stored samples: the same sentence as `hotpath compare`.
      // (No fixed verdict: with node's start-up at ~1 s on a loaded 2-core machine, even a
      // 1000 ms against 20 ms spin was not significant at n = 5+5 in one run.)
      const cli = JSON.parse(execFileSync(process.execPath, [path.join(repo, 'dist', 'cli.js'), 'compare', slow.id, fast.id, '--json'], { cwd: folder, encoding: 'utf8', timeout: 60_000 }));
      assert.strictEqual(state.sentence, cli.sentence);
      assert.match(state.sentence, /n = 5\+5$/);
      // Before and after are the records picked, in that order.
      assert.match(state.datasets[0].label, /ui-before/, JSON.stringify(state.datasets));
      assert.match(state.datasets[1].label, /ui-after/, JSON.stringify(state.datasets));
      await page.screenshot({ path: path.join(artifacts, 'prove-compare-panel.png') });
      // Issue 14 item 5: at 480, 900 and 1400 px the key columns (side, n, failed, median, 95 % CI)
      // are neither clipped nor off screen, and the verdict sentence is not cut.
      await assertFitsWidths(page, frame, { artifacts, name: 'prove-compare', selector: '#pv-table tr > :nth-child(-n+5), .pv-verdict, .pv-sentence, h1, h2' });
    } finally {
      for (const f of created) fs.rmSync(f, { force: true });
      fs.rmSync(script, { force: true });
    }
  },
};
