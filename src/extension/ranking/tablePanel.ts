// The sortable ranking table: one panel, refreshed when the ranking changes.
import * as vscode from 'vscode';
import { Views } from '../contributions';
import type { RankResult } from '../../core/rank/types';
import type { RankingModel } from './rankingModel';
import { isFromTable, tableHtml, toRow, ToTable } from './tablePage';
import { panelColumn } from '../panels/column';

export class RankingTablePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly model: RankingModel) {
    this.subs.push(model.onDidChange(() => this.post()));
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = (this.panel = vscode.window.createWebviewPanel(Views.rankingTable, 'Hotpath Ranking', panelColumn(), {
      enableScripts: true,
      localResourceRoots: [],
    }));
    panel.webview.html = tableHtml(panel.webview.cspSource);
    panel.webview.onDidReceiveMessage((msg: unknown) => {
      if (!isFromTable(msg)) return;
      if (msg.type === 'ready') this.post();
      // Only files of the ranking may be opened from the page.
      else if (this.model.result?.modules.some((m) => m.path === msg.path)) void vscode.window.showTextDocument(vscode.Uri.file(msg.path));
    }, undefined, this.subs);
    panel.onDidDispose(() => (this.panel = undefined), undefined, this.subs);
  }

  private post(): void {
    const result = this.model.result;
    if (!this.panel || !result) return;
    const measured = result.measuredFrom ? `measured data: ${result.measuredFrom}` : 'no profile run: every factor is an estimate (capped at 6)';
    const msg: ToTable = {
      type: 'rows',
      rows: result.modules.map(toRow),
      note: `${result.modules.length} modules, ${result.skipped.length} skipped${leftOutText(result)}; ${measured}. * = measured.`,
    };
    void this.panel.webview.postMessage(msg);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const s of this.subs) s.dispose();
  }
}

/** ", 12 test and 3 example files left out (setting hotpath.ranking.includeAll)", or nothing. */
export function leftOutText(result: RankResult): string {
  const parts = Object.entries(result.leftOut ?? {}).map(([role, n]) => `${n} ${role}`);
  return parts.length ? `, ${parts.join(', ')} file(s) left out (setting hotpath.ranking.includeAll)` : '';
}
