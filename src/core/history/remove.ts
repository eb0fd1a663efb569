// Deleting stored runs by id (`hotpath runs rm`, the "Profile Runs" view). An id names a folder
// directly inside the store; anything else (a path, "..", a folder that does not exist) is unknown
// and nothing at all is deleted, so a typo never removes half of a list.
import * as fs from 'fs';
import * as path from 'path';
import { listRuns, recordingOwner } from './store';

export interface RemoveResult {
  /** Ids whose folders were deleted. */
  removed: string[];
  /** Ids given that are no run folder of the store (then nothing was deleted). */
  unknown: string[];
  /** Ids of runs still being recorded, with the recording process (then nothing was deleted, unless `force`). */
  recording: { id: string; pid: number }[];
}

function isEntry(storeDir: string, id: string): boolean {
  if (!id || id === '.' || id === '..' || id !== path.basename(id) || /[\\/]/.test(id)) return false;
  try {
    return fs.statSync(path.join(storeDir, id)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Deletes the run folders `ids` (damaged ones too, by their folder name); none if any is unknown,
 * or if any is still being recorded (its recorder running, no run.json yet) unless `force`.
 */
export async function removeRuns(storeDir: string, ids: readonly string[], options: { force?: boolean } = {}): Promise<RemoveResult> {
  const unique = [...new Set(ids)];
  const unknown = unique.filter((id) => !isEntry(storeDir, id));
  if (unknown.length) return { removed: [], unknown, recording: [] };
  const recording = unique.flatMap((id) => {
    const owner = recordingOwner(path.join(storeDir, id));
    return owner ? [{ id, pid: owner.pid }] : [];
  });
  if (recording.length && !options.force) return { removed: [], unknown: [], recording };
  for (const id of unique) await fs.promises.rm(path.join(storeDir, id), { recursive: true, force: true });
  return { removed: unique, unknown: [], recording };
}

/**
 * Keeps the newest `keep` readable runs and deletes the other readable ones. Folders without a
 * readable run.json are left alone: one may be a run still being recorded.
 */
export async function keepNewestRuns(storeDir: string, keep: number): Promise<{ removed: string[]; kept: string[]; warnings: string[] }> {
  const { runs, warnings } = listRuns(storeDir);
  const n = Math.max(0, Math.floor(keep));
  const drop = runs.slice(n).map((r) => r.id);
  for (const id of drop) await fs.promises.rm(path.join(storeDir, id), { recursive: true, force: true });
  return { removed: drop, kept: runs.slice(0, n).map((r) => r.id), warnings };
}
