// Runs the profile loader in a worker thread, one per load, with its own heap limit: a huge or
// hostile profile fails with a message instead of freezing or killing the extension host.
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { LoadRequest, LoadResponse } from './loadRequest';

/** Heap for one load: profiles need about twice their size; the host keeps its own heap. */
const MAX_HEAP_MB = 4096;

export class ProfileLoadError extends Error {
  constructor(message: string, readonly original: string) {
    super(message);
    this.name = original === 'ProfileError' ? 'ProfileError' : 'ProfileLoadError';
  }
}

/** dist/profileLoader.js next to dist/extension.js; undefined when running from sources (tests). */
export function loaderScript(dir = __dirname): string | undefined {
  const file = path.join(dir, 'profileLoader.js');
  return fs.existsSync(file) ? file : undefined;
}

export function loadInWorker(script: string, request: LoadRequest): Promise<Extract<LoadResponse, { ok: true }>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: MAX_HEAP_MB, maxYoungGenerationSizeMb: 64 } });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.once('message', (res: LoadResponse) => finish(() => (res.ok ? resolve(res) : reject(new ProfileLoadError(res.message, res.name)))));
    worker.once('error', (err: Error & { code?: string }) => finish(() => reject(new ProfileLoadError(
      err.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? `The profile needs more than ${MAX_HEAP_MB} MB of memory to load; record a shorter run or a larger sampling interval (hotpath.sampling.intervalUs).`
        : `The profile loader failed: ${err.message}`,
      err.name,
    ))));
    worker.once('exit', (code) => finish(() => reject(new ProfileLoadError(`The profile loader stopped unexpectedly (exit code ${code}).`, 'Error'))));
    worker.postMessage(request);
  });
}
