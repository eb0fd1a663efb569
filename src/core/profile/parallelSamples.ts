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
   * What the parser does when it reaches the samples before the worker has replied:
   * - 'measured' (the default): waits while the worker, at the pace measured so far, will be done
   *   before this thread could read and reduce the samples alone at its own measured pace
   *   (waitWhileAhead); else stops the worker and reads them itself;
   * - 'race': reads them itself too, and takes the worker's reply only if it comes first
   *   (cpuParser's SamplesRace);
   * - 'wait': waits for the reply (tests of the worker's path).
   */
  readonly schedule: SamplesSchedule;
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
  /**
   * Waits for the worker while it is ahead (see `schedule`): `mainBytesPerMs` is this thread's
   * measured pace. True when it replied (take() then does not wait); false when this thread
   * should read the samples itself (the worker is then stopped).
   */
  waitWhileAhead(mainBytesPerMs: number): boolean;
}

export type SamplesSchedule = 'measured' | 'race' | 'wait';

/**
 * Time to reduce the samples after reading them, as a share of the reading time (the worker's
 * reduce and the main thread's sampleTimes each measured 0.5-0.9x the parse of the samples on the
 * generated 250 MB profile): an estimate, used alike for both threads.
 */
const REDUCE_SHARE = 0.7;
/** How long waitWhileAhead sleeps before it looks at the worker's pace again. */
const WAIT_SLICE_MS = 15;

/** Starts reading the samples of `file` in a worker, or undefined when not worth it or not possible. */
export function startSamplesJob(file: string, size: number, minBytes = PARALLEL_MIN_BYTES, schedule: SamplesSchedule = 'measured'): SamplesJob | undefined {
  if (!(size >= minBytes)) return undefined;
  const entry = workerEntry();
  if (!entry) return undefined;
  // [0]: the state (see take), [1]: progressKb, [2]: KB of samples and time deltas to read (-1 before they are found).
  const flag = new Int32Array(new SharedArrayBuffer(12));
  flag[1] = -1;
  flag[2] = -1;
  const started = performance.now();
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
  const job: SamplesJob = {
    schedule,
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
    waitWhileAhead(mainBytesPerMs) {
      for (;;) {
        if (job.finished()) return true;
        const read = Atomics.load(flag, 1), total = Atomics.load(flag, 2);
        const elapsed = performance.now() - started;
        // The worker's pace since it started (its start-up and search included: a little slow).
        const pace = read > 0 && total > 0 ? read / elapsed : 0;
        if (total > 0 && read >= total) {
          // Reading done, reducing: that is bounded by its reading time.
        } else {
          const workerLeft = pace > 0 ? (total - read + REDUCE_SHARE * total) / pace : Infinity;
          const aloneMs = ((1 + REDUCE_SHARE) * Math.max(total, 0)) / Math.max(mainBytesPerMs / 1024, 1e-9);
          if (!(workerLeft <= aloneMs)) { close(); return false; }
        }
        if (Atomics.load(flag, 0) === 3) Atomics.wait(flag, 0, 3, WAIT_SLICE_MS);
        else if (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0, WAIT_SLICE_MS);
        if (elapsed > WORK_WAIT_MS) { close(); return false; }
      }
    },
  };
  return job;
}
