// The samples of a big CPU profile reduced to runs, computed in a worker thread while the main
// thread reads the nodes (see samplesWorker.ts, parallelSamples.ts). Everything is by raw node id:
// the worker has not seen the nodes. cpuModel.ts finishes the work (the last sample, whose
// duration needs startTime/endTime, and the tree nodes) exactly as its single-threaded path does.

/** Raw runs hold at most this many samples (their counts are bytes); shared with cpuModel.ts. */
export const MAX_RUN_SAMPLES = 255;
/** Node ids per bucket when summing by id: a bucket's per-id arrays (12 bytes an id) fit in L2. */
const BUCKET_SHIFT = 14;

export interface SampleRuns {
  /** Number of samples and of time deltas in the file. */
  samples: number;
  deltas: number;
  /** Sum of the first min(samples, deltas) time deltas (negative ones read as 0). */
  deltaSum: number;
  /** Smallest and largest sample node id (0 and -1 without samples). */
  minId: number;
  maxId: number;
  /**
   * Runs of consecutive samples on the same node id over samples 0 .. samples - 2, in time
   * order: `runs` closed ones (id, µs, count), then the open one (`openId` -1 when none). The
   * arrays have room for `samples` runs.
   */
  runs: number;
  runId: Int32Array;
  runUs: Int32Array;
  runCount: Uint8Array;
  openId: number;
  openUs: number;
  openCount: number;
  /** The last sample's node id (-1 without samples). */
  lastId: number;
  /** µs of samples 0 .. samples - 2 (each lasts until the next one). */
  partialUs: number;
  /** Per node id (0 .. maxId): µs and samples of the closed runs. */
  self: Float64Array;
  count: Int32Array;
  /** Negative time deltas read as 0 (set by the worker from its reader). */
  negativeDeltas?: number;
}

/** Largest node id the per-id arrays are made for (12 bytes each). */
const maxIdLimit = 1 << 24;

/**
 * Step 1 of cpuModel's sampleTimes over all samples but the last, and the per-id sums of the
 * closed runs. `ids` is overwritten with the run ids, `deltas` (when not shorter than `ids`) with
 * the run µs, as there. Undefined for ids below 0 or above 2^24 (then `ids` and
 * `timeDeltas` are damaged and the caller reads the samples again).
 */
export function reduceSamples(ids: Int32Array, timeDeltas: Int32Array): SampleRuns | undefined {
  const m = ids.length;
  const deltas = Math.min(m, timeDeltas.length);
  const runId = ids;
  const runUs = timeDeltas.length >= m ? timeDeltas : new Int32Array(m);
  const runCount = new Uint8Array(m);
  // `node` starts as NaN, equal to no id: a negative id cannot pass unseen into a run.
  let runs = 0, partialUs = 0, node = NaN, acc = 0, cnt = 0;
  const lastId = m > 0 ? ids[m - 1] : -1;
  const firstDelta = deltas > 0 ? timeDeltas[0] : 0;
  let minId = lastId, maxId = lastId;
  const body = deltas - 1;
  // One pass (this is most of the worker's time after the parse): runs, smallest and largest id.
  for (let i = 0; i < m - 1; i++) {
    const d = i < body ? timeDeltas[i + 1] : 0;
    const s = ids[i];
    partialUs += d;
    if (s === node && cnt < MAX_RUN_SAMPLES && acc + d < 0x7fffffff) { acc += d; cnt++; } else {
      if (node >= 0) { runId[runs] = node; runUs[runs] = acc; runCount[runs] = cnt; runs++; }
      if (s < minId) minId = s;
      if (s > maxId) maxId = s;
      node = s;
      acc = d;
      cnt = 1;
    }
  }
  if (m === 0) { minId = 0; maxId = -1; }
  // Ids the per-id arrays cannot hold (negative: also the "no run" marker above): not for the worker.
  if (minId < 0 || maxId > maxIdLimit) return undefined;
  // The time deltas before the last sample: the first one, then those added above.
  const deltaSum = firstDelta + partialUs;
  // Sums by id, bucket by bucket of ids (as cpuModel's sampleTimes: a bucket's slice of the
  // per-id arrays stays in cache). Integer µs, so the order of the additions does not change them.
  const self = new Float64Array(maxId + 1);
  const count = new Int32Array(maxId + 1);
  const buckets = ((maxId + 1) >> BUCKET_SHIFT) + 1;
  const fill = new Int32Array(buckets + 1);
  for (let r = 0; r < runs; r++) fill[(runId[r] >> BUCKET_SHIFT) + 1]++;
  for (let k = 0; k < buckets; k++) fill[k + 1] += fill[k];
  const bId = new Int32Array(runs), bUs = new Int32Array(runs), bCount = new Uint8Array(runs);
  for (let r = 0; r < runs; r++) {
    const s = runId[r];
    const k = fill[s >> BUCKET_SHIFT]++;
    bId[k] = s; bUs[k] = runUs[r]; bCount[k] = runCount[r];
  }
  for (let k = 0; k < runs; k++) {
    const s = bId[k];
    self[s] += bUs[k];
    count[s] += bCount[k];
  }
  return { samples: m, deltas: timeDeltas.length, deltaSum, minId, maxId, runs, runId, runUs, runCount, openId: node >= 0 ? node : -1, openUs: acc, openCount: cnt, lastId, partialUs, self, count };
}
