// The few long-lived objects features share. Built once in `activate` and passed to every
// `registerX(context, services)`; nothing here is a module-level singleton.
import * as vscode from 'vscode';
import { ContextKeys, Settings } from './contributions';
import { PanelRegistry } from './panels/panelRegistry';
import { RunStore } from './runs/runStore';
import { DEFAULT_CPU_INTERVAL_US, DEFAULT_HEAP_INTERVAL_BYTES, type CaptureOptions, type Engine } from '../core/runner/types';

/** Whether annotations are showing; the toggle command flips it, the setting resets it. */
export class AnnotationState implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<boolean>();
  readonly onDidChange = this.changed.event;
  private on: boolean;

  constructor() {
    this.on = setting<boolean>(Settings.annotationsEnabled) ?? true;
    void vscode.commands.executeCommand('setContext', ContextKeys.annotationsOn, this.on);
  }

  get enabled(): boolean {
    return this.on;
  }

  set enabled(value: boolean) {
    if (value === this.on) return;
    this.on = value;
    void vscode.commands.executeCommand('setContext', ContextKeys.annotationsOn, value);
    this.changed.fire(value);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export interface Services {
  extensionUri: vscode.Uri;
  output: vscode.OutputChannel;
  runs: RunStore;
  panels: PanelRegistry;
  annotations: AnnotationState;
  /** Ends every profiling run in progress (keeps what they wrote). */
  activeRuns: Set<AbortController>;
  /** Live panels open now (src/extension/live/livePanel.ts; tests read what their pages drew). */
  livePanels: Set<import('./live/livePanel').LivePanel>;
}

export function createServices(context: vscode.ExtensionContext): Services {
  const output = vscode.window.createOutputChannel('Hotpath');
  const storage = (context.storageUri ?? context.globalStorageUri).fsPath;
  const runs = new RunStore(storage);
  const panels = new PanelRegistry(context.workspaceState);
  const annotations = new AnnotationState();
  context.subscriptions.push(output, runs, panels, annotations);
  return { extensionUri: context.extensionUri, output, runs, panels, annotations, activeRuns: new Set(), livePanels: new Set() };
}

/** Reads a `hotpath.*` setting by its full id. */
export function setting<T>(id: string, scope?: vscode.ConfigurationScope): T | undefined {
  return vscode.workspace.getConfiguration(undefined, scope).get<T>(id);
}

export interface RunSettings {
  capture: CaptureOptions;
  engine: Engine;
  timeoutMs?: number;
  durationMs?: number;
  stopWhen: 'exit' | 'startup';
}

export function captureSettings(scope?: vscode.ConfigurationScope): RunSettings {
  const seconds = setting<number>(Settings.timeoutSeconds, scope) ?? 600;
  const duration = setting<number>(Settings.durationSeconds, scope) ?? 0;
  return {
    capture: {
      cpu: setting<boolean>(Settings.captureCpu, scope) ?? true,
      heap: setting<boolean>(Settings.captureHeap, scope) ?? false,
      imports: setting<boolean>(Settings.captureImports, scope) ?? true,
      intervalUs: setting<number>(Settings.intervalUs, scope) ?? DEFAULT_CPU_INTERVAL_US,
      heapIntervalBytes: Math.round((setting<number>(Settings.heapIntervalKiB, scope) ?? DEFAULT_HEAP_INTERVAL_BYTES / 1024) * 1024),
      esmHooks: setting<string>(Settings.captureEsmHooks, scope) === 'always' ? 'always' : 'auto',
    },
    engine: setting<Engine>(Settings.engine, scope) ?? 'inspector',
    timeoutMs: seconds > 0 ? seconds * 1000 : undefined,
    durationMs: duration > 0 ? duration * 1000 : undefined,
    stopWhen: setting<'exit' | 'startup'>(Settings.stopWhen, scope) === 'startup' ? 'startup' : 'exit',
  };
}
