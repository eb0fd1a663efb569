// Editor annotations of the current profile: CodeLens with self/total time above each sampled
// function, heat on hot lines, and a hover with details and a link to the flame panel. After an
// edit they move with their code, or are withdrawn until the next profile (lineTracking.ts).
import * as fs from 'fs';
import * as vscode from 'vscode';
import { Commands } from '../contributions';
import { fileHotspots, type FileHotspots, type LoadedProfile } from '../runs/profileSource';
import type { Services } from '../services';
import { functionLensText, hoverMarkdown, importLensText } from './format';
import { HeatDecorations } from './heatDecorations';
import { TrackedHotspots, type FileAnnotations } from './lineTracking';
import { features } from '../lazy';

export class Annotations implements vscode.Disposable, vscode.CodeLensProvider, vscode.HoverProvider {
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly heat: HeatDecorations;
  /** hotspotsForFile results of the current profile, per absolute path, with the edits since. */
  private cache = new Map<string, TrackedHotspots>();

  constructor(private readonly services: Services) {
    this.heat = new HeatDecorations(services.extensionUri);
  }

  /** Re-reads the current profile and redraws every visible editor. */
  refresh(): void {
    this.cache = new Map();
    this.lensesChanged.fire();
    for (const editor of vscode.window.visibleTextEditors) this.decorate(editor);
  }

  decorate(editor: vscode.TextEditor): void {
    this.heat.apply(editor, this.hotspots(editor.document));
  }

  /** An edit: annotations of that file move with their code (or go); lenses are asked again. */
  edited(e: vscode.TextDocumentChangeEvent): void {
    const tracked = this.cache.get(e.document.uri.fsPath);
    if (!tracked || !e.contentChanges.length) return;
    tracked.apply(e.contentChanges.map((c) => ({
      startLine: c.range.start.line, startCharacter: c.range.start.character, endLine: c.range.end.line, endCharacter: c.range.end.character, text: c.text,
    })), e.document.getText());
    for (const editor of vscode.window.visibleTextEditors) if (editor.document === e.document) this.decorate(editor);
    this.lensesChanged.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const hot = this.hotspots(document);
    const profile = this.services.runs.current;
    if (!hot || !profile) return [];
    const inFile = (line: number) => line >= 1 && line <= document.lineCount;
    const functions = hot.functions
      .filter((fn) => inFile(fn.line) && fn.totalMs > 0)
      .map((fn) => new vscode.CodeLens(document.lineAt(fn.line - 1).range, {
        title: functionLensText(fn, profile.sampledMs),
        tooltip: `${fn.name || '(anonymous)'} in the last profile (${profile.title}). Click to show it in the flame graph.`,
        command: Commands.revealFrame,
        arguments: [document.uri.fsPath, fn.line],
      }));
    // Import lines: the load time the run measured for what this line loaded first.
    const imports = (hot.imports ?? []).filter((l) => inFile(l.line)).map((l) => new vscode.CodeLens(document.lineAt(l.line - 1).range, {
      title: importLensText(l),
      tooltip: `Load time of '${l.request}' measured in the last profile (${profile.title}), when this file loaded it first (what it loads included). Click to show this file in the flame graph.`,
      command: Commands.revealFrame,
      arguments: [document.uri.fsPath, 1],
    }));
    return [...imports, ...functions];
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const hot = this.hotspots(document);
    const profile = this.services.runs.current;
    if (!hot || !profile) return undefined;
    const lineNo = position.line + 1;
    const line = hot.lines.find((l) => l.line === lineNo);
    const fn = hot.functions.find((f) => f.line === lineNo) ?? (line ? innermost(hot, lineNo) : undefined);
    if (!line && !fn) return undefined;
    const target = fn?.line ?? lineNo;
    const link = `command:${Commands.revealFrame}?${encodeURIComponent(JSON.stringify([document.uri.fsPath, target]))}`;
    const markdown = new vscode.MarkdownString(hoverMarkdown(fn, line, profile.sampledMs, link), true);
    markdown.isTrusted = { enabledCommands: [Commands.revealFrame] };
    return new vscode.Hover(markdown);
  }

  private hotspots(document: vscode.TextDocument): FileAnnotations | undefined {
    const profile: LoadedProfile | undefined = this.services.runs.current;
    if (!profile || !this.services.annotations.enabled || document.uri.scheme !== 'file') return undefined;
    const key = document.uri.fsPath;
    const lineText = (i: number) => (i >= 0 && i < document.lineCount ? document.lineAt(i).text : undefined);
    let tracked = this.cache.get(key);
    if (!tracked) {
      let hot: FileAnnotations;
      try {
        hot = fileHotspots(profile, key);
        const imports = features.profileCore().importLinesForFile(profile.model, key, document.getText());
        if (imports.length) hot = { ...hot, imports };
        // Changed since the run (saved after it started, or unsaved edits): its lines are not the
        // profiled ones, and nothing tells how they moved. Withdrawn until the next profile.
        if (hot.functions.length || hot.lines.length || hot.imports?.length) {
          const changed = document.isDirty || (profile.startedAt !== undefined && modifiedAfter(key, profile.startedAt));
          if (changed) {
            this.services.output.appendLine(`Annotations for ${key}: withdrawn, the file changed after the profiled run (profile again to see its times).`);
            hot = { functions: [], lines: [] };
          }
        }
      } catch (err) {
        this.services.output.appendLine(`Annotations for ${key}: ${err instanceof Error ? err.message : String(err)}`);
        hot = { functions: [], lines: [] };
      }
      tracked = new TrackedHotspots(hot, lineText, document.getText());
      this.cache.set(key, tracked);
    }
    const hot = tracked.current(lineText);
    return hot.functions.length || hot.lines.length || hot.imports?.length ? hot : undefined;
  }

  dispose(): void {
    this.heat.dispose();
    this.lensesChanged.dispose();
  }
}

function modifiedAfter(file: string, ms: number): boolean {
  try {
    return fs.statSync(file).mtimeMs > ms;
  } catch {
    return false;
  }
}

/** The smallest sampled function whose range holds the line (functions without an end are skipped). */
function innermost(hot: FileHotspots, line: number): FileHotspots['functions'][number] | undefined {
  return hot.functions
    .filter((f) => f.endLine !== undefined && f.line <= line && line <= f.endLine)
    .sort((a, b) => (a.endLine! - a.line) - (b.endLine! - b.line))[0];
}
