// Hosts the prove panels: one "Benchmark history" panel (reused) and one panel per before/after
// comparison. Each panel knows its source by reference (store ids), re-reads the bench stores
// when the page asks, and is restored after a reload by the serializer from the page's state.
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { listBench, resolveBench, type BenchRecord } from '../../core/bench';
import { webviewHtml } from '../../core/report/html';
import { isProveViewState, parseFromProve, type ProveSource, type ProveView, type ProveViewState, type ToProveMessage } from '../../protocol/prove';
import { Commands, Views } from '../contributions';
import { webviewOptions } from '../panels/flamePage';
import type { Services } from '../services';
import { benchStores } from './stores';
import { compareView, historyView } from './proveModel';
import { panelColumn } from '../panels/column';

/** What a panel shows, for automation and tests. */
export interface ProvePanelSummary {
  title: string;
  kind: ProveView['kind'] | 'error';
  /** History: benchmarks in all series; compare: successful runs drawn (before + after). */
  points: number;
  verdict?: string;
  sentence?: string;
  /** Compare: median(after) / median(before) and the rank test's p-value. */
  ratio?: number;
  p?: number;
  /** Compare with profiled runs: functions beyond the noise, the rows of "Where the time moved", or why there is no diff. */
  profile?: {
    changed: number; rows: { name: string; verdict: string; delta: number; margin: number; changedFile?: boolean; ratio?: { value: number; lo: number; hi: number } }[];
    noiseLabel: string; runs: { before: string[]; after: string[] }; error?: string; story?: string; changedFiles?: string[];
  };
  /** The page drew the last data sent (it answers a 'show' with its view state). */
  rendered: boolean;
}

export function loadView(source: ProveSource): { view?: ProveView; error?: string } {
  const stores = benchStores();
  if (source.kind === 'history') {
    const records: BenchRecord[] = [];
    const warnings: string[] = [];
    for (const store of stores) {
      const r = listBench(store);
      records.push(...r.records);
      warnings.push(...r.warnings);
    }
    return { view: historyView(records, warnings) };
  }
  const find = (id: string) => {
    for (const store of stores) {
      const r = resolveBench(store, id);
      if (r.record) return r.record;
    }
    return undefined;
  };
  const before = find(source.before);
  const after = find(source.after);
  if (!before || !after) return { error: `The benchmark ${!before ? source.before : source.after} is no longer in the bench store (.hotpath/bench).` };
  return { view: compareView(before, after, { before: source.beforeLabel, after: source.afterLabel }, source.profile) };
}

export class ProvePanel {
  private ready = false;
  private state: ProveViewState;
  private view: ProveView | undefined;
  private error: string | undefined;
  private rendered = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly owner: ProvePanels, readonly panel: vscode.WebviewPanel, state: ProveViewState) {
    this.state = state;
    const { extensionUri } = owner.services;
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = webviewHtml({
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'prove.js')).toString(),
      libUris: [panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'chartjs.js')).toString()],
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'prove.css')).toString(),
      nonce: randomBytes(16).toString('hex'),
      cspSource: panel.webview.cspSource,
      title: panel.title,
      page: 'prove',
    });
    panel.webview.onDidReceiveMessage((raw) => this.onMessage(raw), undefined, this.disposables);
    panel.onDidChangeViewState((e) => { if (!e.webviewPanel.visible) this.ready = false; }, undefined, this.disposables);
    panel.onDidDispose(() => {
      owner.forget(this);
      for (const d of this.disposables.splice(0)) d.dispose();
    }, undefined, this.disposables);
    this.reload();
  }

  get source(): ProveSource {
    return this.state.source;
  }

  get summary(): ProvePanelSummary {
    const v = this.view;
    const rendered = this.rendered;
    if (!v) return { title: this.panel.title, kind: 'error', points: 0, sentence: this.error, rendered };
    if (v.kind === 'history') return { title: this.panel.title, kind: 'history', points: v.series.reduce((n, s) => n + s.points.length, 0), rendered };
    const c = v[this.state.metric ?? 'wall'] ?? v.wall;
    const pr = v.profile;
    const profile = pr && {
      changed: pr.changed, noiseLabel: pr.noiseLabel, runs: pr.runs, ...(pr.error ? { error: pr.error } : {}),
      rows: pr.rows.map((r) => ({ name: r.name, verdict: r.verdict, delta: r.delta, margin: r.margin, ...(r.changedFile ? { changedFile: true } : {}), ...(r.ratio ? { ratio: r.ratio } : {}) })),
      ...(pr.story ? { story: pr.story } : {}), ...(pr.changedFiles ? { changedFiles: pr.changedFiles } : {}),
    };
    return { title: this.panel.title, kind: 'compare', points: v.before.n + v.after.n, verdict: c?.verdict, sentence: c?.sentence, ratio: c?.ratio, p: c?.p, ...(profile ? { profile } : {}), rendered };
  }

  /** "Open Profile Diff": hotpath.compareProfiles with this comparison's profiled runs (resolves to its result). */
  async openProfileDiff(): Promise<unknown> {
    const pr = this.state.source.kind === 'compare' ? this.state.source.profile : undefined;
    if (!pr || !pr.runs.before.length || !pr.runs.after.length) {
      void vscode.window.showInformationMessage('Hotpath: this comparison has no profiled runs on both sides to diff.');
      return undefined;
    }
    // The timed verdict goes along, so the diff panel prints the same story sentence as this panel.
    const v = this.view?.kind === 'compare' ? this.view : undefined;
    const c = v?.wall;
    const timed = c && v ? { verdict: c.verdict, changePct: c.changePct, n: { before: v.before.n, after: v.after.n }, metric: 'wall' as const } : undefined;
    return vscode.commands.executeCommand(Commands.compareProfiles, pr.runs.before, pr.runs.after, timed ? { timed } : undefined);
  }

  /** Re-reads the stores (new benchmarks) and redraws. */
  reload(patch?: Partial<ProveViewState>): void {
    const changed = !!patch && Object.keys(patch).length > 0;
    if (changed) this.state = { ...this.state, ...patch };
    const { view, error } = loadView(this.state.source);
    // Nothing new in the stores and no new options: the page keeps what it drew.
    const same = !changed && this.view && view && JSON.stringify(view) === JSON.stringify(this.view);
    this.view = view;
    this.error = error;
    if (this.ready && !same) this.send();
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  private send(): void {
    this.rendered = false;
    if (this.view) {
      const msg: ToProveMessage = { type: 'show', view: this.view, state: this.state };
      void this.panel.webview.postMessage(msg);
    } else {
      const text = (this.error ?? 'Nothing to show.').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
      this.panel.webview.html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${this.panel.webview.cspSource} 'unsafe-inline';"><title>Hotpath</title></head><body data-hotpath-page="error" style="font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 1em 2em"><p role="alert">${text}</p></body></html>`;
    }
  }

  private onMessage(raw: unknown): void {
    const msg = parseFromProve(raw);
    if (!msg) {
      this.owner.services.output.appendLine(`[prove panel] ignored a malformed message`);
      return;
    }
    if (msg.type === 'ready') {
      this.ready = true;
      this.send();
    } else if (msg.type === 'state') {
      // The page may change only its own view options, not what it shows.
      this.state = { ...msg.state, source: this.state.source };
      this.rendered = true;
    } else if (msg.type === 'openProfileDiff') {
      void this.openProfileDiff().catch((err) => this.owner.services.output.appendLine(`[prove panel] Open Profile Diff: ${err instanceof Error ? err.message : String(err)}`));
    } else {
      this.owner.services.output.appendLine(`[prove panel] ${msg.message}`);
    }
  }
}

export class ProvePanels implements vscode.Disposable {
  private readonly open = new Set<ProvePanel>();

  constructor(readonly services: Services) {}

  /** Shows `source`: the history panel is reused; every comparison gets its own panel. */
  show(source: ProveSource, patch: Partial<ProveViewState> = {}): ProvePanel {
    if (source.kind === 'history') {
      const existing = [...this.open].find((p) => p.source.kind === 'history');
      if (existing) {
        existing.reload(patch);
        existing.reveal();
        return existing;
      }
    }
    const title = source.kind === 'history' ? 'Hotpath: Benchmark History' : `Hotpath: ${source.beforeLabel ?? 'before'} vs ${source.afterLabel ?? 'after'}`;
    const column = panelColumn();
    const panel = vscode.window.createWebviewPanel(Views.provePanel, title, column, webviewOptions(this.services.extensionUri));
    const host = new ProvePanel(this, panel, { ...patch, source });
    this.open.add(host);
    return host;
  }

  /** Refreshes open history panels after a benchmark was stored. */
  refreshHistory(): void {
    for (const p of this.open) if (p.source.kind === 'history') p.reload();
  }

  restore(panel: vscode.WebviewPanel, state: unknown): void {
    const host = new ProvePanel(this, panel, isProveViewState(state) ? state : { source: { kind: 'history' } });
    this.open.add(host);
  }

  all(): ProvePanel[] {
    return [...this.open];
  }

  forget(panel: ProvePanel): void {
    this.open.delete(panel);
  }

  dispose(): void {
    for (const p of this.open) p.panel.dispose();
    this.open.clear();
  }
}
