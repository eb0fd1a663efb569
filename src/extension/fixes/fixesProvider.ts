// Code actions for the refactor engine's fixes. `provideCodeActions` only lists (one parse per
// document version, cached); the edits are computed in `resolveCodeAction`. A fix applies in one
// click and one undo, as TypeScript's own do; "Preview: …" beside it opens the Refactor Preview.
// Unsafe fixes are shown disabled with the reason, and the reason is also in the line's hover
// (VS Code lists disabled actions only behind "Show Disabled"). Quick fixes attach to the
// profile's hotspot diagnostics.
import * as path from 'path';
import * as vscode from 'vscode';
import type { CallCounts, Fix, FixKind, HeavyModule, ProjectLookup } from '../../core/refactor';
import type { RunStore } from '../runs/runStore';
import { Commands, Diagnostics } from '../contributions';
import type { EngineLoader } from './engine';
import type { StartupLabelCache } from './startupLabels';
import { fileHotspots } from '../runs/profileSource';
import { formatMs, samplingError } from '../annotations/format';

const base = vscode.CodeActionKind.RefactorRewrite.append('hotpath');
export const FixKinds: Record<FixKind, vscode.CodeActionKind> = {
  'lazy-import': base.append('lazyImport'),
  'type-import': base.append('typeImport'),
  'unused-import': base.append('unusedImport'),
  'hoist-constant': base.append('hoist'),
  'pool-object': base.append('pool'),
  'memoize': base.append('memoize'),
  'compile-cache': base.append('compileCache'),
  'replace-dependency': base.append('replaceDependency'),
};

const HOT_FIX_KINDS = new Set<FixKind>(['hoist-constant', 'pool-object', 'memoize']);
/** A function is "hot" for the fixes from this share of the run's CPU time. */
const HOT_SHARE = 0.01;

class FixAction extends vscode.CodeAction {
  /** `preview`: the explicit "Preview: …" choice (opens the Refactor Preview instead of applying). */
  constructor(readonly fix: Fix, readonly uri: vscode.Uri, kind: vscode.CodeActionKind, readonly preview = false) {
    super(preview ? `Preview: ${fix.title}` : fix.title, kind);
  }
}

export class FixesProvider implements vscode.CodeActionProvider<FixAction>, vscode.HoverProvider, vscode.Disposable {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [...Object.values(FixKinds), vscode.CodeActionKind.QuickFix],
  };
  private readonly cache = new Map<string, { version: number; hotspots: boolean; fixes: Fix[] }>();
  /** Hot functions per file of the current profile (cleared with it). */
  private readonly hotByFile = new Map<string, { line: number; label: string }[]>();
  private readonly subscriptions: vscode.Disposable[];
  /** tsconfig/package.json answers, kept until one of those files changes. */
  private project: ProjectLookup | undefined;

  /** Load times measured by the latest stored run (undefined: not read yet). */
  private measured: { heavy?: Map<string, HeavyModule> } | undefined;
  /** Newest counted calls (`hotpath fixes --calls`) per store folder: memoize's evidence. */
  private readonly calls = new Map<string, CallCounts | undefined>();

  constructor(private readonly engine: EngineLoader, private readonly runs: RunStore, private readonly startup?: StartupLabelCache) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/{tsconfig*.json,package.json}');
    const reset = () => { this.project = undefined; this.cache.clear(); };
    // A counting run of `hotpath fixes --calls` brings new memoize evidence.
    const callsWatcher = vscode.workspace.createFileSystemWatcher('**/.hotpath/calls/*.json');
    const resetCalls = () => { this.calls.clear(); this.cache.clear(); };
    this.subscriptions = [
      callsWatcher, callsWatcher.onDidChange(resetCalls), callsWatcher.onDidCreate(resetCalls), callsWatcher.onDidDelete(resetCalls),
      vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString())),
      watcher, watcher.onDidChange(reset), watcher.onDidCreate(reset), watcher.onDidDelete(reset),
      // A new run brings new measurements.
      runs.onDidChangeCurrent(() => { this.measured = undefined; this.cache.clear(); this.hotByFile.clear(); this.startup?.reset(); }),
      runs.onDidChangeRuns(() => { this.cache.clear(); this.startup?.reset(); }),
    ];
  }

  private heavy(): Map<string, HeavyModule> | undefined {
    if (!this.measured) {
      const dir = this.runs.latestDir();
      try {
        this.measured = { heavy: dir ? this.engine.get().readHeavyFromProfile(dir) : undefined };
      } catch {
        this.measured = {}; // a run without import timings or CPU profile: the estimate list only
      }
    }
    return this.measured.heavy;
  }

  /** The newest counted calls stored at or above the file's folder (up to its repository's top). */
  callCounts(file: string): CallCounts | undefined {
    const folder = path.dirname(file);
    if (!this.calls.has(folder)) this.calls.set(folder, this.engine.get().loadCallCounts(folder)?.counts);
    return this.calls.get(folder);
  }

  /** The current profile's measured hot functions in a file, labelled with time ± sampling error. */
  private hotFunctions(file: string): { line: number; label: string }[] {
    const profile = this.runs.current;
    if (!profile) return [];
    let hot = this.hotByFile.get(file);
    if (!hot) {
      hot = fileHotspots(profile, file).functions
        .filter((f) => f.samples > 0 && (profile.sampledMs <= 0 || f.selfMs / profile.sampledMs >= HOT_SHARE))
        .map((f) => {
          const err = samplingError(f.selfMs, f.samples);
          return { line: f.line, label: `${formatMs(f.selfMs)}${Number.isFinite(err) ? ` ± ${formatMs(err)}` : ''} self time measured, ${f.samples} samples` };
        });
      this.hotByFile.set(file, hot);
    }
    return hot;
  }

  /** Fixes of a document version: cheap analysis, cached until the document changes. */
  fixesFor(doc: vscode.TextDocument, hotspots: boolean): Fix[] {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version && hit.hotspots === hotspots) return hit.fixes;
    // With a hotspot diagnostic in the file, every import may be the heavy one: offer all.
    const engine = this.engine.get();
    this.project ??= engine.createProjectLookup();
    const fixes = engine.analyzeFile(doc.uri.fsPath, doc.getText(), {
      lazyAll: hotspots, project: this.project, heavy: this.heavy(), hotFunctions: this.hotFunctions(doc.uri.fsPath), calls: this.callCounts(doc.uri.fsPath),
      // A run profiled for a startup plan: lazy-loads that leave the module loaded at startup are not preferred.
      startup: this.startup?.get(),
    });
    this.cache.set(key, { version: doc.version, hotspots, fixes });
    return fixes;
  }

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): FixAction[] {
    if (doc.uri.scheme !== 'file') return [];
    const hotspots = context.diagnostics.filter((d) => d.code === Diagnostics.hotspotCode || (typeof d.code === 'object' && d.code.value === Diagnostics.hotspotCode));
    const actions: FixAction[] = [];
    const previews: FixAction[] = [];
    for (const fix of this.fixesFor(doc, hotspots.length > 0)) {
      const line = fix.line - 1;
      let diagnostic = hotspots.find((d) => d.range.start.line <= line && line <= d.range.end.line);
      // Hot-code fixes inside a function the profile measured also attach to its hotspot diagnostic.
      if (!diagnostic && fix.hot && HOT_FIX_KINDS.has(fix.kind)) diagnostic = hotspots.find((d) => d.range.start.line < line && this.hotFunctions(doc.uri.fsPath).some((h) => h.line - 1 === d.range.start.line && h.label === fix.hot));
      if (!diagnostic && (line < range.start.line || line > range.end.line)) continue;
      const kind = diagnostic && (fix.kind === 'lazy-import' || HOT_FIX_KINDS.has(fix.kind)) ? vscode.CodeActionKind.QuickFix : FixKinds[fix.kind];
      if (context.only && !context.only.contains(kind)) continue;
      const action = new FixAction(fix, doc.uri, kind);
      action.isPreferred = fix.preferred;
      if (diagnostic) action.diagnostics = [diagnostic];
      if (!fix.safe) action.disabled = { reason: fix.reason ?? 'Not safe here.' };
      // Runs after the edit is applied: offers to measure the startup change.
      if (fix.kind === 'lazy-import') action.command = { command: Commands.lazyFixApplied, title: 'Measure before/after', arguments: [fix.module] };
      actions.push(action);
      if (fix.safe) previews.push(new FixAction(fix, doc.uri, FixKinds[fix.kind], true));
    }
    // The previews after every fix: the one-click fixes come first in the menu.
    return [...actions, ...previews.filter((p) => !context.only || context.only.contains(FixKinds[p.fix.kind]))];
  }

  /** Why a fix on this line is not offered, readable without "Show Disabled". */
  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (doc.uri.scheme !== 'file') return undefined;
    const hotspots = vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'hotpath');
    let fixes: Fix[];
    try {
      fixes = this.fixesFor(doc, hotspots);
    } catch {
      return undefined;
    }
    const unsafe = fixes.filter((f) => !f.safe && f.line - 1 === position.line);
    if (!unsafe.length) return undefined;
    const md = new vscode.MarkdownString(['**Hotpath**: not offered here', '', ...unsafe.map((f) => `- *${escapeMd(f.title)}*: ${escapeMd(f.reason ?? 'not safe here.')}`)].join('\n'));
    return new vscode.Hover(md, doc.lineAt(position.line).range);
  }

  resolveCodeAction(action: FixAction): FixAction {
    const edits = this.engine.get().computeEdits(action.fix);
    const edit = new vscode.WorkspaceEdit();
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === action.uri.toString());
    // One WorkspaceEdit: one undo step. Only the "Preview: …" choice asks for confirmation, which
    // opens the Refactor Preview (its entries unticked until the user ticks them: VS Code's rule).
    const metadata: vscode.WorkspaceEditEntryMetadata = { needsConfirmation: action.preview, label: action.fix.title, description: action.fix.explanation };
    for (const e of edits) {
      const range = doc ? new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)) : new vscode.Range(0, 0, 0, 0);
      edit.replace(action.uri, range, e.newText, metadata);
    }
    action.edit = edit;
    return action;
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
    this.cache.clear();
  }
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>]/g, '\\$&');
}
