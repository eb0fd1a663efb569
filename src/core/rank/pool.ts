// Parses files in N worker threads. Parsing is CPU-bound and the files are independent, so a
// pool of workers pulling chunks scales with cores; results come back as plain data.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { analyzeFiles, CancelledError } from './inline';
import { FileSignals, RankOptions, Skipped } from './types';

const CHUNK = 32;

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

/**
 * Threads worth using now: this one, plus one worker per core that is free beyond it. Free cores
 * are the cores minus the 1-minute load average (Linux and macOS; Windows reports 0). A worker
 * loads its own TypeScript parser (~0.3 s of CPU) and shares a busy core with the other work: on
 * the 2-core machine at load 5-15, the default second thread made the effect scan 8.4 s against
 * 7.2 s on one thread (issue 17).
 */
export function autoWorkers(cores = os.availableParallelism?.() ?? os.cpus().length, load = os.loadavg()[0]): number {
  const extra = Math.round(cores - 1 - load);
  return Math.max(1, Math.min(cores, 1 + Math.max(0, extra), 8));
}

/**
 * `opts.workers` threads in all ('auto': autoWorkers()): the calling thread (its parser is already loaded) plus
 * workers - 1 worker threads, all pulling chunks from one queue.
 */
export async function analyzeInPool(root: string, files: string[], opts: RankOptions): Promise<{ signals: FileSignals[]; skipped: Skipped[] }> {
  const script = findWorkerScript(opts.workerScript);
  const threads = opts.workers === 'auto' ? autoWorkers() : opts.workers ?? 1;
  if (!script || threads < 2) return analyzeFiles(root, files, opts);
  const chunks: string[][] = [];
  for (let i = 0; i < files.length; i += CHUNK) chunks.push(files.slice(i, i + CHUNK));
  let next = 0;
  const take = () => (next < chunks.length ? chunks[next++] : undefined);
  const signals: FileSignals[] = [];
  const skipped: Skipped[] = [];
  let done = 0;
  const collect = (r: { signals: FileSignals[]; skipped: Skipped[] }) => {
    signals.push(...r.signals);
    skipped.push(...r.skipped);
    done += r.signals.length + r.skipped.length;
    opts.onProgress?.(done, files.length);
  };
  const workers: Worker[] = [];
  const runWorker = (w: Worker) => new Promise<void>((resolve, reject) => {
    let busy = false;
    const feed = () => {
      const chunk = take();
      busy = !!chunk;
      if (chunk) w.postMessage({ type: 'analyze', root, files: chunk } satisfies ToWorker);
      else resolve();
    };
    w.on('message', (msg: FromWorker) => {
      if (msg.type === 'error') return reject(new Error(`rank worker: ${msg.message}`));
      collect(msg);
      feed();
    });
    w.on('error', reject);
    w.on('exit', (code) => {
      if (busy) reject(new Error(`rank worker exited early (code ${code})`));
    });
    feed();
  });
  try {
    for (let i = 1; i < Math.min(threads, chunks.length); i++) workers.push(startWorker(script));
    const inWorkers = Promise.all(workers.map(runWorker));
    // Surface a worker failure now, not after this thread's share.
    let failed: unknown;
    inWorkers.catch((err) => (failed = err));
    for (let chunk = take(); chunk; chunk = take()) {
      if (failed) throw failed;
      collect(await analyzeFiles(root, chunk, { signal: opts.signal }));
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(new CancelledError());
      if (opts.signal?.aborted) return onAbort();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      inWorkers.then(() => resolve(), reject).finally(() => opts.signal?.removeEventListener('abort', onAbort));
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  // Keep the inline order (walk order) so results do not depend on scheduling.
  const order = new Map(files.map((f, i) => [f, i]));
  signals.sort((a, b) => order.get(a.path)! - order.get(b.path)!);
  return { signals, skipped };
}
