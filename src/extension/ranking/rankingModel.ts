// The ranking of the open workspace: scans in a worker (progress + cancel), re-scores a file on
// save, and re-scores everything with measured data when a profile run becomes current.
import * as path from 'path';
import * as vscode from 'vscode';
import { features } from '../lazy';
import { measuredFromProfileSummary } from '../../core/rank/fromProfile';
import type { MeasuredData, ModuleRank, RankResult } from '../../core/rank/types';
import type { RankState } from '../../core/rank';
import { Settings } from '../contributions';
import type { LoadedProfile } from '../runs/profileSource';
import { setting } from '../services';
import { Engine, loadEngine, ScanCancelled, scanInWorker } from './engine';

export class RankingModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private engine: Engine | undefined;
  private state: RankState | undefined;
  private measured: MeasuredData | undefined;
  private running: vscode.CancellationTokenSource | undefined;

  private readonly configWatch: vscode.Disposable;

  constructor(private readonly output: vscode.OutputChannel) {
    // Listing tests and examples too (or not) needs no rescan: the views redraw.
    this.configWatch = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(Settings.rankingIncludeAll) && this.state) this.changed.fire();
    });
  }

  get result(): RankResult | undefined {
    return this.state && this.getEngine().rankResult(this.state, undefined, { all: this.includeAll() });
  }

  /** hotpath.ranking.includeAll: tests, fixtures, examples, benchmarks and scripts are listed too. */
  private includeAll(): boolean {
    return setting<boolean>(Settings.rankingIncludeAll, vscode.workspace.workspaceFolders?.[0]?.uri) === true;
  }

  get root(): string | undefined {
    return this.state?.root;
  }

  private getEngine(): Engine {
    return (this.engine ??= loadEngine());
  }

  /** Scans the first workspace folder; a second call while one runs cancels the first. */
  async rankWorkspace(): Promise<RankResult | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder || folder.uri.scheme !== 'file') {
      void vscode.window.showWarningMessage('Hotpath: open a folder on disk to rank its modules.');
      return undefined;
    }
    this.running?.cancel();
    const cts = (this.running = new vscode.CancellationTokenSource());
    const exclude = setting<string[]>(Settings.exclude, folder.uri) ?? [];
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Hotpath: ranking modules', cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => cts.cancel());
          let last = 0;
          const scan = await scanInWorker(folder.uri.fsPath, exclude, cts.token, (done, total) => {
            const pct = (done / Math.max(1, total)) * 100;
            progress.report({ message: `${done} / ${total} files`, increment: pct - last });
            last = pct;
          });
          const engine = this.getEngine();
          this.state = engine.createRankState(scan, this.measured);
          const result = engine.rankResult(this.state, undefined, { all: this.includeAll() });
          this.output.appendLine(`Ranking: ${result.stats.parsed} modules, ${result.stats.skipped} skipped, scan ${result.stats.ms} ms.`);
          for (const s of result.skipped) this.output.appendLine(`  skipped ${s.file}: ${s.reason}`);
          this.changed.fire();
          return result;
        },
      );
    } catch (err) {
      if (err instanceof ScanCancelled) return undefined;
      void vscode.window.showErrorMessage(`Hotpath could not rank the workspace: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    } finally {
      if (this.running === cts) this.running = undefined;
      cts.dispose();
    }
  }

  /** Re-scores one saved document without a rescan. */
  rescore(doc: vscode.TextDocument): void {
    if (!this.state || doc.uri.scheme !== 'file') return;
    const out = this.getEngine().rescoreFile(this.state, doc.uri.fsPath, doc.getText());
    if (!('ignored' in out)) this.changed.fire();
  }

  /** Uses a profile as measured data (or none); re-scores without rescanning. */
  applyProfile(profile: LoadedProfile | undefined): void {
    this.measured = profile ? measuredFromLoaded(profile) : undefined;
    if (!this.state) return;
    this.getEngine().setMeasured(this.state, this.measured);
    this.changed.fire();
  }

  moduleFor(uri: vscode.Uri): ModuleRank | undefined {
    return this.state && uri.scheme === 'file' ? this.getEngine().moduleFor(this.state, uri.fsPath) : undefined;
  }

  dispose(): void {
    this.running?.cancel();
    this.configWatch.dispose();
    this.changed.dispose();
  }
}

/** The profile's display paths are relative to the profile's own root: make them absolute. */
function measuredFromLoaded(profile: LoadedProfile): MeasuredData {
  const summary = features.profileCore().summarize(profile.model, { top: Number.MAX_SAFE_INTEGER });
  const abs = <T extends { file: string }>(x: T): T => ({ ...x, file: x.file && !x.file.startsWith('node:') ? path.resolve(profile.root, x.file) : x.file });
  return measuredFromProfileSummary({
    ...summary,
    topFunctions: summary.topFunctions.map(abs),
    modules: summary.modules.map(abs),
    allocations: summary.allocations.map(abs),
  }, profile.title);
}
