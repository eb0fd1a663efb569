// Tells the Profile Runs view when a run store changes on disk: the extension's own store (another
// window of this workspace) and each workspace folder's .hotpath/runs (`hotpath profile`,
// `hotpath runs rm`, `hotpath compare --profile`).
//
// Measured in code-server (VS Code 1.139): a watcher on the workspace folder misses everything
// under `.hotpath/runs/<id>/` when `mkdir -p` created `.hotpath/runs` and the run folder at once
// (the CLI's first run in a folder), and keeps missing that subtree. A watcher rooted at the store
// folder once it exists sees run folders appear and go and their run.json written. So: a folder
// watcher for the store appearing, a store-rooted watcher as soon as a store exists (checked on
// every event), and while a store holds a run folder without run.json (a run being recorded),
// a look every 2 s so the run shows up even if its run.json event is lost.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunStore } from './runStore';

const DEBOUNCE_MS = 500;
const POLL_MS = 2000;
/** Stop looking for unfinished runs this long after the last event (a crashed run's folder stays). */
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

  /** Run folders without run.json yet, in every store. */
  private unfinished(): string[] {
    const out: string[] = [];
    for (const dir of this.storeWatchers.keys()) {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) if (e.isDirectory() && !fs.existsSync(path.join(dir, e.name, 'run.json'))) out.push(path.join(dir, e.name));
    }
    return out;
  }

  private schedulePoll(): void {
    if (this.poll || Date.now() - this.lastEvent > POLL_FOR_MS) return;
    const waiting = new Set(this.unfinished());
    if (!waiting.size) return;
    this.poll = setTimeout(() => {
      this.poll = undefined;
      const now = new Set(this.unfinished());
      // One finished (run.json written) or went away: the view changes.
      if ([...waiting].some((d) => !now.has(d))) this.refresh();
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
