// "Apply All Safe Lazy-Loading Fixes" for a file and for the workspace: one WorkspaceEdit
// (one undo step) shown in the refactor preview, applied behind a checkpoint (one-step
// rollback), then an offer to measure before (the checkpoint) against after (the working tree).
import * as vscode from 'vscode';
import { Commands } from '../contributions';
import { applyBehindCheckpoint } from '../prove/checkpoints';
import { type EngineLoader, minimalEdit } from './engine';

const SOURCE_GLOB = '**/*.{js,cjs,mjs,jsx,ts,cts,mts,tsx}';
const EXCLUDE_GLOB = '{**/node_modules/**,**/dist/**,**/out/**,**/*.d.ts,**/*.min.js}';

async function applyWithPreview(edit: vscode.WorkspaceEdit, count: number, files: number, output?: vscode.OutputChannel): Promise<void> {
  if (count === 0) {
    void vscode.window.showInformationMessage('Hotpath: no safe lazy-loading fix to apply.');
    return;
  }
  const label = `before ${count} lazy-loading fix(es) in ${files} file(s)`;
  const result = await applyBehindCheckpoint(edit, label, output);
  if (!result.applied) return;
  const undo = result.checkpoint ? ' "Hotpath: Roll Back to Checkpoint…" undoes the batch in one step.' : '';
  await offerMeasure(`Hotpath: applied ${count} lazy-loading fix(es) in ${files} file(s). Errors from a missing module now appear at first use.${undo}`, result.checkpoint);
}

/**
 * After a lazy-load: offer to measure. With the batch's checkpoint, before = the checkpoint's
 * files in a temporary copy, after = the working tree, run interleaved; without one (a single
 * code action), the comparison asks what "before" is (a git ref, a checkpoint, stored results).
 */
export async function offerMeasure(message: string, checkpoint?: { id: string; root: string }): Promise<void> {
  const measure = 'Measure before/after';
  const choice = await vscode.window.showInformationMessage(message, measure);
  if (choice !== measure) return;
  await vscode.commands.executeCommand(Commands.compare, checkpoint ? { checkpoint: checkpoint.id, cwd: checkpoint.root } : undefined);
}

function fileEdit(engine: EngineLoader, doc: vscode.TextDocument, edit: vscode.WorkspaceEdit, project: unknown): number {
  const e = engine.get();
  const before = doc.getText();
  const result = e.applySafeFixes(doc.uri.fsPath, before, { kinds: ['lazy-import'], project: project as ReturnType<typeof e.createProjectLookup> });
  if (result.applied.length === 0) return 0;
  edit.replace(doc.uri, minimalEdit(doc, before, result.text).range, minimalEdit(doc, before, result.text).newText, {
    needsConfirmation: true, label: `Lazy-load ${result.applied.map((f) => `'${f.module}'`).join(', ')}`,
    description: 'Loads on first use; errors from a missing module move there.',
  });
  return result.applied.length;
}

export async function applyAllInFile(engine: EngineLoader, uri?: vscode.Uri, output?: vscode.OutputChannel): Promise<void> {
  const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!doc) {
    void vscode.window.showWarningMessage('Hotpath: open a JavaScript or TypeScript file first.');
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  const count = fileEdit(engine, doc, edit, engine.get().createProjectLookup());
  await applyWithPreview(edit, count, count ? 1 : 0, output);
}

export async function applyAllInWorkspace(engine: EngineLoader, output?: vscode.OutputChannel): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  let count = 0;
  let files = 0;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Hotpath: finding safe lazy-loading fixes', cancellable: true }, async (progress, token) => {
    const uris = await vscode.workspace.findFiles(SOURCE_GLOB, EXCLUDE_GLOB, 5000, token);
    const project = engine.get().createProjectLookup();
    for (const [i, uri] of uris.entries()) {
      if (token.isCancellationRequested) return;
      progress.report({ message: `${i + 1}/${uris.length}`, increment: 100 / uris.length });
      try {
        const n = fileEdit(engine, await vscode.workspace.openTextDocument(uri), edit, project);
        count += n;
        if (n) files++;
      } catch {
        // Unreadable or binary: skipped, like the CLI does.
      }
    }
  });
  await applyWithPreview(edit, count, files, output);
}
