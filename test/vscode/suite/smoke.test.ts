// The harness itself: this runs in a real VS Code extension host on the fixture workspace.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';

describe('VS Code host', () => {
  it('runs a real VS Code with the fixture workspace open', () => {
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    assert.strictEqual(path.basename(folder.uri.fsPath), 'workspace-simple');
  });
});
