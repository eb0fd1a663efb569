// Which run stores the extension shows: its own (workspace storage, where "Hotpath: Profile…"
// saves) and each workspace folder's `.hotpath/runs` (where `hotpath profile` and
// `hotpath compare --profile` save). The Profile Runs view and Compare Profiles… both list these.
// No `vscode` here: RunStore.stores() passes the workspace folders in.
import * as fs from 'fs';
import * as path from 'path';
import { listRuns, type ListResult, type RunRecord } from '../../core/history';
import { runStoreOf } from '../../core/hotpathDir';

export interface RunStoreRef {
  /** The folder holding one sub-folder per run. */
  dir: string;
  /** 'extension': Hotpath: Profile… in VS Code; 'workspace': a folder's .hotpath/runs (the CLI). */
  kind: 'extension' | 'workspace';
  /** The workspace folder's name (kind 'workspace'). */
  folder?: string;
  /** What the view calls it, e.g. "VS Code" or "CLI: .hotpath/runs". */
  label: string;
}

/**
 * The extension's store first, then one store per workspace folder (in folder order). A folder's
 * store that is the extension's store, or another folder's, is listed once. With several folders,
 * the labels name the folder.
 */
export function runStores(extensionStore: string, folders: readonly { name: string; path: string }[]): RunStoreRef[] {
  const out: RunStoreRef[] = [{ dir: path.resolve(extensionStore), kind: 'extension', label: 'VS Code' }];
  const seen = new Set(out.map((s) => s.dir));
  for (const f of folders) {
    const dir = path.resolve(runStoreOf(f.path));
    if (seen.has(dir)) continue;
    seen.add(dir);
    out.push({ dir, kind: 'workspace', folder: f.name, label: folders.length > 1 ? `CLI: ${f.name}/.hotpath/runs` : 'CLI: .hotpath/runs' });
  }
  return out;
}

/** One store's listing; a store folder that does not exist yet has no runs (not a warning). */
export function listStore(store: RunStoreRef): ListResult {
  return fs.existsSync(store.dir) ? listRuns(store.dir) : { runs: [], warnings: [] };
}

/** Every readable run of the stores with its folder, newest first (Compare Profiles…' quick picks). */
export function storedRuns(stores: readonly RunStoreRef[]): { record: RunRecord; dir: string; store: RunStoreRef }[] {
  const out: { record: RunRecord; dir: string; store: RunStoreRef }[] = [];
  for (const store of stores) {
    for (const record of listStore(store).runs) out.push({ record, dir: path.join(store.dir, record.id), store });
  }
  return out.sort((a, b) => b.record.startedAt.localeCompare(a.record.startedAt));
}
