// The ranking feature in a real extension host: the rank command (scan in the engine's worker
// thread), the table panel, and re-scoring a saved file without a rescan.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RankResult } from '../../../src/core/rank/types';
import { RankingTree } from '../../../src/extension/ranking/rankingTree';
import { waitFor, workspaceDir } from './lib/helpers';

describe('ranking', () => {
  const heavy = () => path.join(workspaceDir(), 'heavyReport.js');
  after(() => fs.rmSync(heavy(), { force: true }));

  it('Rank Workspace scans in the worker and ranks the workspace modules with the five factors', async () => {
    const r = await vscode.commands.executeCommand<RankResult | undefined>('hotpath.rankWorkspace');
    assert.ok(r, 'the command resolves to the ranking');
    const main = r.modules.find((m) => m.file === 'main.js');
    assert.ok(main, `main.js ranked; got ${r.modules.map((m) => m.file).join(', ')}`);
    assert.deepStrictEqual(Object.keys(main.factors).sort(), ['cpu', 'heavyDependencies', 'initComplexity', 'memory', 'startupImpact']);
    assert.ok(!r.modules.some((m) => m.file === 'heavyReport.js'));
    // Issue 14 item 11: the tree's icon says the risk; no warning triangle on a low-risk module.
    const tree = new RankingTree({ result: r, onDidChange: () => ({ dispose() {} }) } as unknown as ConstructorParameters<typeof RankingTree>[0]);
    try {
      const icons = tree.getChildren().flatMap((n) => (n.kind === 'module' ? [[n.module.risk, (tree.getTreeItem(n).iconPath as vscode.ThemeIcon).id]] : []));
      assert.ok(icons.length > 0);
      for (const [risk, icon] of icons) assert.strictEqual(icon, risk === 'high' ? 'warning' : risk === 'medium' ? 'info' : 'pass', JSON.stringify(icons));
    } finally {
      tree.dispose();
    }
  });

  it('saving a new file re-scores it without a rescan, and the table panel opens', async () => {
    fs.writeFileSync(heavy(), "const ts = require('typescript');\n\nmodule.exports = (code) => ts.createSourceFile('x.ts', code, 99).statements.length;\n");
    const doc = await vscode.workspace.openTextDocument(heavy());
    await vscode.window.showTextDocument(doc);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(0, 0), '// report helper\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    // The web workbench sometimes refuses a save right after the edit: retry briefly.
    let saved = false;
    for (let i = 0; i < 10 && !saved; i++) {
      saved = await doc.save();
      if (!saved) await new Promise((r) => setTimeout(r, 300));
    }
    assert.ok(saved, `saved ${doc.uri.fsPath} (dirty: ${doc.isDirty})`);
    const r = await vscode.commands.executeCommand<RankResult | undefined>('hotpath.showRankingTable');
    assert.ok(r);
    const m = r.modules.find((x) => x.file === 'heavyReport.js');
    assert.ok(m, 'the saved file is in the ranking');
    assert.deepStrictEqual(m.patterns.map((p) => [p.kind, p.sites[0].line]), [['lazy-load', 2]]);
    // Earlier suites profile main.js, so its measured factors may outrank any estimate (by design):
    // among the modules scored from static signals only, the heavy top-level import ranks first.
    const estimatedOnly = r.modules.filter((x) => !Object.values(x.factors).some((f) => f.measured));
    assert.strictEqual(estimatedOnly[0]?.file, 'heavyReport.js', 'a top-level TypeScript import used in one function ranks first among estimated modules');
    const tableTab = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('hotpath.rankingTable'));
    const describeTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .map((t) => `${t.label} [${t.input instanceof vscode.TabInputWebview ? t.input.viewType : typeof t.input}]`).join(', ');
    await waitFor('the ranking table tab', () => !!tableTab(), 10_000).catch((err) => assert.fail(`${err.message}; tabs: ${describeTabs()}`));
  });
});
