// Where benchmarks and checkpoints live: `<workspace folder>/.hotpath/bench`, and checkpoints
// where the CLI keeps them (`hotpath fixes --apply`, `checkpoints`, `rollback`): `.hotpath/checkpoints`
// in the top folder of the git repository holding the workspace folder, else in the folder itself.
import * as fs from 'fs';
import * as vscode from 'vscode';
import { defaultBenchStore } from '../../core/bench';
import { checkpointStoreFor as coreCheckpointStoreFor, defaultCheckpointStore } from '../../core/checkpoint';

import { rootFor } from './root';

export { rootFor };

export function benchStores(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((f) => defaultBenchStore(f.uri.fsPath));
}

export function benchStoreFor(cwd: string): string {
  return defaultBenchStore(rootFor(cwd));
}

/**
 * The checkpoint stores of the workspace folders (one per repository), plus a folder's own
 * `.hotpath/checkpoints` when an older Hotpath made one there (its checkpoints stay listed).
 */
export function checkpointStores(): string[] {
  const stores = (vscode.workspace.workspaceFolders ?? []).flatMap((f) => {
    const legacy = defaultCheckpointStore(f.uri.fsPath);
    return [checkpointStoreFor(f.uri.fsPath), ...(fs.existsSync(legacy) ? [legacy] : [])];
  });
  return [...new Set(stores)];
}

/** The store for checkpoints of files under `root` (the CLI's rule; no git runs, so also in untrusted folders). */
export function checkpointStoreFor(root: string): string {
  return coreCheckpointStoreFor(root);
}

/** The folder commands run in when none is given: the active editor's folder, else the first. */
export function defaultCwd(): string | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return (uri && vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath) ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}
