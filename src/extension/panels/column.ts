// Where a new panel opens: beside the editor the user is in, never in a third editor group (a
// third group of about 330 px clipped every table). With one group, a second one is made beside
// it; with two or more, the neighbouring group is used; when a panel (not a text editor) is
// active, the new panel joins its group as a tab.
import * as vscode from 'vscode';

export function panelColumn(): vscode.ViewColumn {
  const groups = vscode.window.tabGroups.all;
  const active = vscode.window.tabGroups.activeTabGroup;
  const editorActive = !!vscode.window.activeTextEditor && active?.activeTab?.input instanceof vscode.TabInputText;
  if (!editorActive) return active?.activeTab ? active.viewColumn : vscode.ViewColumn.Active;
  if (groups.length < 2) return vscode.ViewColumn.Beside;
  const i = groups.indexOf(active);
  return (groups[i + 1] ?? groups[i - 1] ?? active).viewColumn;
}
