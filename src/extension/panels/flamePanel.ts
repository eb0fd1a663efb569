// Hosts one flame graph webview: page, messages (validated by the protocol guards), opening
// sources, and remembering what it shows so a reload can restore it.
import * as fs from 'fs';
import * as vscode from 'vscode';
import { parseFromWebview, type FlameViewState, type ToWebviewMessage } from '../../protocol/flame';
import { Commands, Views } from '../contributions';
import type { LoadedProfile } from '../runs/profileSource';
import type { Services } from '../services';
import { errorPage, flamePageHtml, webviewOptions } from './flamePage';
import { openSource } from './openSource';
import { panelColumn } from './column';

export class FlamePanel implements vscode.Disposable {
  readonly id: string;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  /** Messages sent before the page said 'ready' (it would drop them). */
  private pending: ToWebviewMessage[] = [];
  private profile: LoadedProfile | undefined;
  private saveTimer: NodeJS.Timeout | undefined;

  /** A new panel beside the editor, titled after the run. */
  static open(services: Services, profile: LoadedProfile): FlamePanel {
    const column = panelColumn();
    const panel = vscode.window.createWebviewPanel(Views.flamePanel, `Hotpath: ${profile.title}`, column, webviewOptions(services.extensionUri));
    const host = new FlamePanel(services, panel, undefined);
    host.show(profile);
    return host;
  }

  /**
   * Wraps a panel VS Code created (serializer restore or custom editor). `viewState` is what the
   * webview saved last; the profile arrives later through `show` or `fail`.
   */
  constructor(private readonly services: Services, readonly panel: vscode.WebviewPanel, private viewState: FlameViewState | undefined) {
    this.id = services.panels.nextId();
    panel.webview.options = webviewOptions(services.extensionUri);
    panel.webview.html = flamePageHtml(panel.webview, services.extensionUri, panel.title);
    panel.webview.onDidReceiveMessage((raw) => this.onMessage(raw), undefined, this.disposables);
    panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) services.panels.markActive(this.id);
      // A hidden page is torn down (no retainContextWhenHidden); it says 'ready' again when shown.
      if (!e.webviewPanel.visible) this.ready = false;
    }, undefined, this.disposables);
    panel.onDidDispose(() => this.onDisposed(), undefined, this.disposables);
    services.panels.add(this);
  }

  get current(): LoadedProfile | undefined {
    return this.profile;
  }

  show(profile: LoadedProfile): void {
    this.profile = profile;
    this.services.runs.setCurrent(profile);
    if (this.ready) this.sendInit();
    void this.remember();
  }

  /** The profile could not be loaded: replace the page with the reason. */
  fail(message: string): void {
    this.panel.webview.html = errorPage(this.panel.webview, message);
  }

  revealFrame(path: string, line: number): void {
    this.panel.reveal(undefined, false);
    const message: ToWebviewMessage = { type: 'revealFrame', path, line };
    if (this.ready) this.post(message);
    else this.pending.push(message);
  }

  private post(message: ToWebviewMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private sendInit(): void {
    if (!this.profile) return;
    this.post({ type: 'init', graphs: this.profile.graphs, state: this.viewState, liveSeries: !!this.liveDir() });
  }

  /** The run folder when the run kept a live series (a run shorter than a second has none). */
  private liveDir(): string | undefined {
    const ref = this.profile?.ref;
    if (ref?.kind !== 'run') return undefined;
    try {
      return fs.readdirSync(ref.dir).some((n) => n.endsWith('.live.jsonl')) ? ref.dir : undefined;
    } catch {
      return undefined;
    }
  }

  /** The run's live panel: the one still open (Profile… opened it while the run went on), else from the run folder. */
  private showLive(): void {
    const dir = this.liveDir();
    if (!dir) return;
    const open = [...this.services.livePanels].find((p) => p.dir === dir && !p.closed);
    if (open) open.panel.reveal(undefined, false);
    else void vscode.commands.executeCommand(Commands.showRunLive, { dir, title: this.profile?.title });
  }

  private onMessage(raw: unknown): void {
    const message = parseFromWebview(raw);
    if (!message) {
      this.services.output.appendLine(`[flame panel] ignored a malformed message: ${safeJson(raw)}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.sendInit();
        for (const m of this.pending.splice(0)) this.post(m);
        break;
      case 'openSource':
        void openSource(message.path, message.line, message.column, this.panel.viewColumn);
        break;
      case 'state':
        this.viewState = message.state;
        // Zooming and panning send many states; persist the last one of a burst.
        clearTimeout(this.saveTimer);
        this.saveTimer = setTimeout(() => void this.remember(), 500);
        break;
      case 'showLive':
        this.showLive();
        break;
      case 'error':
        this.services.output.appendLine(`[flame panel] ${message.message}`);
        break;
    }
  }

  private async remember(): Promise<void> {
    if (!this.profile) return;
    await this.services.panels.saveRecord({ ref: this.profile.ref, title: this.panel.title, root: this.profile.root, viewState: this.viewState });
  }

  private onDisposed(): void {
    clearTimeout(this.saveTimer);
    this.services.panels.remove(this.id);
    void this.services.panels.deleteRecord(this.panel.title);
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  dispose(): void {
    this.panel.dispose();
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value).slice(0, 200);
  } catch {
    return String(value);
  }
}
