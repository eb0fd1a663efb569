// Fixes code actions inside a real extension host: the lazy-load action is listed with its
// kind and preferred flag, its edits come from resolveCodeAction, the unsafe one is disabled
// with its reason, and the edits turn the file into the lazy form.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { extension, workspaceDir } from './lib/helpers';

const SOURCE = `'use strict';
const ts = require('typescript');
const lodash = require('lodash');
console.log(typeof lodash);
exports.version = function version() {
  return ts.version;
};
`;

describe('fixes: code actions', () => {
  let uri: vscode.Uri;
  before(async () => {
    const file = path.join(workspaceDir(), 'lazyTarget.js');
    fs.writeFileSync(file, SOURCE);
    uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    if (!extension().isActive) await extension().activate();
  });

  it('lists the lazy-load refactor for a heavy import and resolves its edits', async () => {
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider', uri, new vscode.Range(1, 0, 1, 0), 'refactor.rewrite.hotpath', 1);
    const lazy = actions.find((a) => a.title.startsWith("Lazy-load 'typescript'"));
    assert.ok(lazy, `actions: ${actions.map((a) => a.title).join(' | ')}`);
    assert.strictEqual(lazy.kind?.value, 'refactor.rewrite.hotpath.lazyImport');
    assert.strictEqual(lazy.isPreferred, true);
    assert.match(lazy.title, /move to the first use/);
    assert.ok(lazy.edit, 'edits resolved');
    const edits = lazy.edit.get(uri);
    assert.ok(edits.length >= 2, 'the import and the use are rewritten');
    const plain = new vscode.WorkspaceEdit();
    plain.set(uri, edits);
    assert.ok(await vscode.workspace.applyEdit(plain));
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.match(text, /function _load_typescript\(\)/);
    assert.match(text, /return _load_typescript\(\)\.version;/);
  });

  it('never offers the lazy-load of an import used at top level as an applicable action', async () => {
    // A known-heavy package (estimate list) used by a top-level statement.
    const doc = await vscode.workspace.openTextDocument(uri);
    const line = doc.getText().split('\n').findIndex((l) => l.includes("require('lodash')"));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider', uri, new vscode.Range(line, 0, line, 0), 'refactor.rewrite.hotpath');
    const unsafe = actions.find((a) => a.title.startsWith("Lazy-load 'lodash'"));
    // vscode.executeCodeActionProvider drops disabled actions (seen on 1.139): the unsafe
    // fix must not come back as an enabled one. Its reason is covered by the unit goldens.
    assert.ok(!unsafe || unsafe.disabled, `offered as applicable: ${unsafe?.title}`);
    // Issue 14 item 8: why it is not offered reads on the line (a hover), not only behind "Show Disabled".
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, 8))) ?? [];
    const why = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).find((t) => t.includes('not offered here'));
    assert.ok(why, `a "not offered here" hover on the lodash line: ${JSON.stringify(hovers.map((h) => h.contents))}`);
    assert.match(why, /Lazy-load 'lodash'.*\*: .+/s);
    const typescript = actions.find((a) => a.title.startsWith("Lazy-load 'typescript'"));
    assert.ok(!typescript, 'typescript was already made lazy by the previous test');
  });

  it('contributes both apply-all commands', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(registered.has('hotpath.fixes.applyLazyInFile'));
    assert.ok(registered.has('hotpath.fixes.applyLazyInWorkspace'));
  });
});
