// While a run is in progress: the `hotpath.profiling` context key (for the Stop command) and a
// status bar item that stops the run and keeps its profile (Cancel in the notification discards).
import * as vscode from 'vscode';
import { Commands, ContextKeys } from '../contributions';

export class ProfilingStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hotpath.profiling', vscode.StatusBarAlignment.Left, 100);

  constructor(private readonly runs: ReadonlySet<AbortController>) {
    this.item.name = 'Hotpath profiling';
    this.item.command = Commands.stopProfile;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
  }

  private live: string | undefined;

  /** The newest live metrics of the run (heap, CPU, event-loop delay), or undefined to hide them. */
  setLive(text: string | undefined): void {
    this.live = text;
    this.update();
  }

  /** What the item says now (tests read it). */
  get text(): string {
    return this.item.text;
  }

  update(): void {
    const count = this.runs.size;
    void vscode.commands.executeCommand('setContext', ContextKeys.profiling, count > 0);
    if (count === 0) {
      this.item.hide();
      return;
    }
    this.item.text = `$(debug-stop) Hotpath: profiling${count > 1 ? ` (${count} runs)` : ''}${this.live ? ` — ${this.live}` : ''}`;
    this.item.tooltip = `Stop profiling: end every process of the run and show what it recorded${this.live ? '\nLive, about once a second: heap used, CPU of the process (share of one core) and mean event-loop delay' : ''}`;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
