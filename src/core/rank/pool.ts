// Parses files in N worker threads. Parsing is CPU-bound and the files are independent, so a
// pool of workers pulling chunks scales with cores; results come back as plain data.
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { analyzeFiles, CancelledError } from './inline';
import { FileSignals, RankOptions, Skipped } from './types';

const CHUNK = 64;

export type ToWorker = { type: 'analyze'; root: string; files: string[] };
export type FromWorker =
  | { type: 'analyzed'; signals: FileSignals[]; skipped: Skipped[] }
  | { type: 'error'; message: string };

/** The bundled worker sits next to rank.js (dist/engines) or under engines/ (dist/cli.js). */
export function findWorkerScript(explicit?: string): string | undefined {
  const candidates = explicit ? [explicit] : [path.join(__dirname, 'rankWorker.js'), path.join(__dirname, 'engines', 'rankWorker.js')];
  return candidates.find((c) => fs.existsSync(c));
}

export function startWorker(script: string): Worker {
  // Tests run the TypeScript source: Node 20 loads a worker's entry before `--import` hooks
  // apply, so register tsx's require hook first in a small eval shim.
  if (script.endsWith('.ts')) return new Worker(`require('tsx/cjs'); require(${JSON.stringify(script)});`, { eval: true });
  return new Worker(script);
}

export async function analyzeInPool(root: string, files: string[], opts: RankOptions): Promise<{ signals: FileSignals[]; skipped: Skipped[] }> {
  const script = findWorkerScript(opts.workerScript);
  if (!script) return analyzeFiles(root, files, opts);
  const chunks: string[][] = [];
  for (let i = 0; i < files.length; i += CHUNK) chunks.push(files.slice(i, i + CHUNK));
  const signals: FileSignals[] = [];
  const skipped: Skipped[] = [];
  const workers: Worker[] = [];
  let done = 0;
  let next = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let active = 0;
      const onAbort = () => reject(new CancelledError());
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const feed = (w: Worker) => {
        if (next >= chunks.length) {
          if (--active === 0) resolve();
          return;
        }
        w.postMessage({ type: 'analyze', root, files: chunks[next++] } satisfies ToWorker);
      };
      const count = Math.max(1, Math.min(opts.workers ?? 1, chunks.length));
      for (let i = 0; i < count; i++) {
        const w = startWorker(script);
        workers.push(w);
        active++;
        let sent = 0;
        w.on('message', (msg: FromWorker) => {
          if (msg.type === 'error') return reject(new Error(`rank worker: ${msg.message}`));
          signals.push(...msg.signals);
          skipped.push(...msg.skipped);
          done += msg.signals.length + msg.skipped.length;
          opts.onProgress?.(done, files.length);
          sent++;
          feed(w);
        });
        w.on('error', reject);
        w.on('exit', (code) => {
          if (next < chunks.length || sent === 0) reject(new Error(`rank worker exited early (code ${code})`));
        });
        feed(w);
      }
      if (opts.signal?.aborted) onAbort();
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  // Keep the inline order (walk order) so results do not depend on scheduling.
  const order = new Map(files.map((f, i) => [f, i]));
  signals.sort((a, b) => order.get(a.path)! - order.get(b.path)!);
  return { signals, skipped };
}
