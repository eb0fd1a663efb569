// "Apply All" commands for a file and for the workspace: one WorkspaceEdit (one undo step) shown
// in the refactor preview, applied behind a checkpoint (one-step rollback), then an offer to
// measure before (the checkpoint) against after (the working tree). VS Code shows entries that
// need confirmation unticked: the user ticks the files to change (the file row ticks all of
// them) and presses Apply; only what was applied is reported.
// - "Apply All Safe Lazy-Loading Fixes in File/Workspace": lazy-import only, no questions.
// - "Apply All Safe Fixes in File…/Workspace…": finds every kind's safe fixes first, then lets
//   the user pick kinds (multi-select quick pick, counts per kind; memoize is never preselected:
//   it pays only for repeated arguments, the same rule as the CLI's `hotpath fixes --kind`).
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ApplyResult, CallCounts, FixKind, ProjectLookup, StartupLabels } from '../../core/refactor';
import { Commands } from '../contributions';
import { applyBehindCheckpoint } from '../prove/checkpoints';
import { type EngineLoader, minimalEdit } from './engine';

const SOURCE_GLOB = '**/*.{js,cjs,mjs,jsx,ts,cts,mts,tsx}';
const EXCLUDE_GLOB = '{**/node_modules/**,**/dist/**,**/out/**,**/.hotpath/**,**/*.d.ts,**/*.min.js}';
const MAX_FILES = 5000;

/** The kinds in the order the quick pick lists them, with what each does. */
export const SAFE_FIX_KINDS: readonly { kind: FixKind; label: string; detail: string }[] = [
  { kind: 'lazy-import', label: 'Lazy-load heavy imports', detail: 'Loads a heavy module on first use; errors from a missing module move there.' },
  { kind: 'type-import', label: "Use 'import type' for type-only imports", detail: "Hygiene: TypeScript's default elision already leaves them out of the JavaScript. Speed only where the build keeps value imports (verbatimModuleSyntax...)." },
  { kind: 'unused-import', label: 'Remove unused imports', detail: 'Only imports without side effects that nothing references.' },
  { kind: 'hoist-constant', label: 'Hoist constants out of functions and loops', detail: 'Regexes, literal arrays/objects only read, require() in loops: built once.' },
  { kind: 'pool-object', label: 'Reuse loop temporaries', detail: 'One object or typed array per loop, reset on each pass instead of allocated.' },
  { kind: 'compile-cache', label: "Turn on V8's compile cache in program entries", detail: 'Not preselected. A bin file (or a private package\'s main) calls module.enableCompileCache() (Node >= 22.1, a no-op before): measured 0.85-0.90x on 2 of 8 real CLIs, no significant difference on 6.' },
  { kind: 'memoize', label: 'Memoize pure functions', detail: 'Not preselected. Only functions whose calls a measured run counted (`hotpath fixes --calls -- <command>`) with a paying hit rate.' },
];
const KIND_NAMES = new Set<string>(SAFE_FIX_KINDS.map((k) => k.kind));

/** Automation form of "Apply All Safe Fixes in File…/Workspace…" (skips the pickers). */
export interface ApplySafeArgs {
  /** The kinds to apply; without it the quick pick asks. memoize applies only when named. */
  kinds?: FixKind[];
  /** The file (File… command); default the active editor's. */
  uri?: vscode.Uri | string;
  /** false: apply without the refactor preview (scripts, tests). Default true. */
  preview?: boolean;
}

export interface ApplySafeResult {
  applied: boolean;
  /** Fixes applied, by kind. */
  byKind: Partial<Record<FixKind, number>>;
  fixes: number;
  files: string[];
  checkpoint?: { id: string; store: string; root: string };
}

/** One file's planned change. */
interface Planned { doc: vscode.TextDocument; before: string; result: ApplyResult }

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function countByKind(results: Planned[]): Partial<Record<FixKind, number>> {
  const out: Partial<Record<FixKind, number>> = {};
  for (const p of results) for (const f of p.result.applied) out[f.kind] = (out[f.kind] ?? 0) + 1;
  return out;
}

function kindSummary(byKind: Partial<Record<FixKind, number>>): string {
  return SAFE_FIX_KINDS.filter((k) => byKind[k.kind]).map((k) => `${k.kind} ×${byKind[k.kind]}`).join(', ');
}

type CallsOf = (doc: vscode.TextDocument) => CallCounts | undefined;

/** memoize's evidence: the newest counted calls stored at or above a document's folder (read once per folder). */
function callCountsOf(engine: EngineLoader): CallsOf {
  const byFolder = new Map<string, CallCounts | undefined>();
  return (doc) => {
    const folder = path.dirname(doc.uri.fsPath);
    if (!byFolder.has(folder)) byFolder.set(folder, engine.get().loadCallCounts(folder)?.counts);
    return byFolder.get(folder);
  };
}

/** `startup`: the startup plan's labels (a lazy-load that only defers is not applied). */
function plan(engine: EngineLoader, doc: vscode.TextDocument, kinds: FixKind[], project: ProjectLookup, callsOf?: CallsOf, startup?: StartupLabels): Planned | undefined {
  const before = doc.getText();
  const result = engine.get().applySafeFixes(doc.uri.fsPath, before, { kinds, project, calls: kinds.includes('memoize') ? callsOf?.(doc) : undefined, startup });
  return result.applied.length && result.text !== before ? { doc, before, result } : undefined;
}

function addToEdit(edit: vscode.WorkspaceEdit, p: Planned, preview: boolean, label: string, description: string): void {
  const e = minimalEdit(p.doc, p.before, p.result.text);
  edit.replace(p.doc.uri, e.range, e.newText, { needsConfirmation: preview, label, description });
}

/** A checkpoint of a batch of which nothing was applied would only be a no-op rollback target. */
function dropCheckpoint(checkpoint: { id: string; store: string } | undefined): void {
  if (checkpoint) fs.rmSync(path.join(checkpoint.store, checkpoint.id), { recursive: true, force: true });
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

async function openDoc(uri: vscode.Uri | string | undefined): Promise<vscode.TextDocument | undefined> {
  if (typeof uri === 'string') return vscode.workspace.openTextDocument(vscode.Uri.file(uri));
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  return vscode.window.activeTextEditor?.document;
}

/** The workspace's source files, read through the editor (unsaved changes included). */
async function workspaceDocs(title: string): Promise<vscode.TextDocument[] | undefined> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const uris = await vscode.workspace.findFiles(SOURCE_GLOB, EXCLUDE_GLOB, MAX_FILES, token);
    const docs: vscode.TextDocument[] = [];
    for (const [i, uri] of uris.entries()) {
      if (token.isCancellationRequested) return undefined;
      progress.report({ message: `${i + 1}/${uris.length}`, increment: 100 / uris.length });
      try {
        docs.push(await vscode.workspace.openTextDocument(uri));
      } catch {
        // Unreadable or binary: skipped, like the CLI does.
      }
    }
    return docs;
  });
}

// ---- Lazy-loading only (kept as they were) ----

async function applyLazy(engine: EngineLoader, docs: vscode.TextDocument[], output?: vscode.OutputChannel, startup?: StartupLabels): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  const project = engine.get().createProjectLookup();
  const planned: Planned[] = [];
  let count = 0;
  let files = 0;
  for (const doc of docs) {
    let p: Planned | undefined;
    try {
      p = plan(engine, doc, ['lazy-import'], project, undefined, startup);
    } catch (err) {
      if (docs.length === 1) throw err; // one file: say why; a workspace scan skips it, like the CLI
      continue;
    }
    if (!p) continue;
    planned.push(p);
    addToEdit(edit, p, true, `Lazy-load ${p.result.applied.map((f) => `'${f.module}'`).join(', ')}`, 'Loads on first use; errors from a missing module move there.');
    count += p.result.applied.length;
    files++;
  }
  if (count === 0) {
    void vscode.window.showInformationMessage('Hotpath: no safe lazy-loading fix to apply.');
    return;
  }
  const label = `before ${count} lazy-loading fix(es) in ${files} file(s)`;
  const result = await applyBehindCheckpoint(edit, label, output);
  if (!result.applied) return;
  // The refactor preview applies only the files the user ticked.
  const done = planned.filter((p) => p.doc.getText() === p.result.text);
  if (!done.length) {
    dropCheckpoint(result.checkpoint);
    void vscode.window.showInformationMessage('Hotpath: no lazy-loading fix was applied (none was ticked in the Refactor Preview).');
    return;
  }
  count = done.reduce((n, p) => n + p.result.applied.length, 0);
  files = done.length;
  const undo = result.checkpoint ? ' "Hotpath: Roll Back to Checkpoint…" undoes the batch in one step.' : '';
  await offerMeasure(`Hotpath: applied ${count} lazy-loading fix(es) in ${files} file(s). Errors from a missing module now appear at first use.${undo}`, result.checkpoint);
}

export async function applyAllInFile(engine: EngineLoader, uri?: vscode.Uri, output?: vscode.OutputChannel, startup?: StartupLabels): Promise<void> {
  const doc = await openDoc(uri);
  if (!doc) {
    void vscode.window.showWarningMessage('Hotpath: open a JavaScript or TypeScript file first.');
    return;
  }
  await applyLazy(engine, [doc], output, startup);
}

export async function applyAllInWorkspace(engine: EngineLoader, output?: vscode.OutputChannel, startup?: StartupLabels): Promise<void> {
  const docs = await workspaceDocs('Hotpath: finding safe lazy-loading fixes');
  if (docs) await applyLazy(engine, docs, output, startup);
}

// ---- Every safe kind, picked by the user ----

/** Safe fixes a first analysis finds per kind (what the quick pick counts; rounds may add more). */
function countCandidates(engine: EngineLoader, docs: vscode.TextDocument[], project: ProjectLookup, callsOf: CallsOf, startup?: StartupLabels): Map<FixKind, { fixes: number; files: Set<string> }> {
  const e = engine.get();
  const allKinds = SAFE_FIX_KINDS.map((k) => k.kind);
  const counts = new Map<FixKind, { fixes: number; files: Set<string> }>();
  for (const doc of docs) {
    let fixes;
    try { fixes = e.analyzeFile(doc.uri.fsPath, doc.getText(), { kinds: allKinds, project, calls: callsOf(doc), startup }); } catch { continue; }
    for (const f of fixes) {
      if (!e.isApplicable(f, { kinds: allKinds })) continue;
      const c = counts.get(f.kind) ?? { fixes: 0, files: new Set<string>() };
      c.fixes++;
      c.files.add(doc.uri.fsPath);
      counts.set(f.kind, c);
    }
  }
  return counts;
}

async function pickKinds(counts: Map<FixKind, { fixes: number; files: Set<string> }>, where: string, many: boolean): Promise<FixKind[] | undefined> {
  type Item = vscode.QuickPickItem & { fixKind: FixKind };
  const items: Item[] = SAFE_FIX_KINDS.filter((k) => counts.has(k.kind)).map((k) => {
    const c = counts.get(k.kind)!;
    return {
      label: k.label,
      description: `${k.kind} · ${plural(c.fixes, 'safe fix', 'safe fixes')}${many ? ` in ${plural(c.files.size, 'file')}` : ''}`,
      detail: k.detail,
      picked: k.kind !== 'memoize' && k.kind !== 'compile-cache',
      fixKind: k.kind,
    };
  });
  const picked = await vscode.window.showQuickPick(items, {
    title: `Hotpath: Apply All Safe Fixes in ${where}…`,
    placeHolder: 'Which kinds of fix? (memoize only when chosen: measure before keeping it)',
    canPickMany: true,
  });
  return picked?.length ? picked.map((p) => p.fixKind) : undefined;
}

async function applySafe(engine: EngineLoader, docs: vscode.TextDocument[], where: 'File' | 'Workspace', a: ApplySafeArgs, output?: vscode.OutputChannel, startup?: StartupLabels): Promise<ApplySafeResult | undefined> {
  const none: ApplySafeResult = { applied: false, byKind: {}, fixes: 0, files: [] };
  const project = engine.get().createProjectLookup();
  const callsOf = callCountsOf(engine);
  let kinds = a.kinds;
  if (kinds) {
    const bad = kinds.find((k) => !KIND_NAMES.has(k));
    if (bad) throw new Error(`unknown fix kind '${bad}' (expected ${[...KIND_NAMES].join(', ')})`);
  } else {
    const counts = countCandidates(engine, docs, project, callsOf, startup);
    if (counts.size === 0) {
      void vscode.window.showInformationMessage(`Hotpath: no safe fix to apply in ${where === 'File' ? 'this file' : 'the workspace'}.`);
      return none;
    }
    kinds = await pickKinds(counts, where, where === 'Workspace');
    if (!kinds) return undefined;
  }
  const planned: Planned[] = [];
  for (const doc of docs) {
    try {
      const p = plan(engine, doc, kinds, project, callsOf, startup);
      if (p) planned.push(p);
    } catch (err) {
      output?.appendLine(`fixes: skipped ${doc.uri.fsPath}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (!planned.length) {
    if (!a.kinds) void vscode.window.showInformationMessage(`Hotpath: no safe fix of the chosen kinds to apply in ${where === 'File' ? 'this file' : 'the workspace'}.`);
    return none;
  }
  const byKind = countByKind(planned);
  const count = planned.reduce((n, p) => n + p.result.applied.length, 0);
  const edit = new vscode.WorkspaceEdit();
  for (const p of planned) {
    const own = countByKind([p]);
    addToEdit(edit, p, a.preview !== false, `${path.basename(p.doc.uri.fsPath)}: ${plural(p.result.applied.length, 'safe fix', 'safe fixes')} (${kindSummary(own)})`,
      p.result.applied.map((f) => f.title).join('; '));
  }
  const files = planned.map((p) => p.doc.uri.fsPath);
  const label = `before ${plural(count, 'safe fix', 'safe fixes')} (${kindSummary(byKind)}) in ${plural(files.length, 'file')}`;
  const result = await applyBehindCheckpoint(edit, label, output);
  if (!result.applied) return none;
  // The refactor preview applies only the files the user ticked: report those.
  const done = planned.filter((p) => p.doc.getText() === p.result.text);
  if (!done.length) {
    dropCheckpoint(result.checkpoint);
    void vscode.window.showInformationMessage('Hotpath: no fix was applied (none was ticked in the Refactor Preview).');
    return none;
  }
  const doneByKind = countByKind(done);
  const doneCount = done.reduce((n, p) => n + p.result.applied.length, 0);
  const doneFiles = done.map((p) => p.doc.uri.fsPath);
  const undo = result.checkpoint ? ' "Hotpath: Roll Back to Checkpoint…" undoes the batch in one step.' : '';
  const message = `Hotpath: applied ${plural(doneCount, 'safe fix', 'safe fixes')} (${kindSummary(doneByKind)}) in ${plural(doneFiles.length, 'file')}.${undo}`;
  // Automation gets the result at once; the offer to measure stays a notification.
  if (a.kinds) void offerMeasure(message, result.checkpoint);
  else await offerMeasure(message, result.checkpoint);
  return { applied: true, byKind: doneByKind, fixes: doneCount, files: doneFiles, checkpoint: result.checkpoint };
}

const obj = (v: unknown): ApplySafeArgs => (typeof v === 'object' && v !== null && !(v instanceof vscode.Uri) ? v as ApplySafeArgs : {});

/** "Apply All Safe Fixes in File…". `arg`: a Uri (explorer/editor context) or ApplySafeArgs. */
export async function applySafeInFile(engine: EngineLoader, arg?: unknown, output?: vscode.OutputChannel, startup?: StartupLabels): Promise<ApplySafeResult | undefined> {
  const a = obj(arg);
  const doc = await openDoc(arg instanceof vscode.Uri ? arg : a.uri);
  if (!doc || doc.uri.scheme !== 'file' || !engine.get().isSourceFile(doc.uri.fsPath)) {
    void vscode.window.showWarningMessage('Hotpath: open a JavaScript or TypeScript file first.');
    return undefined;
  }
  return applySafe(engine, [doc], 'File', a, output, startup);
}

/** "Apply All Safe Fixes in Workspace…". */
export async function applySafeInWorkspace(engine: EngineLoader, arg?: unknown, output?: vscode.OutputChannel, startup?: StartupLabels): Promise<ApplySafeResult | undefined> {
  const a = obj(arg);
  const docs = await workspaceDocs('Hotpath: finding safe fixes');
  if (!docs) return undefined;
  return applySafe(engine, docs, 'Workspace', a, output, startup);
}
