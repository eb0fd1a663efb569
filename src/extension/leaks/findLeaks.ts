// "Hotpath: Find Memory Leaks…": runs a target (picked as in Profile…) with the leaks preload,
// shows the live heap of its measurements in the status bar while it runs, and then the leak
// hunt panel (growth chart with the interval, growing allocation sites, object types with their
// retainer paths). The hunt is kept in `<folder>/.hotpath/leaks/<id>/` as `hotpath leaks` keeps
// it, and the panel reopens from its leaks.json after a reload.
//
// Arguments (tests, automation): { command, cwd?, durationSeconds?, snapshots? }.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { huntLeaks } from '../../core/leaks/hunt';
import { fmtBytes } from '../../core/leaks/analyze';
import { LeaksTail, type LeaksLatest } from '../../core/leaks/read';
import { LiveTail, pollLive } from '../../core/runner/live';
import { leaksStore, loadLeaksReport, newLeaksDir, saveLeaksReport } from '../../core/leaks/store';
import type { LeaksReport } from '../../core/leaks/types';
import { isLeaksPageState, parseFromLeaks, type ToLeaksMessage } from '../../protocol/leaks';
import type { LiveUpdate } from '../../protocol/live';
import { Views } from '../contributions';
import { openSource } from '../panels/openSource';
import { setPanelPage, webviewOptions } from '../panels/flamePage';
import { pickTarget } from '../profile/pickTarget';
import { explainUntrusted } from '../profile/trust';
import type { Services } from '../services';
import { panelColumn } from '../panels/column';

export interface FindLeaksArgs { command: string; cwd?: string; durationSeconds?: number; snapshots?: boolean }

/** What the command resolves to (tests and automation). */
export interface FindLeaksResult {
  panelId: string;
  file: string;
  verdict: LeaksReport['verdict'];
  processes: { pid: number; threadId: number; verdict: string; slope: number | null; suspects: string[] }[];
  /** What the page drew (undefined if it did not answer within 15 s). */
  drawn: { processes: number; points: number; suspects: number; chains: number } | undefined;
  /** The status bar texts shown while the hunt ran. */
  liveTexts: string[];
  /** What the page's live charts held after each update while the hunt ran. */
  liveDrawn: { processes: number; measured: number; points: number }[];
}

const panels = new Map<string, LeaksPanel>();

function isArgs(x: unknown): x is FindLeaksArgs {
  return typeof x === 'object' && x !== null && typeof (x as FindLeaksArgs).command === 'string';
}

/** "Find Memory Leaks…": the target from the arguments or a quick pick, then the hunt. */
export async function findLeaks(context: vscode.ExtensionContext, services: Services, arg?: unknown): Promise<FindLeaksResult | undefined> {
  if (!vscode.workspace.isTrusted) return explainUntrusted('run workspace code to find memory leaks');
  const target = isArgs(arg) ? { command: arg.command, cwd: arg.cwd ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '' }
    : await pickTarget(context.workspaceState, { title: 'Hotpath: Find Memory Leaks…', placeHolder: 'What should Hotpath run? (mark iterations with globalThis.hotpathIteration?.())' });
  if (!target) return undefined;
  if (!target.cwd || !fs.existsSync(target.cwd)) {
    void vscode.window.showErrorMessage('Hotpath: open a folder first (or pass `cwd`): the command runs in a workspace folder.');
    return undefined;
  }
  return hunt(services, target.command, target.cwd, isArgs(arg) ? arg : undefined);
}

/** A leaks panel after a reload (its serializer). */
export async function restore(services: Services, panel: vscode.WebviewPanel, state: unknown): Promise<void> {
  const host = new LeaksPanel(services, panel);
  if (!isLeaksPageState(state)) {
    host.show({ type: 'error', message: 'Hotpath no longer knows which leak hunt this panel showed. Run "Hotpath: Find Memory Leaks…" again.' });
    return;
  }
  try {
    host.show({ type: 'show', view: { title: panel.title, report: loadLeaksReport(state.file) }, state });
  } catch (err) {
    host.show({ type: 'error', message: `The leak hunt in ${state.file} could not be read: ${(err as Error).message}` });
  }
}

/** Closes every leaks panel (when the extension is disposed). */
export function disposePanels(): void {
  for (const p of panels.values()) p.panel.dispose();
  panels.clear();
}

async function hunt(services: Services, command: string, cwd: string, args: FindLeaksArgs | undefined): Promise<FindLeaksResult | undefined> {
  const { output } = services;
  const dir = newLeaksDir(leaksStore(cwd));
  output.appendLine(`\n▶ leak hunt: ${command}    (in ${cwd}; measurements in ${dir})`);
  output.show(true);
  const controller = new AbortController();
  const status = vscode.window.createStatusBarItem('hotpath.leaks', vscode.StatusBarAlignment.Left, 99);
  status.name = 'Hotpath leak hunt';
  const liveTexts: string[] = [];
  // The panel opens at once and draws the live charts (heap, CPU, event-loop delay of each
  // process, about once a second) until the report replaces them.
  const title = `Hotpath Leaks: ${path.basename(command.split(/\s+/).pop() ?? command)}`;
  const host = new LeaksPanel(services, vscode.window.createWebviewPanel(Views.leaksPanel, title, { viewColumn: panelColumn(), preserveFocus: true }, webviewOptions(services.extensionUri)));
  const tail = new LiveTail(dir, Date.now());
  const measurements = new LeaksTail(dir);
  host.running({ type: 'running', title, command }, () => tail.all());
  // Live: the newest measurement of each process, and the newest live point the tail read (both
  // read as the files grow, never whole again).
  const poll = pollLive(tail, 1000, (update, metrics) => {
    host.live(update);
    const measured = measuredText(measurements.read());
    const text = [measured, metrics && `now: ${metrics}`].filter(Boolean).join(' — ') || undefined;
    if (!text) return;
    status.text = `$(pulse) ${text}`;
    status.tooltip = 'Hotpath leak hunt: heap after GC at the latest measurement of each process (heapUsed + external); now: heap used, CPU (share of one core) and mean event-loop delay, about once a second';
    status.show();
    if (liveTexts[liveTexts.length - 1] !== text) liveTexts.push(text);
  });
  let report: LeaksReport;
  try {
    report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Hotpath: finding memory leaks in ${command}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => controller.abort('stop'));
        progress.report({ message: 'Cancel stops the program and reports what was measured.' });
        const { report: r, run } = await huntLeaks({
          command, cwd, outDir: dir, signal: controller.signal, onOutput: (text) => output.append(text),
          durationMs: args?.durationSeconds ? args.durationSeconds * 1000 : undefined,
          config: args?.snapshots === false ? { snapshots: false } : undefined,
        });
        if (run.error) r.notes.unshift(run.error);
        return r;
      },
    );
  } catch (err) {
    host.show({ type: 'error', message: `Hotpath could not run "${command}": ${(err as Error).message}` });
    void vscode.window.showErrorMessage(`Hotpath could not run "${command}": ${(err as Error).message}`);
    return undefined;
  } finally {
    host.live(poll.stop());
    status.dispose();
  }
  const file = saveLeaksReport(dir, report);
  output.appendLine(`■ leak hunt: ${report.verdict}; ${report.processes.map((p) => `pid ${p.pid}${p.threadId ? `/thread ${p.threadId}` : ''}: ${p.verdict}`).join(', ') || 'no process measured'}`);
  for (const n of report.notes) output.appendLine(`note: ${n}`);
  // Closed while the hunt ran: the report opens in a new panel.
  const shown = host.closed ? new LeaksPanel(services, vscode.window.createWebviewPanel(Views.leaksPanel, title, panelColumn(), webviewOptions(services.extensionUri))) : host;
  shown.show({ type: 'show', view: { title, report }, state: { file } });
  const drawn = await shown.whenDrawn(15_000);
  return {
    panelId: shown.id, file, verdict: report.verdict, drawn, liveTexts, liveDrawn: host.liveDrawn,
    processes: report.processes.map((p) => ({ pid: p.pid, threadId: p.threadId, verdict: p.verdict, slope: p.growth?.slope ?? null, suspects: p.suspects.map((s) => `${s.name} ${s.file}:${s.line}`) })),
  };
}

/** "Hotpath leaks: heap 4.6 MB (12-0, 14 measured)" for the newest measurement of each process, or undefined before the first. */
export function measuredText(latest: LeaksLatest[]): string | undefined {
  const parts = latest.map((l) => `${fmtBytes(l.last.heapUsed + l.last.external)} (${l.key}, ${l.count} measured)`);
  return parts.length ? `Hotpath leaks: heap ${parts.join(', ')}` : undefined;
}

class LeaksPanel {
  readonly id = randomBytes(6).toString('hex');
  private ready = false;
  private message: ToLeaksMessage | undefined;
  private drawn: FindLeaksResult['drawn'];
  private waiting: (() => void)[] = [];
  private liveData: (() => LiveUpdate) | undefined;
  closed = false;
  readonly liveDrawn: FindLeaksResult['liveDrawn'] = [];

  constructor(private readonly services: Services, readonly panel: vscode.WebviewPanel) {
    setPanelPage(panel, services.extensionUri, 'leaks', ['chartjs']);
    panels.set(this.id, this);
    const subs: vscode.Disposable[] = [];
    panel.webview.onDidReceiveMessage((raw) => this.onMessage(raw), undefined, subs);
    panel.onDidChangeViewState((e) => { if (!e.webviewPanel.visible) this.ready = false; }, undefined, subs);
    panel.onDidDispose(() => { this.closed = true; panels.delete(this.id); for (const s of subs) s.dispose(); }, undefined, subs);
  }

  show(message: ToLeaksMessage): void {
    this.message = message;
    this.liveData = undefined;
    this.drawn = undefined;
    if (this.ready && !this.closed) void this.panel.webview.postMessage(message);
  }

  /** The hunt is running: the live charts, and everything read so far for a page that (re)loads. */
  running(message: Extract<ToLeaksMessage, { type: 'running' }>, all: () => LiveUpdate): void {
    this.show(message);
    this.liveData = all;
  }

  live(update: LiveUpdate): void {
    if (this.ready && !this.closed && this.liveData && (update.points.length || update.processes.length)) void this.panel.webview.postMessage({ type: 'live', update } satisfies ToLeaksMessage);
  }

  whenDrawn(timeoutMs: number): Promise<FindLeaksResult['drawn']> {
    if (this.drawn) return Promise.resolve(this.drawn);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      this.waiting.push(() => { clearTimeout(timer); resolve(this.drawn); });
    });
  }

  private onMessage(raw: unknown): void {
    const msg = parseFromLeaks(raw);
    if (!msg) {
      this.services.output.appendLine('[leaks panel] ignored a malformed message');
      return;
    }
    if (msg.type === 'ready') {
      this.ready = true;
      if (this.message) void this.panel.webview.postMessage(this.message);
      if (this.liveData) void this.panel.webview.postMessage({ type: 'live', update: this.liveData() } satisfies ToLeaksMessage);
    } else if (msg.type === 'liveDrawn') {
      this.liveDrawn.push({ processes: msg.processes, measured: msg.measured, points: msg.points });
    } else if (msg.type === 'drawn') {
      this.drawn = { processes: msg.processes, points: msg.points, suspects: msg.suspects, chains: msg.chains };
      for (const w of this.waiting.splice(0)) w();
    } else if (msg.type === 'open') {
      // Only files the report names may be opened from the page.
      const report = this.message?.type === 'show' ? this.message.view.report : undefined;
      const known = report?.processes.some((p) => p.suspects.some((s) => s.path === msg.path) || p.types.some((t) => t.retainers.some((r) => r.location?.path === msg.path)));
      if (known) void openSource(msg.path, msg.line, 0, this.panel.viewColumn);
    } else {
      this.services.output.appendLine(`[leaks panel] ${msg.message}`);
    }
  }
}
