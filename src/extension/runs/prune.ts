// Keeps the run store bounded: raw profiles add up to many MB per run.
import * as fs from 'fs';
import * as path from 'path';
import { listRuns } from '../../core/history';

/**
 * Deletes the oldest runs of `storeDir` beyond the newest `keep`, sparing the folders in `inUse`
 * (runs shown in open panels). Returns the folders removed.
 */
export async function pruneRuns(storeDir: string, keep: number, inUse: ReadonlySet<string>): Promise<string[]> {
  const { runs } = listRuns(storeDir);
  const removed: string[] = [];
  for (const run of runs.slice(Math.max(0, keep))) {
    const dir = path.join(storeDir, run.id);
    if (inUse.has(dir)) continue;
    await fs.promises.rm(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}
