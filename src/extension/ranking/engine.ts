// Loads the ranking engine (dist/engines/rank.js, which bundles the TypeScript parser) on first
// use, never at activation, and runs whole-workspace scans in its worker thread.
import * as path from 'path';
import * as vscode from 'vscode';
import { Worker } from 'worker_threads';
import type * as RankEngine from '../../core/rank';
import type { ScanRequest, ScanReply } from '../../core/rank/worker';

export type Engine = typeof RankEngine;

/** The engine bundles sit next to dist/extension.js. */
export function loadEngine(): Engine {
  // A computed path keeps esbuild from bundling the engine into the extension.
  return require(path.join(__dirname, 'engines', 'rank.js')) as Engine;
}

export class ScanCancelled extends Error {}

/** Walks and parses the workspace in a worker thread; resolves with the scan, rejects on cancel. */
export function scanInWorker(
  root: string,
  exclude: string[],
  token: vscode.CancellationToken,
  onProgress: (done: number, total: number) => void,
): Promise<RankEngine.ScanResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'engines', 'rankWorker.js'));
    const finish = (fn: () => void) => {
      sub.dispose();
      void worker.terminate();
      fn();
    };
    // Ask the worker to stop between files; terminate anyway if it does not answer quickly.
    const sub = token.onCancellationRequested(() => {
      worker.postMessage({ type: 'cancel' } satisfies ScanRequest);
      setTimeout(() => finish(() => reject(new ScanCancelled('Ranking cancelled.'))), 1000);
    });
    worker.on('message', (msg: ScanReply) => {
      if (msg.type === 'progress') onProgress(msg.done, msg.total);
      else if (msg.type === 'scanned') finish(() => resolve(msg.scan));
      else finish(() => reject(msg.cancelled ? new ScanCancelled(msg.message) : new Error(msg.message)));
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.postMessage({ type: 'scan', root, exclude } satisfies ScanRequest);
  });
}
