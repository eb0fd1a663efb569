// Issue 14 item 5 for the ranking table: "Hotpath: Show Ranking Table" ranks the fixture
// workspace and shows its modules; at 480, 900 and 1400 px wide the key columns (module, score,
// risk) come first and are neither clipped nor off screen. Screenshots:
// test-results/ranking-table-<width>.png. (Part of the panel width tests: HOTPATH_UI_GREP='px wide'.)
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { openWorkbench, runCommand, webviewFrame, assertFitsWidths, updateReadmePicture } = require('./workbench');

module.exports = {
  name: 'Ranking table fits 480 to 1400 px wide: module, score and risk first, never clipped',
  timeoutMs: 180_000,
  async run({ page, folder, server, repo, artifacts }) {
    // A module with a long path, as real projects have (removed afterwards: the UI tests share a workspace).
    const deep = path.join(folder, 'src', 'features', 'reporting', 'exporters', 'spreadsheetExporterWithFormulas.js');
    fs.mkdirSync(path.dirname(deep), { recursive: true });
    fs.writeFileSync(deep, "'use strict';\nconst zlib = require('zlib');\nexports.exportAll = (rows) => zlib.gzipSync(JSON.stringify(rows.map((r) => ({ ...r }))));\n");
    try {
      await check({ page, folder, server, repo, artifacts });
    } finally {
      fs.rmSync(path.join(folder, 'src'), { recursive: true, force: true });
    }
  },
};

async function check({ page, folder, server, repo, artifacts }) {
  await openWorkbench(page, server, folder);
  await runCommand(page, 'Hotpath: Show Ranking Table');
  const frame = await webviewFrame(page);
  await frame.locator('#rows tr').first().waitFor({ timeout: 90_000 });
  const heads = await frame.locator('thead th').allTextContents();
  assert.deepStrictEqual(heads.slice(0, 3).map((h) => h.replace(/[ ▲▼]+$/, '')), ['Module', 'Score', 'Risk']);
  const modules = await frame.locator('#rows tr td:first-child').allTextContents();
  assert.ok(modules.some((m) => m.includes('spreadsheetExporterWithFormulas.js')) && modules.length >= 3, modules.join(', '));
  await assertFitsWidths(page, frame, {
    artifacts, name: 'ranking-table', selector: 'thead th:nth-child(-n+3), #rows td:nth-child(-n+3)',
    each: (width) => (width === 900 ? updateReadmePicture(page, repo, 'ranking.png') : undefined),
  });
}
