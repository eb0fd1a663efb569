// The ranking feature: the side bar tree, the table panel, the status bar score, the commands,
// re-scoring on save and when a new profile becomes current. The engine loads on first use.
import * as vscode from 'vscode';
import { Commands, Views } from '../contributions';
import type { Services } from '../services';
import { RankingModel } from './rankingModel';
import { RankingTree } from './rankingTree';
import { registerStatusBar } from './statusBar';
import { RankingTablePanel } from './tablePanel';

export function registerRanking(context: vscode.ExtensionContext, services: Services): RankingModel {
  const model = new RankingModel(services.output);
  const tree = new RankingTree(model);
  const table = new RankingTablePanel(model);
  context.subscriptions.push(
    model,
    tree,
    table,
    vscode.window.createTreeView(Views.ranking, { treeDataProvider: tree, showCollapseAll: true }),
    vscode.commands.registerCommand(Commands.rankWorkspace, () => model.rankWorkspace()),
    // Both commands resolve to the ranking they show (the automation contract used by tests).
    vscode.commands.registerCommand(Commands.showRankingTable, async () => {
      if (!model.result && !(await model.rankWorkspace())) return undefined;
      table.show();
      return model.result;
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => model.rescore(doc)),
    services.runs.onDidChangeCurrent((profile) => model.applyProfile(profile)),
  );
  if (services.runs.current) model.applyProfile(services.runs.current);
  registerStatusBar(context, model);
  return model;
}
