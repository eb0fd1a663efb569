// Kept apart from stores.ts (which loads the bench and checkpoint cores) for what activation needs.
import * as vscode from 'vscode';

/** The workspace folder holding `dir` (or `dir` itself outside every folder). */
export function rootFor(dir: string): string {
  return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir))?.uri.fsPath ?? dir;
}
