// Opens a frame's source at its line, centred, in the editor group next to the panel.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

/** `line` and `column` are 1-based; 0 means unknown. */
export async function openSource(file: string, line: number, column: number, panelColumn: vscode.ViewColumn | undefined): Promise<vscode.TextEditor | undefined> {
  const uri = file.startsWith('file://') ? vscode.Uri.parse(file) : vscode.Uri.file(file);
  if (!path.isAbsolute(uri.fsPath) || !fs.existsSync(uri.fsPath)) {
    void vscode.window.showWarningMessage(`Hotpath: ${file} is not on disk (it moved, or the profile was recorded elsewhere).`);
    return undefined;
  }
  const position = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
  const range = new vscode.Range(position, position);
  try {
    const editor = await vscode.window.showTextDocument(uri, {
      selection: range,
      viewColumn: panelColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One,
      preview: true,
    });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
    return editor;
  } catch (err) {
    void vscode.window.showErrorMessage(`Hotpath could not open ${file}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}
