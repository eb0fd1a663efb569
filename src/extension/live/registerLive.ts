// Registers the live panel's serializer at activation; the panel itself (livePanel.ts) is in
// dist/ext-run.js (see ../lazy.ts), loaded when a panel is restored or a run shows its series.
import * as vscode from 'vscode';
import { Views } from '../contributions';
import { features } from '../lazy';
import type { Services } from '../services';

export function registerLivePanel(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(Views.livePanel, {
    deserializeWebviewPanel: async (panel, state) => features.live().restore(services, panel, state),
  }));
}
