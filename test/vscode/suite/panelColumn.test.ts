// Issue 14 item 5: the compare panel opened in a third editor group of about 330 px. New panels
// open beside the active editor: with two groups already, in the other one, never a third.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { waitFor, workspaceDir, type CommandResult } from './lib/helpers';

const describeGroups = () => vscode.window.tabGroups.all.map((g) => `[${g.viewColumn}: ${g.tabs.map((t) => t.label).join(', ')}]`).join(' ');

describe('panels open beside the active editor', function () {
  this.timeout(180_000);
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.joinAllGroups');
  });

  it('with two editor groups, the flame panel opens in the other group, not a third', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.joinAllGroups');
    const file = vscode.Uri.file(path.join(workspaceDir(), 'main.js'));
    await vscode.window.showTextDocument(file, { viewColumn: vscode.ViewColumn.One });
    await vscode.window.showTextDocument(file, { viewColumn: vscode.ViewColumn.Two });
    await waitFor('two editor groups', () => vscode.window.tabGroups.all.length === 2);
    // The user is in the left editor.
    await vscode.window.showTextDocument(file, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
    await waitFor('the left group active', () => vscode.window.tabGroups.activeTabGroup.viewColumn === vscode.ViewColumn.One);
    const result = await vscode.commands.executeCommand<CommandResult>('hotpath.profile', { command: 'node main.js', cwd: workspaceDir() });
    assert.ok(result?.panelId, 'a flame panel opened');
    const panelTab = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => ({ g, t })))
      .find(({ t }) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('hotpath.flame'));
    const found = await waitFor('the flame panel tab', () => panelTab(), 20_000).catch((err: Error) => assert.fail(`${err.message}; groups ${describeGroups()}`));
    assert.strictEqual(vscode.window.tabGroups.all.length, 2, `no third group: ${describeGroups()}`);
    assert.strictEqual(found.g.viewColumn, vscode.ViewColumn.Two, `beside the active editor: ${describeGroups()}`);
  });
});
