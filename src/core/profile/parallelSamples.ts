// The main thread's side of reading a big .cpuprofile on two threads: a worker (samplesWorker.ts)
// reads the samples and time deltas at the end of the file while the main thread reads the nodes.
// The parser stays synchronous: it waits for the worker with Atomics.wait and takes its reply
// with receiveMessageOnPort. Without the worker's file (a bundle built without it), for small
// files, or on any doubt, the single-threaded path is used.
import * as fs from 'fs';
import * as path from 'path';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'worker_threads';
import type { SamplesReply } from './samplesWorker';

/** Below this size a worker's start-up (~30 ms) does not pay. */
export const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;
/** How long the parser waits for the worker to start, then to reply, before reading the samples itself. */
const START_WAIT_MS = 5_000, WORK_WAIT_MS = 120_000;

/**
 * The worker next to this module: the bundle's `profileIngestWorker.js`, or (tests, under tsx) the
 * TypeScript source loaded through tsx's require hook, which a worker does not inherit.
 */
function workerEntry(): { code: string; eval: boolean } | undefined {
  const bundled = path.join(__dirname, 'profileIngestWorker.js');
  if (fs.existsSync(bundled)) return { code: bundled, eval: false };
  const source = path.join(__dirname, 'samplesWorker.ts');
  if (!__filename.endsWith('.ts') || !fs.existsSync(source)) return undefined;
  try {
    const hook = require.resolve('tsx/cjs');
    return { code: `require(${JSON.stringify(hook)}); require(${JSON.stringify(source)});`, eval: true };
  } catch {
    return undefined;
  }
}

let live = 0;
/** Worker threads of this module still running (tests check that none is left behind). */
export function liveSampleWorkers(): number {
  return live;
}

export interface SamplesJob {
  /**
   * True (the default): when the parser reaches the samples before the worker has replied, it
   * reads them itself and takes the worker's reply only if it comes first (cpuParser's
   * SamplesRace). False: it waits for the reply.
   */
  readonly race: boolean;
  /** The worker's reply (waits for it), once; undefined when it failed or was already taken. */
  take(): SamplesReply | undefined;
  /** True once the worker has replied or failed (take() then does not wait). */
  finished(): boolean;
  /**
   * Bytes of the samples and time deltas the worker has read so far, counted from its "samples"
   * key (in KB, a little ahead of its parse); -1 before it has found them.
   */
  progressKb(): number;
  /** Stops the worker if it still runs. */
  close(): void;
}

/** Starts reading the samples of `file` in a worker, or undefined when not worth it or not possible. */
export function startSamplesJob(file: string, size: number, minBytes = PARALLEL_MIN_BYTES, race = true): SamplesJob | undefined {
  if (!(size >= minBytes)) return undefined;
  const entry = workerEntry();
  if (!entry) return undefined;
  // [0]: the state (see take), [1]: progressKb.
  const flag = new Int32Array(new SharedArrayBuffer(8));
  flag[1] = -1;
  const { port1, port2 } = new MessageChannel();
  let worker: Worker;
  try {
    worker = new Worker(entry.code, { eval: entry.eval, workerData: { file, port: port2, flag }, transferList: [port2 as MessagePort] });
  } catch {
    port1.close();
    return undefined;
  }
  live++;
  worker.unref();
  worker.on('exit', () => live--);
  // An error in the worker (it catches its own; this is for a crash or a failed start) answers no.
  worker.on('error', () => { Atomics.store(flag, 0, 2); Atomics.notify(flag, 0); });
  let done = false;
  const close = () => {
    if (done) return;
    done = true;
    port1.close();
    void worker.terminate();
  };
  return {
    race,
    take() {
      if (done) return undefined;
      // 0: not started yet, 3: reading, 1: replied (2: failed). Waiting blocks the thread, so the
      // worker's events cannot run meanwhile: hence the flag, and a bounded wait for its start.
      if (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0, START_WAIT_MS);
      if (Atomics.load(flag, 0) === 3) Atomics.wait(flag, 0, 3, WORK_WAIT_MS);
      const reply = Atomics.load(flag, 0) === 1 ? (receiveMessageOnPort(port1)?.message as SamplesReply | undefined) : undefined;
      close();
      return reply;
    },
    finished() {
      const state = Atomics.load(flag, 0);
      return done || state === 1 || state === 2;
    },
    progressKb() {
      return Atomics.load(flag, 1);
    },
    close,
  };
}
