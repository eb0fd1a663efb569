// Panel plumbing: restore after reload (serializer), the read-only profile editor, "Show Last
// Profile" and the "reveal frame" link used by hovers and CodeLenses.
import * as vscode from 'vscode';
import type { FlameViewState } from '../../protocol/flame';
import { Commands, Views } from '../contributions';
import { errorMessage, reload, rootFor } from '../runs/reload';
import type { Services } from '../services';
import { FlamePanel } from './flamePanel';

export function registerPanels(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(Views.flamePanel, {
      deserializeWebviewPanel: (panel, state) => restore(services, panel, state),
    }),
    vscode.window.registerCustomEditorProvider(Views.profileEditor, {
      openCustomDocument: (uri) => ({ uri, dispose: () => undefined }),
      resolveCustomEditor: (document, panel) => resolveEditor(services, document.uri, panel),
    }, { supportsMultipleEditorsPerDocument: true }),
    vscode.commands.registerCommand(Commands.showLastProfile, () => showLast(services)),
    vscode.commands.registerCommand(Commands.revealFrame, (file: unknown, line: unknown) => revealFrame(services, file, line)),
  );
}

async function restore(services: Services, panel: vscode.WebviewPanel, state: unknown): Promise<void> {
  const record = services.panels.record(panel.title);
  const host = new FlamePanel(services, panel, asViewState(state) ?? record?.viewState);
  if (!record) {
    host.fail('Hotpath no longer knows which profile this panel showed. Run "Hotpath: Profile…" or "Hotpath: Open Profile…" again.');
    return;
  }
  try {
    host.show(await reload(services.runs, record.ref, record.title, record.root));
  } catch (err) {
    host.fail(`The profile could not be reloaded: ${errorMessage(err)}`);
  }
}

async function resolveEditor(services: Services, uri: vscode.Uri, panel: vscode.WebviewPanel): Promise<void> {
  const host = new FlamePanel(services, panel, undefined);
  try {
    host.show(await reload(services.runs, { kind: 'file', file: uri.fsPath }, '', rootFor(uri.fsPath)));
  } catch (err) {
    host.fail(errorMessage(err));
  }
}

async function showLast(services: Services): Promise<{ panelId: string } | undefined> {
  let profile = services.runs.current;
  if (!profile) {
    const dir = services.runs.latestDir();
    if (dir) {
      try {
        profile = await reload(services.runs, { kind: 'run', dir }, '', rootFor(dir));
      } catch (err) {
        void vscode.window.showErrorMessage(`Hotpath: the last run could not be loaded: ${errorMessage(err)}`);
        return undefined;
      }
    }
  }
  if (!profile) {
    void vscode.window.showInformationMessage('Hotpath has no profile yet: run "Hotpath: Profile…" or "Hotpath: Open Profile…".');
    return undefined;
  }
  const existing = services.panels.all().find((p) => p.current === profile);
  if (existing) {
    existing.panel.reveal();
    return { panelId: existing.id };
  }
  return { panelId: FlamePanel.open(services, profile).id };
}

function revealFrame(services: Services, file: unknown, line: unknown): void {
  if (typeof file !== 'string' || !Number.isInteger(line)) return;
  const current = services.runs.current;
  let panel = services.panels.all().find((p) => p.current === current) ?? services.panels.latest();
  if (!panel && current) panel = FlamePanel.open(services, current);
  panel?.revealFrame(file, line as number);
}

function asViewState(state: unknown): FlameViewState | undefined {
  return typeof state === 'object' && state !== null && Number.isInteger((state as FlameViewState).graph) ? (state as FlameViewState) : undefined;
}
