// The fixes feature: code actions on JavaScript/TypeScript files and the "apply all" commands
// (lazy-loading only, and every safe kind picked by the user). The engine loads on the first
// request, not at activation.
import * as vscode from 'vscode';
import { Commands } from '../contributions';
import type { Services } from '../services';
import { EngineLoader } from './engine';
import { FixesProvider } from './fixesProvider';
import { features } from '../lazy';
import { StartupLabelCache } from './startupLabels';

const LANGUAGES = ['javascript', 'typescript', 'javascriptreact', 'typescriptreact'];

export function registerFixes(context: vscode.ExtensionContext, services: Services): void {
  const engine = new EngineLoader();
  // The newest run profiled for a startup plan labels lazy-loads that only defer (not applied).
  const startup = new StartupLabelCache(engine, services.runs);
  const provider = new FixesProvider(engine, services.runs, startup);
  const report = (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    services.output.appendLine(`fixes: ${message}`);
    void vscode.window.showErrorMessage(`Hotpath: ${message}`);
  };
  const impl = features.fixesCommands;
  context.subscriptions.push(
    provider,
    vscode.languages.registerCodeActionsProvider(LANGUAGES.map((language) => ({ language, scheme: 'file' })), provider, FixesProvider.metadata),
    // Why a fix on the line is not offered (disabled actions are hidden behind "Show Disabled").
    vscode.languages.registerHoverProvider(LANGUAGES.map((language) => ({ language, scheme: 'file' })), provider),
    vscode.commands.registerCommand(Commands.applyLazyFixesInFile, (uri?: vscode.Uri) => impl().applyAllInFile(engine, uri, services.output, startup.get()).catch(report)),
    vscode.commands.registerCommand(Commands.applyLazyFixesInWorkspace, () => impl().applyAllInWorkspace(engine, services.output, startup.get()).catch(report)),
    vscode.commands.registerCommand(Commands.applySafeFixesInFile, (arg?: unknown) => impl().applySafeInFile(engine, arg, services.output, startup.get()).catch(report)),
    vscode.commands.registerCommand(Commands.applySafeFixesInWorkspace, (arg?: unknown) => impl().applySafeInWorkspace(engine, arg, services.output, startup.get()).catch(report)),
    vscode.commands.registerCommand(Commands.applyStartupPlan, (arg?: unknown) => impl().applyStartupPlan(engine, services, context, arg).catch(report)),
    vscode.commands.registerCommand(Commands.lazyFixApplied, (module: string) =>
      impl().offerMeasure(`Hotpath: '${module}' now loads on first use; errors from a missing module appear there.`).catch(report)),
  );
}
