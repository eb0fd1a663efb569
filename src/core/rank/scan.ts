// Walks a workspace and analyses every source file, inline or in a pool of worker threads.
// Progress is reported in batches; an aborted signal stops between files.
import * as fs from 'fs';
import * as path from 'path';
import { analyzeFiles, CancelledError } from './inline';
import { analyzeInPool } from './pool';
import { FileSignals, RankOptions, Skipped } from './types';

export { CancelledError, relativeName } from './inline';
import { walkWorkspace } from './walk';

export interface ScanResult {
  root: string;
  signals: FileSignals[];
  skipped: Skipped[];
  files: number;
  ms: number;
}

/** A worker loads its own copy of the TypeScript parser (~0.3 s): not worth it for small folders. */
export const POOL_MIN_FILES = 400;

export async function scanWorkspace(root: string, opts: RankOptions = {}): Promise<ScanResult> {
  const started = performance.now();
  const absRoot = path.resolve(root);
  let isDir = false;
  try {
    isDir = fs.statSync(absRoot).isDirectory();
  } catch {
    // Reported below.
  }
  if (!isDir) throw new Error(`${absRoot} is not a folder: give the folder to rank`);
  const walked = walkWorkspace(absRoot, opts.exclude, opts.signal);
  if (opts.signal?.aborted) throw new CancelledError();
  const analysed = opts.workers && (opts.workers === 'auto' || opts.workers > 1) && walked.files.length > POOL_MIN_FILES
    ? await analyzeInPool(absRoot, walked.files, opts)
    : await analyzeFiles(absRoot, walked.files, opts);
  return {
    root: absRoot,
    signals: analysed.signals,
    skipped: [...walked.skipped, ...analysed.skipped],
    files: walked.files.length,
    ms: performance.now() - started,
  };
}
