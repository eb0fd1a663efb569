// "Hotpath: Open Profile…": an existing .cpuprofile / .heapprofile / speedscope file into a flame
// panel. Reads files only, so it works in untrusted workspaces too.
import * as vscode from 'vscode';
import { Commands } from '../contributions';
import { FlamePanel } from '../panels/flamePanel';
import { errorMessage, rootFor } from '../runs/reload';
import { fromFile } from '../runs/profileSource';
import type { Services } from '../services';
import { toCommandResult, type ProfileCommandResult } from './commandResult';

export function registerOpenProfile(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(vscode.commands.registerCommand(Commands.openProfile, (arg?: unknown) => openProfile(services, arg)));
}

async function openProfile(services: Services, arg: unknown): Promise<ProfileCommandResult | undefined> {
  const file = await fileFrom(arg);
  if (!file) return undefined;
  let profile;
  try {
    profile = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Hotpath: reading ${file}` },
      () => fromFile(file, rootFor(file)),
    );
  } catch (err) {
    // ProfileError messages are written for users (what is wrong with the file, what to do).
    services.output.appendLine(`Open profile ${file}: ${errorMessage(err)}`);
    void vscode.window.showErrorMessage(`Hotpath cannot open ${file}: ${errorMessage(err)}`);
    return undefined;
  }
  const panel = FlamePanel.open(services, profile);
  return toCommandResult(panel.id, profile);
}

/** A path string, a Uri (explorer/editor menus pass one), or ask with a file dialog. */
async function fileFrom(arg: unknown): Promise<string | undefined> {
  if (typeof arg === 'string' && arg) return arg;
  if (arg instanceof vscode.Uri) return arg.fsPath;
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Open Profile',
    title: 'Hotpath: Open Profile',
    filters: { 'Profiles': ['cpuprofile', 'heapprofile', 'json'], 'All files': ['*'] },
  });
  return picked?.[0]?.fsPath;
}
