// Registers "Hotpath: Find Memory Leaks…" and its panel's serializer at activation; the hunt and
// the panel live in findLeaks.ts, in dist/ext-run.js (see ../lazy.ts), loaded on first use.
import * as vscode from 'vscode';
import { Commands, Views } from '../contributions';
import { features } from '../lazy';
import type { Services } from '../services';

export function registerFindLeaks(context: vscode.ExtensionContext, services: Services): void {
  const impl = features.findLeaks;
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.findLeaks, (arg?: unknown) => impl().findLeaks(context, services, arg)),
    vscode.window.registerWebviewPanelSerializer(Views.leaksPanel, {
      deserializeWebviewPanel: (panel, state) => impl().restore(services, panel, state),
    }),
    { dispose: () => { if (impl.loaded()) impl().disposePanels(); } },
  );
}
