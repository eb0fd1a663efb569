// The open file's score in the status bar, updated when the editor or the ranking changes.
import * as vscode from 'vscode';
import { Commands } from '../contributions';
import type { RankingModel } from './rankingModel';
import { FACTOR_LABELS } from './rankingTree';

export function registerStatusBar(context: vscode.ExtensionContext, model: RankingModel): void {
  const item = vscode.window.createStatusBarItem('hotpath.rankScore', vscode.StatusBarAlignment.Right, 90);
  item.name = 'Hotpath: optimization potential of this file';
  item.command = Commands.showRankingTable;
  const update = () => {
    const editor = vscode.window.activeTextEditor;
    const m = editor && model.moduleFor(editor.document.uri);
    if (!m) {
      item.hide();
      return;
    }
    const best = (Object.keys(FACTOR_LABELS) as (keyof typeof FACTOR_LABELS)[]).reduce((a, b) => (m.factors[b].score > m.factors[a].score ? b : a));
    const measured = Object.values(m.factors).some((f) => f.measured);
    item.text = `$(flame) ${m.score.toFixed(1)}`;
    item.tooltip = `Hotpath optimization potential ${m.score.toFixed(1)} / 10 (${measured ? 'measured' : 'estimated'}), ${m.risk} risk. ` +
      `Main factor: ${FACTOR_LABELS[best]} ${m.factors[best].score.toFixed(1)}.${m.patterns.length ? ` Recommended: ${m.patterns.map((p) => p.kind).join(', ')}.` : ''}`;
    item.show();
  };
  context.subscriptions.push(item, vscode.window.onDidChangeActiveTextEditor(update), model.onDidChange(update));
  update();
}
