// Per-line heat: a gutter bar, a background tint scaled by self time and the time at the end of
// hot lines. One decoration type per heat level, created once and disposed with the feature.
import * as vscode from 'vscode';
import { HEAT_LEVELS, heatLevel, lineAnnotationText } from './format';
import type { FileHotspots } from '../runs/profileSource';

export class HeatDecorations implements vscode.Disposable {
  private readonly levels: vscode.TextEditorDecorationType[];
  private readonly lineText: vscode.TextEditorDecorationType;

  constructor(extensionUri: vscode.Uri) {
    this.levels = Array.from({ length: HEAT_LEVELS }, (_, i) => {
      const level = i + 1;
      // A warm tint that reads on light, dark and high-contrast themes; alpha carries the heat.
      return vscode.window.createTextEditorDecorationType({
        isWholeLine: true,
        backgroundColor: `rgba(240, 90, 0, ${(0.04 * level).toFixed(2)})`,
        gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', `heat-${level}.svg`),
        gutterIconSize: 'contain',
        overviewRulerColor: `rgba(240, 90, 0, ${(0.2 * level).toFixed(2)})`,
        overviewRulerLane: vscode.OverviewRulerLane.Right,
      });
    });
    this.lineText = vscode.window.createTextEditorDecorationType({
      after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 2em', fontStyle: 'italic' },
    });
  }

  apply(editor: vscode.TextEditor, hotspots: FileHotspots | undefined): void {
    const byLevel: vscode.DecorationOptions[][] = this.levels.map(() => []);
    const texts: vscode.DecorationOptions[] = [];
    const lines = hotspots?.lines ?? [];
    const max = lines.reduce((m, l) => Math.max(m, l.selfMs), 0);
    const lineCount = editor.document.lineCount;
    for (const line of lines) {
      const level = heatLevel(line.selfMs, max);
      if (level === 0 || line.line < 1 || line.line > lineCount) continue;
      const range = editor.document.lineAt(line.line - 1).range;
      byLevel[level - 1].push({ range });
      texts.push({ range, renderOptions: { after: { contentText: lineAnnotationText(line) } } });
    }
    this.levels.forEach((type, i) => editor.setDecorations(type, byLevel[i]));
    editor.setDecorations(this.lineText, texts);
  }

  clear(editor: vscode.TextEditor): void {
    this.apply(editor, undefined);
  }

  dispose(): void {
    for (const type of this.levels) type.dispose();
    this.lineText.dispose();
  }
}
