// Registers the prove commands (Benchmark Command…, Compare Before/After…, Show Benchmark History,
// Create Checkpoint, Roll Back to Checkpoint…) and the chart panel's serializer at activation; they
// live in prove.ts, their own bundle (dist/ext-compare.js, see ../lazy.ts), created on first use.
import * as vscode from 'vscode';
import { Commands, Views } from '../contributions';
import { features } from '../lazy';
import type { Services } from '../services';

export function registerProve(context: vscode.ExtensionContext, services: Services): void {
  let prove: ReturnType<typeof import('./prove').createProve> | undefined;
  const get = () => (prove ??= features.prove().createProve(context, services));
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(Views.provePanel, {
      deserializeWebviewPanel: async (panel, state) => get().restore(panel, state),
    }),
    vscode.commands.registerCommand(Commands.bench, (arg?: unknown) => get().bench(arg)),
    vscode.commands.registerCommand(Commands.compare, (arg?: unknown) => get().compare(arg)),
    vscode.commands.registerCommand(Commands.showBenchHistory, () => get().showBenchHistory()),
    vscode.commands.registerCommand(Commands.createCheckpoint, (arg?: unknown) => get().createCheckpoint(arg)),
    vscode.commands.registerCommand(Commands.rollback, (arg?: unknown) => get().rollback(arg)),
  );
}
