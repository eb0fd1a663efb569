// Tells the Profile Runs view when a run store changes on disk: the extension's own store (another
// window of this workspace) and each workspace folder's .hotpath/runs (`hotpath profile`,
// `hotpath runs rm`, `hotpath compare --profile`).
//
// Measured in code-server (VS Code 1.139): a watcher on the workspace folder misses everything
// under `.hotpath/runs/<id>/` when `mkdir -p` created `.hotpath/runs` and the run folder at once
// (the CLI's first run in a folder), and keeps missing that subtree. A watcher rooted at the store
// folder once it exists sees run folders appear and go and their run.json written. So: a folder
// watcher for the store appearing, a store-rooted watcher as soon as a store exists (checked on
// every event), and for 10 minutes after the last event a look every 2 s at the stores' run
// folders, so a run finishing or removed shows up even if its event is lost.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunStore } from './runStore';

const DEBOUNCE_MS = 500;
const POLL_MS = 2000;
/** Stop looking at the stores this long after the last event. */
const POLL_FOR_MS = 10 * 60_000;

export class RunStoreWatcher implements vscode.Disposable {
  private readonly folderWatchers: vscode.Disposable[] = [];
  private readonly storeWatchers = new Map<string, vscode.Disposable[]>();
  private pending: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;
  private lastEvent = 0;
  private readonly subs: vscode.Disposable[];

  constructor(private readonly store: RunStore, private readonly refresh: () => void) {
    this.subs = [vscode.workspace.onDidChangeWorkspaceFolders(() => { this.watchFolders(); this.changed(); })];
    this.watchFolders();
    this.sync();
  }

  /** Something changed in a store (or may have): refresh soon, once. */
  changed = (): void => {
    this.lastEvent = Date.now();
    clearTimeout(this.pending);
    this.pending = setTimeout(() => {
      this.sync();
      this.refresh();
      this.schedulePoll();
    }, DEBOUNCE_MS);
  };

  private watch(pattern: vscode.RelativePattern): vscode.Disposable[] {
    const w = vscode.workspace.createFileSystemWatcher(pattern);
    return [w, w.onDidCreate(this.changed), w.onDidDelete(this.changed), w.onDidChange(this.changed)];
  }

  /** Per workspace folder: `.hotpath` or `.hotpath/runs` appearing, and what a working folder watcher reports below. */
  private watchFolders(): void {
    for (const d of this.folderWatchers.splice(0)) d.dispose();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      this.folderWatchers.push(...this.watch(new vscode.RelativePattern(folder, '{.hotpath,.hotpath/runs,.hotpath/runs/*,.hotpath/runs/*/run.json}')));
    }
  }

  /** A store-rooted watcher for every listed store that exists now; none for the others. */
  private sync(): void {
    const dirs = new Set(this.store.stores().map((s) => s.dir).filter((d) => fs.existsSync(d)));
    for (const [dir, ds] of this.storeWatchers) {
      if (dirs.has(dir)) continue;
      for (const d of ds) d.dispose();
      this.storeWatchers.delete(dir);
    }
    for (const dir of dirs) {
      // A run folder appearing or removed (rm -r reports only the folder), and its run.json written.
      if (!this.storeWatchers.has(dir)) this.storeWatchers.set(dir, this.watch(new vscode.RelativePattern(vscode.Uri.file(dir), '{*,*/run.json}')));
    }
  }

  /** Each store's run folders and whether each has its run.json: what the view shows. */
  private listing(): string {
    const out: string[] = [];
    for (const s of this.store.stores()) {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(s.dir, { withFileTypes: true });
      } catch {
        out.push(`${s.dir}: none`);
        continue;
      }
      out.push(`${s.dir}: ${entries.filter((e) => e.isDirectory()).map((e) => `${e.name}${fs.existsSync(path.join(s.dir, e.name, 'run.json')) ? '' : '*'}`).sort().join(',')}`);
    }
    return out.join('\n');
  }

  /**
   * For POLL_FOR_MS after the last event, a look every POLL_MS: a run finishing or removed
   * (`hotpath runs rm`, rm -r) is shown even when the watcher's event is lost (seen in
   * code-server: a run folder removed right after it appeared left the view unchanged for 30 s).
   */
  private schedulePoll(): void {
    if (this.poll || Date.now() - this.lastEvent > POLL_FOR_MS) return;
    const seen = this.listing();
    this.poll = setTimeout(() => {
      this.poll = undefined;
      if (this.listing() !== seen) {
        this.sync();
        this.refresh();
      }
      this.schedulePoll();
    }, POLL_MS);
  }

  dispose(): void {
    clearTimeout(this.pending);
    clearTimeout(this.poll);
    for (const d of [...this.folderWatchers, ...[...this.storeWatchers.values()].flat(), ...this.subs]) d.dispose();
    this.storeWatchers.clear();
  }
}
