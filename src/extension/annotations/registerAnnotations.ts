// Wires annotations and hotspot diagnostics to the current profile, the editors on screen,
// the settings and "Hotpath: Toggle Annotations".
import * as vscode from 'vscode';
import { Commands, Settings } from '../contributions';
import { setting, type Services } from '../services';
import { Annotations } from './annotations';
import { HotspotDiagnostics } from './hotspotDiagnostics';

export function registerAnnotations(context: vscode.ExtensionContext, services: Services): void {
  const annotations = new Annotations(services);
  const diagnostics = new HotspotDiagnostics(services);
  const files = { scheme: 'file' };
  const logError = (err: unknown) => services.output.appendLine(`Hotspot diagnostics: ${err instanceof Error ? err.message : String(err)}`);
  context.subscriptions.push(
    annotations,
    diagnostics,
    vscode.languages.registerCodeLensProvider(files, annotations),
    vscode.languages.registerHoverProvider(files, annotations),
    services.runs.onDidChangeCurrent(() => {
      annotations.refresh();
      diagnostics.refresh().catch(logError);
    }),
    services.annotations.onDidChange(() => annotations.refresh()),
    vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => annotations.decorate(e))),
    vscode.workspace.onDidChangeTextDocument((e) => annotations.edited(e)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(Settings.annotationsEnabled)) services.annotations.enabled = setting<boolean>(Settings.annotationsEnabled) ?? true;
      if (e.affectsConfiguration('hotpath.diagnostics')) diagnostics.refresh().catch(logError);
    }),
    vscode.commands.registerCommand(Commands.toggleAnnotations, () => {
      services.annotations.enabled = !services.annotations.enabled;
      const note = services.runs.current ? '' : ' (no profile yet: run "Hotpath: Profile…")';
      vscode.window.setStatusBarMessage(`Hotpath annotations ${services.annotations.enabled ? 'on' : 'off'}${note}`, 3000);
      return services.annotations.enabled;
    }),
  );
}
