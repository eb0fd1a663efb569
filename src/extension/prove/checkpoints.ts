// Checkpoints in VS Code: "Create Checkpoint", "Roll Back to Checkpoint…" (one step, modal
// confirmation listing the files), and applying a batch of fixes behind a checkpoint. Unsaved
// editor changes count as edits: they are saved before a snapshot and reported before a rollback.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  CheckpointRefused, createCheckpoint, listCheckpoints, markApplied, planRollback, rollback, type Checkpoint, type RollbackResult,
} from '../../core/checkpoint';
import { outsideReason, storeOwner } from '../../core/checkpoint/guard';
import type { Services } from '../services';
import { checkpointStoreFor, checkpointStores, defaultCwd, rootFor } from './stores';

const SOURCE_GLOB = '**/*.{js,cjs,mjs,jsx,ts,cts,mts,tsx,json}';
const EXCLUDE_GLOB = '{**/node_modules/**,**/.git/**,**/.hotpath/**,**/dist/**,**/out/**,**/coverage/**}';
const MAX_FILES = 5000;
const MANUAL_LABEL = 'manual checkpoint';

export interface CreateCheckpointArgs {
  /** Files (absolute or relative to `cwd`); default: the workspace folder's source files. */
  files?: string[];
  label?: string;
  cwd?: string;
}

export interface CheckpointSummary {
  id: string;
  root: string;
  label?: string;
  files: number;
  store: string;
}

async function saveDirty(files: string[]): Promise<string[]> {
  const wanted = new Set(files.map((f) => path.resolve(f)));
  const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file' && wanted.has(path.resolve(d.uri.fsPath)));
  for (const d of dirty) await d.save();
  return dirty.map((d) => d.uri.fsPath);
}

/**
 * After applyEdit: saves every edited file until the disk holds the document's text. Saving only
 * the documents reported dirty is not enough: the extension host can learn that a document is
 * dirty only after applyEdit has resolved (seen in the integration tests: the batch stayed
 * unsaved and the checkpoint recorded the old contents as "after"). Bounded: 15 s per file.
 */
async function saveEdited(files: string[]): Promise<void> {
  const onDisk = (f: string): string | undefined => {
    try { return fs.readFileSync(f, 'utf8').replace(/^\uFEFF/, ''); } catch { return undefined; }
  };
  for (const f of files) {
    let doc: vscode.TextDocument;
    try { doc = await vscode.workspace.openTextDocument(vscode.Uri.file(f)); } catch { continue; }
    const until = Date.now() + 15_000;
    while (onDisk(f) !== doc.getText() && Date.now() < until) {
      if (doc.isDirty) await doc.save();
      else await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** "Hotpath: Create Checkpoint": snapshots the workspace's source files (or the given ones) now. */
export async function createCheckpointCommand(services: Services, arg?: unknown): Promise<CheckpointSummary | undefined> {
  const a = (typeof arg === 'object' && arg !== null ? arg : {}) as CreateCheckpointArgs;
  const cwd = typeof a.cwd === 'string' ? a.cwd : defaultCwd();
  if (!cwd) {
    void vscode.window.showWarningMessage('Hotpath: open a folder first; checkpoints are kept per workspace folder.');
    return undefined;
  }
  const root = rootFor(cwd);
  let files: string[];
  if (Array.isArray(a.files) && a.files.every((f) => typeof f === 'string')) files = a.files.map((f) => path.resolve(cwd, f));
  else {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(root));
    const uris = await vscode.workspace.findFiles(folder ? new vscode.RelativePattern(folder, SOURCE_GLOB) : SOURCE_GLOB, EXCLUDE_GLOB, MAX_FILES + 1);
    if (uris.length > MAX_FILES) {
      void vscode.window.showWarningMessage(`Hotpath: more than ${MAX_FILES} source files; a checkpoint snapshots at most ${MAX_FILES}. Use git for a tree this size.`);
      return undefined;
    }
    files = uris.map((u) => u.fsPath);
  }
  if (!files.length) {
    void vscode.window.showWarningMessage('Hotpath: no source file to snapshot in this folder.');
    return undefined;
  }
  const store = checkpointStoreFor(root);
  // A file linked to somewhere outside the folder holding the store (or inside .git/.hotpath) is
  // left out: rolling it back would write there.
  const owner = storeOwner(store);
  const left = files.filter((f) => outsideReason(owner, f));
  if (left.length) {
    files = files.filter((f) => !left.includes(f));
    services.output.appendLine(`Checkpoint: left out ${left.length} file(s) outside ${owner} (links to other folders): ${left.slice(0, 5).join(', ')}${left.length > 5 ? ', …' : ''}`);
    if (!files.length) {
      void vscode.window.showWarningMessage(`Hotpath: every file to snapshot is outside ${owner} (links to other folders); no checkpoint was made.`);
      return undefined;
    }
  }
  // The editor's unsaved changes are part of "now".
  await saveDirty(files);
  // A checkpoint records `git status` when the folder is trusted: a repository's own config
  // (core.fsmonitor, hooks) can make git run programs, so untrusted folders get no git state.
  const cp = await createCheckpoint(store, files, { root, label: typeof a.label === 'string' ? a.label : `${MANUAL_LABEL} (${files.length} files)`, git: vscode.workspace.isTrusted });
  // Nothing is applied after a manual checkpoint: every later change is the user's edit, even
  // one saved while the snapshot was being written.
  markApplied(store, cp.id, { nothingApplied: true });
  services.output.appendLine(`Checkpoint ${cp.id}: ${files.length} file(s) of ${root} saved in ${path.join(store, cp.id)}`);
  if (!arg) void vscode.window.showInformationMessage(`Hotpath: checkpoint saved (${files.length} files). "Hotpath: Roll Back to Checkpoint…" restores them.`);
  return { id: cp.id, root, label: cp.label, files: files.length, store };
}

/** Newest checkpoints first over every workspace folder's store, each with its store. */
export function allCheckpoints(warnings?: string[]): { cp: Checkpoint; store: string }[] {
  return checkpointStores()
    .flatMap((store) => {
      const listed = listCheckpoints(store);
      warnings?.push(...listed.warnings);
      return listed.checkpoints.map((cp) => ({ cp, store }));
    })
    .sort((a, b) => b.cp.id.localeCompare(a.cp.id));
}

export interface RollbackArgs {
  id?: string;
  /** Automation: roll back without the modal; with force, also over later edits. */
  force?: boolean;
}

const rel = (cp: Checkpoint, file: string) => path.relative(cp.root, file) || file;

function listFiles(cp: Checkpoint, files: string[], max = 12): string {
  const shown = files.slice(0, max).map((f) => `  ${rel(cp, f)}`);
  if (files.length > max) shown.push(`  … and ${files.length - max} more`);
  return shown.join('\n');
}

/**
 * In an untrusted workspace a checkpoint is data anyone who could change the folder may have
 * written (a cloned repository can commit one). The core refuses any that reaches outside the
 * folder; on top of that, rolling back asks first, and automation (a command with arguments, which
 * cannot be asked) is refused, as profiling is.
 */
const UNTRUSTED_NOTE = 'This workspace is not trusted. A checkpoint is a set of files in the workspace folder: anyone who could change the folder (a cloned repository, for instance) could have written this one. Roll back only a checkpoint you made.';

function explainUntrustedRollback(): undefined {
  const manage = 'Manage Workspace Trust';
  // Not awaited: the command resolves at once (automation must never wait on a notification).
  void vscode.window
    .showWarningMessage('Hotpath does not roll back checkpoints in an untrusted workspace without asking: run "Hotpath: Roll Back to Checkpoint…" from the Command Palette to confirm, or trust the workspace.', manage)
    .then((choice) => choice === manage && vscode.commands.executeCommand('workbench.trust.manage'));
  return undefined;
}

/** "Hotpath: Roll Back to Checkpoint…". Returns the core's result (or undefined when not confirmed). */
export async function rollbackCommand(services: Services, arg?: unknown): Promise<RollbackResult | undefined> {
  const a = (typeof arg === 'object' && arg !== null ? arg : undefined) as RollbackArgs | undefined;
  const untrusted = !vscode.workspace.isTrusted;
  if (untrusted && a) return explainUntrustedRollback();
  const warnings: string[] = [];
  const candidates = allCheckpoints(warnings).filter((c) => c.cp.state !== 'rolled-back');
  // Checkpoints refused for reaching outside their folder (or with damaged saved copies) are never offered: say so.
  const refused = warnings.filter((w) => /: refused: /.test(w));
  for (const w of refused) services.output.appendLine(`Rollback: ${w}`);
  if (refused.length && !a) void vscode.window.showWarningMessage(`Hotpath: ${refused.length} checkpoint(s) in this workspace were refused and are not offered (they name files outside their folder or their saved copies are damaged); the Hotpath output lists them.`);
  let chosen = a?.id ? allCheckpoints().find((c) => c.cp.id === a.id) : undefined;
  if (a?.id && !chosen) {
    void vscode.window.showErrorMessage(`Hotpath: no checkpoint ${a.id} in this workspace.`);
    return undefined;
  }
  if (!chosen) {
    if (!candidates.length) {
      void vscode.window.showInformationMessage('Hotpath: there is no checkpoint to roll back to. "Hotpath: Create Checkpoint" makes one; applying all lazy-loading fixes makes one too.');
      return undefined;
    }
    if (a) chosen = candidates[0];
    else {
      const picked = await vscode.window.showQuickPick(candidates.map((c) => ({
        label: c.cp.label ?? c.cp.id,
        description: `${new Date(c.cp.createdAt).toLocaleString()} · ${c.cp.files.length} file(s)${c.cp.git ? ` · ${c.cp.git.head.slice(0, 7)}${c.cp.git.dirty ? '*' : ''}` : ''}`,
        detail: c.cp.root,
        c,
      })), { title: 'Hotpath: Roll Back to Checkpoint…', placeHolder: 'Which checkpoint? (newest first)' });
      if (!picked) return undefined;
      chosen = picked.c;
    }
  }
  const { cp, store } = chosen;
  const plan = planRollback(cp);
  const unsaved = vscode.workspace.textDocuments.filter((d) => d.isDirty && cp.files.some((f) => path.resolve(f.path) === path.resolve(d.uri.fsPath)));
  // A manual checkpoint has no batch: every later change is simply a change since the checkpoint.
  const manual = cp.label?.startsWith(MANUAL_LABEL) ?? false;
  const conflicts = [...plan.conflicts.map((c) => `${rel(cp, c.path)} (${manual ? 'changed since the checkpoint' : c.reason})`), ...unsaved.map((d) => `${rel(cp, d.uri.fsPath)} (unsaved changes in the editor)`)];
  const changes = [...plan.restore.map((f) => f.path), ...plan.remove.map((f) => f.path)];
  if (!changes.length && !unsaved.length) {
    void vscode.window.showInformationMessage(`Hotpath: the ${cp.files.length} file(s) of checkpoint "${cp.label ?? cp.id}" already have their checkpoint content; nothing to roll back.`);
    return { ok: true, id: cp.id, restored: [], deleted: [], unchanged: plan.unchanged.map((f) => f.path), conflicts: [] };
  }
  let force = a?.force ?? false;
  if (!a) {
    const anyway = 'Roll back anyway (your edits are saved as a checkpoint)';
    const plain = 'Roll Back';
    const lines = [
      ...(untrusted ? [UNTRUSTED_NOTE, ''] : []),
      `Restores ${plan.restore.length} file(s)${plan.remove.length ? ` and deletes ${plan.remove.length} created by the batch` : ''} to ${cp.label ?? cp.id} (${new Date(cp.createdAt).toLocaleString()}):`,
      listFiles(cp, changes),
    ];
    if (conflicts.length) lines.push('', `Edited after the checkpoint (${conflicts.length}):`, ...conflicts.slice(0, 12).map((c) => `  ${c}`));
    const choice = await vscode.window.showWarningMessage(`Roll back to checkpoint "${cp.label ?? cp.id}"?`, { modal: true, detail: lines.join('\n') }, conflicts.length ? anyway : plain);
    if (!choice) return undefined;
    force = choice === anyway;
  }
  if (unsaved.length) {
    if (!force) {
      void vscode.window.showErrorMessage(`Hotpath: ${unsaved.length} file(s) of the checkpoint have unsaved changes; nothing was rolled back.`);
      return { ok: false, id: cp.id, restored: [], deleted: [], unchanged: [], conflicts: unsaved.map((d) => ({ path: d.uri.fsPath, reason: 'unsaved changes in the editor' })), error: 'unsaved changes' };
    }
    // Saved first, so the forced rollback keeps them in its own checkpoint.
    for (const d of unsaved) await d.save();
  }
  // Untrusted: the checkpoint of the overwritten edits is taken without reading the git state.
  const result = await rollback(store, cp.id, { force, git: vscode.workspace.isTrusted });
  services.output.appendLine(`Rollback of ${cp.id}: ${result.ok ? `restored ${result.restored.length}, deleted ${result.deleted.length}${result.savedAs ? `, your edits saved as checkpoint ${result.savedAs}` : ''}` : result.error}`);
  if (!a) {
    if (result.ok) void vscode.window.showInformationMessage(`Hotpath: rolled back ${result.restored.length + result.deleted.length} file(s) to "${cp.label ?? cp.id}".${result.savedAs ? ' Your later edits are saved as a checkpoint (roll back to it to get them back).' : ''}`);
    else void vscode.window.showErrorMessage(`Hotpath: ${result.error}`);
  }
  return result;
}

/**
 * Applies a batch of edits behind a checkpoint: the files it touches are saved (unsaved changes
 * belong to "before"), snapshotted, the edit applied (refactor preview) and saved, and the
 * checkpoint marked applied. Returns the checkpoint, or undefined when the edit was not applied.
 */
export async function applyBehindCheckpoint(edit: vscode.WorkspaceEdit, label: string, output?: vscode.OutputChannel): Promise<{ applied: boolean; checkpoint?: { id: string; store: string; root: string } }> {
  const uris = edit.entries().map(([uri]) => uri).filter((u) => u.scheme === 'file');
  if (!uris.length) return { applied: await vscode.workspace.applyEdit(edit, { isRefactoring: true }) };
  const files = uris.map((u) => u.fsPath);
  const root = rootFor(path.dirname(files[0]));
  const store = checkpointStoreFor(root);
  await saveDirty(files);
  let cp: Checkpoint;
  try {
    cp = await createCheckpoint(store, files, { root, label, git: vscode.workspace.isTrusted });
  } catch (err) {
    if (!(err instanceof CheckpointRefused)) throw err;
    void vscode.window.showErrorMessage(`Hotpath: no checkpoint could be made, so nothing was changed: ${err.message.replace(/^refused: /, '')}`);
    return { applied: false };
  }
  const applied = await vscode.workspace.applyEdit(edit, { isRefactoring: true });
  if (!applied) {
    fs.rmSync(path.join(store, cp.id), { recursive: true, force: true });
    return { applied: false };
  }
  await saveEdited(files);
  markApplied(store, cp.id);
  output?.appendLine(`Checkpoint ${cp.id} (${label}): ${files.length} file(s) before the batch, in ${path.join(store, cp.id)}`);
  return { applied: true, checkpoint: { id: cp.id, store, root } };
}
