// Registers "Hotpath: Compare Profiles…" and its panel's serializer at activation; the command and
// the panel live in compareProfiles.ts, in dist/ext-compare.js (see ../lazy.ts), loaded on first use.
import * as vscode from 'vscode';
import { Commands, Views } from '../contributions';
import { features } from '../lazy';
import type { Services } from '../services';

export function registerCompareProfiles(context: vscode.ExtensionContext, services: Services): void {
  const impl = features.compareProfiles;
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.compareProfiles, (before?: unknown, after?: unknown, options?: unknown) => impl().compare(services, before, after, options)),
    vscode.window.registerWebviewPanelSerializer(Views.diffPanel, {
      deserializeWebviewPanel: (panel, state) => impl().restore(services, panel, state),
    }),
    { dispose: () => { if (impl.loaded()) impl().disposePanels(); } },
  );
}
