// Analyses a list of files in this thread, yielding to the event loop so cancel can arrive.
import * as path from 'path';
import { analyzeFile } from './analyze';
import { FileSignals, RankOptions, Skipped } from './types';

export class CancelledError extends Error {
  constructor() {
    super('Ranking cancelled.');
    this.name = 'CancelledError';
  }
}

export function relativeName(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/** Analyses files inline; yields to the event loop every few files so cancel can arrive. */
export async function analyzeFiles(root: string, files: string[], opts: Pick<RankOptions, 'signal' | 'onProgress'>, offset = 0, total = files.length) {
  const signals: FileSignals[] = [];
  const skipped: Skipped[] = [];
  for (let i = 0; i < files.length; i++) {
    if (opts.signal?.aborted) throw new CancelledError();
    const r = analyzeFile(files[i], relativeName(root, files[i]));
    if ('signals' in r) signals.push(r.signals);
    else skipped.push(r.skipped);
    if ((i + 1) % 25 === 0) {
      opts.onProgress?.(offset + i + 1, total);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  opts.onProgress?.(offset + files.length, total);
  return { signals, skipped };
}
