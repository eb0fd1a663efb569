// Worker thread entry (bundled to dist/engines/rankWorker.js). Two jobs:
//   'analyze': parse a chunk of files for the pool (pool.ts);
//   'scan':    walk + parse a whole workspace off the extension host's thread, with progress and
//              cancel; the caller builds the RankState from the returned signals.
import { parentPort } from 'worker_threads';
import { analyzeFiles } from './inline';
import type { FromWorker, ToWorker } from './pool';
import { scanWorkspace } from './scan';
import type { ScanResult } from './scan';

export type ScanRequest = { type: 'scan'; root: string; exclude?: string[]; workers?: number | 'auto' } | { type: 'cancel' };
export type ScanReply =
  | { type: 'progress'; done: number; total: number }
  | { type: 'scanned'; scan: ScanResult }
  | { type: 'failed'; message: string; cancelled: boolean };

const port = parentPort;
if (port) {
  let controller: AbortController | undefined;
  port.on('message', (msg: ToWorker | ScanRequest) => {
    if (msg.type === 'analyze') {
      analyzeFiles(msg.root, msg.files, {}).then(
        (r) => port.postMessage({ type: 'analyzed', ...r } satisfies FromWorker),
        (err) => port.postMessage({ type: 'error', message: String(err?.message ?? err) } satisfies FromWorker),
      );
    } else if (msg.type === 'scan') {
      controller = new AbortController();
      let last = 0;
      scanWorkspace(msg.root, {
        exclude: msg.exclude,
        signal: controller.signal,
        workers: msg.workers,
        // Throttled: a message per file would cost more than the parsing.
        onProgress: (done, total) => {
          const now = Date.now();
          if (now - last > 100 || done === total) {
            last = now;
            port.postMessage({ type: 'progress', done, total } satisfies ScanReply);
          }
        },
      }).then(
        (scan) => port.postMessage({ type: 'scanned', scan } satisfies ScanReply),
        (err) => port.postMessage({ type: 'failed', message: String(err?.message ?? err), cancelled: err?.name === 'CancelledError' } satisfies ScanReply),
      );
    } else if (msg.type === 'cancel') {
      controller?.abort();
    }
  });
}
