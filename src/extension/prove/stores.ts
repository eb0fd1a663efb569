// Where benchmarks and checkpoints live: `<workspace folder>/.hotpath/bench` and
// `<workspace folder>/.hotpath/checkpoints` (the CLI's defaults), one pair per workspace folder.
import * as vscode from 'vscode';
import { defaultBenchStore } from '../../core/bench';
import { defaultCheckpointStore } from '../../core/checkpoint';

/** The workspace folder holding `dir` (or `dir` itself outside every folder). */
export function rootFor(dir: string): string {
  return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir))?.uri.fsPath ?? dir;
}

export function benchStores(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((f) => defaultBenchStore(f.uri.fsPath));
}

export function benchStoreFor(cwd: string): string {
  return defaultBenchStore(rootFor(cwd));
}

export function checkpointRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
}

export function checkpointStoreFor(root: string): string {
  return defaultCheckpointStore(root);
}

/** The folder commands run in when none is given: the active editor's folder, else the first. */
export function defaultCwd(): string | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return (uri && vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath) ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}
