// Where the extension keeps runs (the core's history store under the workspace's storage), the
// stores the Profile Runs view lists (this one and each workspace folder's .hotpath/runs, where
// the CLI saves), and which profile is "current" for the editor annotations and diagnostics.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { createRunDir, listRuns, loadRunRecord, removeRuns, runResultOf, saveRun, type ListResult, type RunRecord } from '../../core/history';
import type { CaptureOptions, Engine, RunResult } from '../../core/runner/types';
import type { LoadedProfile } from './profileSource';
import { pruneRuns } from './prune';
import { runStores, type RunStoreRef } from './runStores';

export interface StoredRun {
  record: RunRecord;
  /** The record as the runner's result, with absolute profile paths (what loadRun reads). */
  result: RunResult;
  dir: string;
}

export class RunStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<LoadedProfile | undefined>();
  /** Fires when the current profile changes (a run finished, a file was opened). */
  readonly onDidChangeCurrent = this.changed.event;
  private readonly runsChanged = new vscode.EventEmitter<void>();
  /** Fires when runs were saved, pruned or deleted (the "Profile Runs" view refreshes). */
  readonly onDidChangeRuns = this.runsChanged.event;
  private currentProfile: LoadedProfile | undefined;

  constructor(private readonly storageDir: string) {}

  get current(): LoadedProfile | undefined {
    return this.currentProfile;
  }

  setCurrent(profile: LoadedProfile | undefined): void {
    this.currentProfile = profile;
    this.changed.fire(profile);
  }

  /** The folder holding one sub-folder per run. */
  get storeDir(): string {
    return path.join(this.storageDir, 'runs');
  }

  /** A fresh, empty folder for one run's raw profiles. */
  newRunDir(when: Date): { id: string; dir: string } {
    return createRunDir(this.storeDir, when);
  }

  async save(id: string, run: { command: string; cwd: string; startedAt: Date; capture: CaptureOptions; engine: Engine; result: RunResult; stopWhen?: 'exit' | 'startup'; durationMs?: number }): Promise<void> {
    const { result } = run;
    try {
      await saveRun(this.storeDir, {
        id, command: run.command, cwd: run.cwd, startedAt: run.startedAt.toISOString(), capture: run.capture, engine: run.engine,
        stopWhen: run.stopWhen, durationMs: run.durationMs,
        nodeVersion: result.processes[0]?.nodeVersion ?? process.version,
        wallMs: result.wallMs, exitCode: result.exitCode, signal: result.signal, timedOut: result.timedOut, cancelled: result.cancelled,
        processes: result.processes, notes: [...(result.error ? [result.error] : []), ...(result.notes ?? [])],
      });
    } finally {
      this.runsChanged.fire();
    }
  }

  /** Removes the folder newRunDir made for a run that is not saved (nothing was profiled). */
  discard(id: string): void {
    fs.rmSync(path.join(this.storeDir, id), { recursive: true, force: true });
  }

  /** Every readable run, newest first, and why the others were skipped. */
  list(): ListResult {
    return listRuns(this.storeDir);
  }

  /**
   * The stores the Profile Runs view and Compare Profiles… list: this one first, then each local
   * workspace folder's .hotpath/runs (`hotpath profile`, `hotpath compare --profile`).
   */
  stores(): RunStoreRef[] {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ name: f.name, path: f.uri.fsPath }));
    return runStores(this.storeDir, folders);
  }

  /**
   * Deletes run folders (with their profiles) of the stores() (this one or a workspace folder's
   * .hotpath/runs); returns the folders removed. Anything else: an error, and nothing is deleted.
   */
  async delete(dirs: readonly string[]): Promise<string[]> {
    const stores = new Set(this.stores().map((s) => s.dir));
    const byStore = new Map<string, string[]>();
    for (const d of dirs) {
      const store = path.dirname(path.resolve(d));
      if (!stores.has(store)) throw new Error(`${d} is no run of this workspace's run stores; nothing was deleted.`);
      byStore.set(store, [...(byStore.get(store) ?? []), path.basename(d)]);
    }
    const out: string[] = [];
    try {
      for (const [store, ids] of byStore) {
        // A folder already gone (deleted from another window) is no error: it is what was asked.
        const { removed } = await removeRuns(store, ids.filter((id) => fs.existsSync(path.join(store, id))));
        out.push(...removed.map((id) => path.join(store, id)));
      }
      return out;
    } finally {
      this.runsChanged.fire();
    }
  }

  /** A stored run by its folder; throws a message meant for the user. */
  read(dir: string): StoredRun {
    const { record, error } = loadRunRecord(path.dirname(dir), path.basename(dir));
    if (!record) throw new Error(`${error ?? 'unknown error'} (the workspace storage may have been cleared).`);
    const result = runResultOf(record, dir);
    return { record, result, dir };
  }

  /** Deletes the oldest runs beyond `keep`, except those in `inUse`; see pruneRuns. */
  async prune(keep: number, inUse: ReadonlySet<string>): Promise<string[]> {
    const removed = await pruneRuns(this.storeDir, keep, inUse);
    if (removed.length) this.runsChanged.fire();
    return removed;
  }

  /** The most recent stored run's folder, if any (for "Show Last Profile" after a reload). */
  latestDir(): string | undefined {
    const latest = listRuns(this.storeDir).runs[0];
    return latest ? path.join(this.storeDir, latest.id) : undefined;
  }

  dispose(): void {
    this.changed.dispose();
    this.runsChanged.dispose();
  }
}
