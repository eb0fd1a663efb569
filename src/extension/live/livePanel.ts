// The live panel of "Hotpath: Profile…": heap used, CPU and event-loop delay of each process of a
// run, drawn as the preloads write them (about once a second) and kept with the run. Why its own
// panel and not the run's flame panel: the flame panel has nothing to show until the profiles are
// written at exit, and its bundle would carry chart.js for every profile opened; this one opens
// beside the editor when the first sample arrives (a run shorter than a second opens nothing), and
// the flame panel opens over it in the same group when the run ends. A stored run's series is
// reopened from the Profile Runs view ("Show Live Metrics") and after a reload (serializer).
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { readLiveRun, type LiveTail } from '../../core/runner/live';
import { isLivePageState, parseFromLive, type LiveUpdate, type ToLiveMessage } from '../../protocol/live';
import { Views } from '../contributions';
import { panelColumn } from '../panels/column';
import { setPanelPage, webviewOptions } from '../panels/flamePage';
import type { Services } from '../services';

/** What the page reported after each update (tests and automation). */
export interface LiveDrawn { processes: number; measured: number; points: number; running: boolean; atMs: number }

export class LivePanel {
  readonly id = randomBytes(6).toString('hex');
  readonly drawn: LiveDrawn[] = [];
  private ready = false;
  private start: Extract<ToLiveMessage, { type: 'start' }> | undefined;
  private ended: string | undefined;
  private waiting: (() => void)[] = [];
  private error: string | undefined;
  /** Closed by the user: nothing more is sent, and a run in progress does not reopen it. */
  closed = false;

  constructor(private readonly services: Services, readonly panel: vscode.WebviewPanel, private readonly data: () => LiveUpdate) {
    setPanelPage(panel, services.extensionUri, 'live', ['chartjs']);
    const subs: vscode.Disposable[] = [];
    panel.webview.onDidReceiveMessage((raw) => this.onMessage(raw), undefined, subs);
    // retainContextWhenHidden is off: a panel shown again reloads its page, which asks for everything.
    panel.onDidChangeViewState((e) => { if (!e.webviewPanel.visible) this.ready = false; }, undefined, subs);
    services.livePanels.add(this);
    panel.onDidDispose(() => { this.closed = true; services.livePanels.delete(this); for (const s of subs) s.dispose(); }, undefined, subs);
  }

  /** The run folder whose series this panel shows (undefined until it begins). */
  get dir(): string | undefined {
    return this.start?.state?.dir;
  }

  static create(services: Services, title: string, data: () => LiveUpdate): LivePanel {
    const panel = vscode.window.createWebviewPanel(Views.livePanel, title, { viewColumn: panelColumn(), preserveFocus: true }, webviewOptions(services.extensionUri));
    return new LivePanel(services, panel, data);
  }

  /** A stored run's series (Show Live Metrics, the serializer). */
  static showRun(services: Services, dir: string, title: string, panel?: vscode.WebviewPanel): LivePanel {
    const update = readLiveRun(dir);
    const host = panel ? new LivePanel(services, panel, () => update) : LivePanel.create(services, title, () => update);
    const samples = update.points.reduce((s, p) => s + p.points.length, 0);
    host.begin(title, `Kept with the run in ${dir}`, false, { dir, title });
    host.end(update.processes.length
      ? `${update.processes.length} process(es) and thread(s), ${update.processes.filter((p) => p.measured).length} measured, ${samples} samples.`
      : 'No live metrics were kept with this run (its processes ended within their first second, or it was recorded before Hotpath kept them).');
    return host;
  }

  /** A message instead of charts (a panel restored without its run). */
  fail(message: string): void {
    this.error = message;
    if (this.ready) void this.panel.webview.postMessage({ type: 'error', message } satisfies ToLiveMessage);
  }

  begin(title: string, subtitle: string, running: boolean, state: { dir: string; title: string }): void {
    this.start = { type: 'start', title, subtitle, running, state };
    this.replay();
  }

  /** New points (a page that is not ready yet gets everything when it is). */
  push(update: LiveUpdate): void {
    if (this.ready && !this.closed && (update.points.length || update.processes.length)) void this.panel.webview.postMessage({ type: 'update', update } satisfies ToLiveMessage);
  }

  end(note: string): void {
    this.ended = note;
    if (this.ready && !this.closed) void this.panel.webview.postMessage({ type: 'ended', note } satisfies ToLiveMessage);
  }

  /** Resolves with what the page drew once it has drawn `minPoints` (or undefined after `timeoutMs`). */
  whenDrawn(minPoints: number, timeoutMs: number): Promise<LiveDrawn | undefined> {
    const enough = () => this.drawn.find((d) => d.points >= minPoints);
    if (enough()) return Promise.resolve(enough());
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      const check = () => { if (enough()) { clearTimeout(timer); resolve(enough()); } else this.waiting.push(check); };
      this.waiting.push(check);
    });
  }

  private replay(): void {
    if (!this.ready || this.closed) return;
    if (this.error !== undefined) { void this.panel.webview.postMessage({ type: 'error', message: this.error } satisfies ToLiveMessage); return; }
    if (!this.start) return;
    void this.panel.webview.postMessage(this.start);
    void this.panel.webview.postMessage({ type: 'update', update: this.data() } satisfies ToLiveMessage);
    if (this.ended !== undefined) void this.panel.webview.postMessage({ type: 'ended', note: this.ended } satisfies ToLiveMessage);
  }

  private onMessage(raw: unknown): void {
    const msg = parseFromLive(raw);
    if (!msg) {
      this.services.output.appendLine('[live panel] ignored a malformed message');
      return;
    }
    if (msg.type === 'ready') {
      if (!this.ready) this.services.output.appendLine('[live panel] page ready');
      this.ready = true;
      this.replay();
    } else if (msg.type === 'drawn') {
      this.drawn.push({ processes: msg.processes, measured: msg.measured, points: msg.points, running: this.ended === undefined, atMs: Date.now() });
      for (const w of this.waiting.splice(0)) w();
    } else {
      this.services.output.appendLine(`[live panel] ${msg.message}`);
    }
  }
}

/**
 * The live view of a run in progress: fed what the run's LiveTail reads once a second (Profile…
 * polls it with pollLive, the status bar from the same points), opens the panel with the first
 * sample and sends it what is new. `stop()` takes the final read and leaves the panel showing the
 * whole series.
 */
export class LiveRunView {
  panel: LivePanel | undefined;

  constructor(private readonly services: Services, private readonly tail: LiveTail, private readonly title: string, private readonly command: string) {}

  update(update: LiveUpdate): void {
    if (!this.panel && update.points.length) {
      this.services.output.appendLine(`[live] first sample: the live panel opens (${update.processes.length} process(es))`);
      this.panel = LivePanel.create(this.services, `Hotpath Live: ${this.title}`, () => this.tail.all());
      this.panel.begin(`Live: ${this.title}`, this.command, true, { dir: this.tail.dir, title: `Live: ${this.title}` });
    } else this.panel?.push(update);
  }

  /** The run ended: the last lines (the tail's final read), then the note saying where the series is kept. */
  stop(last: LiveUpdate, note: string): void {
    this.update(last);
    this.panel?.end(note);
  }
}

/** The serializer's half (registerLive.ts registers it at activation): a panel restored after a reload. */
export function restore(services: Services, panel: vscode.WebviewPanel, state: unknown): void {
  if (!isLivePageState(state)) {
    new LivePanel(services, panel, () => ({ processes: [], points: [] })).fail('Hotpath no longer knows which run this panel showed. Use "Show Live Metrics" on the run in Profile Runs.');
    return;
  }
  LivePanel.showRun(services, state.dir, state.title, panel);
}
