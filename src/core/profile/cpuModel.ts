// Adds one process's raw CPU profile to the model: self time per node from the samples and their
// time deltas (never interval x count: V8 samples slower than asked), line ticks, the timeline.
import type { ModelBuilder } from './builder';
import type { RawCpuProfile } from './cpuParser';
import { MAX_RUN_SAMPLES } from './sampleRuns';
import type { LineStat, ModelProcess } from './types';

/** frameMap values that are not frames: dropped (children go to the parent), the preload's setup, other preload code. */
const ELIDE = -1, SETUP = -2, PRELOAD = -3;
/** Node states while mapping the tree. */
const IN_PRELOAD = 1, FOLDED = 2;

export function addCpuProfile(b: ModelBuilder, raw: RawCpuProfile, proc: ModelProcess): void {
  const tree = b.cpu();
  const procNode = tree.child(0, b.processFrame(proc));
  proc.cpuNode = procNode;

  // V8's "(root)" frame collapses into the process node; so do the preload's wrappers (ELIDE).
  // The preload's own work becomes `(hotpath profiler)` (see preloadFrames.ts).
  const frameMap = new Int32Array(raw.frames.length);
  raw.frames.forEach((f, i) => {
    if (f.functionName === '(root)' && f.url === '') { frameMap[i] = ELIDE; return; }
    const role = b.preload.role(f.functionName, f.url, f.lineNumber, f.columnNumber);
    frameMap[i] = role === 'wrapper' ? ELIDE : role === 'setup' ? SETUP : role === 'other' ? PRELOAD
      : b.frames.fromCallFrame(f.functionName, f.url, f.lineNumber >= 0 ? f.lineNumber + 1 : 0, f.columnNumber >= 0 ? f.columnNumber + 1 : 0);
  });

  const n = raw.nodeFrame.length;
  const nodeMap = new Int32Array(n).fill(-1);
  // Per node: 0 user frame, IN_PRELOAD a preload frame (callees in the preload merge into it),
  // FOLDED inside the preload's setup (everything there is the profiler's overhead).
  const state = new Uint8Array(n);
  const order = parentsFirst(raw.nodeParent);
  for (let o = 0; o < n; o++) {
    const i = order[o];
    const p = raw.nodeParent[i];
    const parentNode = p < 0 || nodeMap[p] < 0 ? procNode : nodeMap[p];
    const parentState = p < 0 ? 0 : state[p];
    const f = frameMap[raw.nodeFrame[i]];
    if (parentState === FOLDED) { nodeMap[i] = parentNode; state[i] = FOLDED; }
    else if (f === ELIDE) { nodeMap[i] = parentNode; state[i] = parentState; }
    else if (f === SETUP || f === PRELOAD) {
      nodeMap[i] = parentState === IN_PRELOAD ? parentNode : tree.child(parentNode, b.profilerFrame());
      state[i] = f === SETUP ? FOLDED : IN_PRELOAD;
    } else nodeMap[i] = tree.child(parentNode, f);
  }

  const { self, count, totalUs } = sampleTimes(b, raw, nodeMap);
  for (let i = 0; i < n; i++) if (count[i] > 0 || self[i] > 0) tree.addSelf(nodeMap[i], self[i], count[i]);
  proc.cpuUs = (proc.cpuUs ?? 0) + totalUs;
  const sampleCount = raw.runs ? raw.runs.samples : raw.samples.length;
  proc.cpuSamples = (proc.cpuSamples ?? 0) + sampleCount;
  b.cpuUs += totalUs;
  b.cpuSamples += sampleCount;

  addLineTicks(b, raw, frameMap, self, state);
  if (raw.negativeDeltas) {
    b.note(`${proc.label ?? 'A process'}: the CPU profile has ${raw.negativeDeltas} negative time delta${raw.negativeDeltas > 1 ? 's' : ''} (samples recorded out of order), read as 0: the time of the sample${raw.negativeDeltas > 1 ? 's' : ''} before ${raw.negativeDeltas > 1 ? 'them is' : 'it is'} counted as 0 and the times around ${raw.negativeDeltas > 1 ? 'them' : 'it'} are approximate.`);
  }
}

/** Node indexes ordered so that every parent comes before its children. */
function parentsFirst(parent: Int32Array): Int32Array {
  const n = parent.length;
  const order = new Int32Array(n);
  const state = new Uint8Array(n); // 0 new, 2 on the stack (guards against cycles), 1 placed
  let k = 0;
  const stack: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i; j >= 0 && state[j] === 0; j = parent[j]) { state[j] = 2; stack.push(j); }
    while (stack.length) {
      const j = stack.pop()!;
      state[j] = 1;
      order[k++] = j;
    }
  }
  return order;
}

/** Raw nodes per bucket in sampleTimes: a bucket's per-node arrays (16 bytes a node) fit in L2. */
const BUCKET_SHIFT = 14;

/**
 * Self µs and sample count per raw node, and the timeline as runs of consecutive samples on the
 * same tree node. Sample i lasts until sample i + 1 (as in DevTools).
 *
 * On a big profile the cost is memory latency, not arithmetic: a sample lands on a random node,
 * and per-node arrays of a few MB miss every cache. So the samples go through four passes:
 * 1. in order, collapse consecutive samples on the same raw node into raw runs (µs, count),
 *    written over the samples and deltas themselves (run r is written once sample r or later
 *    has been read: a long recording has no memory for a second copy);
 * 2. copy the runs into buckets of 16k raw nodes (sequential writes into a few dozen streams);
 * 3. bucket by bucket, add each run to its node's self and count and look up its tree node
 *    (the bucket's slice of the per-node arrays stays in cache), writing it back at the run;
 * 4. in order, merge consecutive runs on the same tree node into the timeline.
 * Sums are of integer µs, so adding a run at once gives exactly the per-sample sum.
 */
function sampleTimes(b: ModelBuilder, raw: RawCpuProfile, nodeMap: Int32Array): { self: Float64Array; count: Int32Array; totalUs: number } {
  if (raw.runs) return sampleTimesFromRuns(b, raw, raw.runs, nodeMap);
  const n = raw.nodeFrame.length;
  const self = new Float64Array(n);
  const count = new Int32Array(n);
  const { samples, timeDeltas } = raw;
  const m = samples.length;
  if (timeDeltas.length !== m) {
    b.note(`A CPU profile has ${m} samples but ${timeDeltas.length} time deltas (truncated recording?); times use the deltas that are there.`);
  }
  const deltas = Math.min(m, timeDeltas.length);
  const lastUs = m > 0 ? Math.round(lastDuration(raw, deltas)) : 0;
  const runNode = samples;
  const runUs = timeDeltas.length >= m ? timeDeltas : new Int32Array(m);
  const runCount = new Uint8Array(m);

  // 1. Raw runs. A run stops before its µs would overflow an Int32 (35 minutes on one stack).
  let runs = 0;
  let totalUs = 0;
  let node = -1;
  let acc = 0;
  let cnt = 0;
  const body = deltas - 1;
  for (let i = 0; i < m; i++) {
    const d = i < body ? timeDeltas[i + 1] : i === m - 1 ? lastUs : 0;
    const s = samples[i];
    totalUs += d;
    if (s === node && cnt < MAX_RUN_SAMPLES && acc + d < 0x7fffffff) { acc += d; cnt++; } else {
      if (node >= 0) { runNode[runs] = node; runUs[runs] = acc; runCount[runs] = cnt; runs++; }
      node = s;
      acc = d;
      cnt = 1;
    }
  }
  if (node >= 0) { runNode[runs] = node; runUs[runs] = acc; runCount[runs] = cnt; runs++; }

  // 2. Runs by bucket of raw nodes, in time order within a bucket.
  const buckets = (n >> BUCKET_SHIFT) + 1;
  const fill = new Int32Array(buckets + 1);
  for (let r = 0; r < runs; r++) fill[(runNode[r] >> BUCKET_SHIFT) + 1]++;
  for (let k = 0; k < buckets; k++) fill[k + 1] += fill[k];
  const bNode = new Int32Array(runs), bUs = new Int32Array(runs), bRun = new Int32Array(runs);
  const bCount = new Uint8Array(runs);
  for (let r = 0; r < runs; r++) {
    const s = runNode[r];
    const k = fill[s >> BUCKET_SHIFT]++;
    bNode[k] = s; bUs[k] = runUs[r]; bCount[k] = runCount[r]; bRun[k] = r;
  }

  // 3. Per-node sums, and each run's tree node (over its raw node).
  for (let k = 0; k < runs; k++) {
    const s = bNode[k];
    self[s] += bUs[k];
    count[s] += bCount[k];
    runNode[bRun[k]] = nodeMap[s];
  }

  timeline(b, runNode, runUs, runs);
  return { self, count, totalUs };
}

/**
 * sampleTimes when a worker thread did step 1 (but for the last sample) and the per-node sums by
 * raw node id (sampleRuns.ts): the last sample joins the runs here, exactly as above, then the
 * runs get their tree nodes and become the timeline.
 */
function sampleTimesFromRuns(b: ModelBuilder, raw: RawCpuProfile, w: NonNullable<RawCpuProfile['runs']>, nodeMap: Int32Array): { self: Float64Array; count: Int32Array; totalUs: number } {
  const n = raw.nodeFrame.length;
  const m = w.samples;
  if (w.deltas !== m) {
    b.note(`A CPU profile has ${m} samples but ${w.deltas} time deltas (truncated recording?); times use the deltas that are there.`);
  }
  const self = new Float64Array(n);
  const count = new Int32Array(n);
  const index = w.index;
  // Each id is one node (its last one, if ids repeat: as the single-threaded path resolves them).
  for (let id = 0; id < index.length; id++) {
    if (w.count[id] > 0) { self[index[id]] += w.self[id]; count[index[id]] += w.count[id]; }
  }
  const lastUs = m > 0 ? Math.round(durationAfter(raw, raw.startTime + w.deltaSum, m)) : 0;
  const { runId, runUs, runCount } = w;
  let runs = w.runs;
  let totalUs = w.partialUs;
  let node = w.openId, acc = w.openUs, cnt = w.openCount;
  if (m > 0) {
    const d = lastUs, s = w.lastId;
    totalUs += d;
    if (s === node && cnt < MAX_RUN_SAMPLES && acc + d < 0x7fffffff) { acc += d; cnt++; } else {
      if (node >= 0) { runId[runs] = node; runUs[runs] = acc; runCount[runs] = cnt; runs++; self[index[node]] += acc; count[index[node]] += cnt; }
      node = s;
      acc = d;
      cnt = 1;
    }
  }
  if (node >= 0) { runId[runs] = node; runUs[runs] = acc; runCount[runs] = cnt; runs++; self[index[node]] += acc; count[index[node]] += cnt; }
  // Tree nodes in time order, through one table by id (a few MB at most; the runs are read once).
  const treeOf = new Int32Array(index.length);
  for (let id = 0; id < index.length; id++) treeOf[id] = index[id] >= 0 ? nodeMap[index[id]] : -1;
  for (let r = 0; r < runs; r++) runId[r] = treeOf[runId[r]];
  timeline(b, runId, runUs, runs);
  return { self, count, totalUs };
}

/** Step 4 of sampleTimes: consecutive runs on the same tree node merge (below an Int32 of µs) into the timeline. */
function timeline(b: ModelBuilder, runNode: Int32Array, runUs: Int32Array, runs: number): void {
  let out = 0;
  let node = -1;
  let acc = 0;
  for (let r = 0; r < runs; r++) {
    const merged = runNode[r], d = runUs[r];
    if (merged === node && acc + d < 0x7fffffff) acc += d;
    else {
      if (node >= 0) { runNode[out] = node; runUs[out] = acc; out++; }
      node = merged;
      acc = d;
    }
  }
  if (node >= 0) { runNode[out] = node; runUs[out] = acc; out++; }
  b.addTimeline(runNode.subarray(0, out), runUs.subarray(0, out));
}

/**
 * The last sample runs to endTime, but a profile stopped long after its last sample (an idle
 * process) would give it all that time: cap it at the mean sampling gap.
 */
function lastDuration(raw: RawCpuProfile, deltas: number): number {
  let last = raw.startTime;
  for (let i = 0; i < deltas; i++) last += raw.timeDeltas[i];
  return durationAfter(raw, last, raw.samples.length);
}

/** lastDuration, given the time of the last sample and the number of samples. */
function durationAfter(raw: RawCpuProfile, last: number, m: number): number {
  if (!(raw.endTime > last)) return 0;
  return Math.min(raw.endTime - last, m > 1 ? (last - raw.startTime) / (m - 1) : raw.endTime - last);
}

function addLineTicks(b: ModelBuilder, raw: RawCpuProfile, frameMap: Int32Array, self: Float64Array, state: Uint8Array): void {
  const { tickNode, tickLine, tickCount } = raw;
  const ticks = tickNode.length;
  if (ticks === 0) return;
  const ticksPerNode = new Float64Array(raw.nodeFrame.length);
  for (let k = 0; k < ticks; k++) ticksPerNode[tickNode[k]] += tickCount[k];
  // Sum per (frame, generated line) first: source-mapping a line is worth doing once per pair.
  // The pairs live in an open-addressing table of integers (a Map per frame and an object per
  // line made most of the garbage of a big profile's model), numbered in order of first tick.
  // The table grows with the pairs (far fewer than the ticks on a big profile: kept small, it stays in cache).
  let mask = 1023;
  let slots = new Int32Array(mask + 1).fill(-1);
  const pairFrame = new Int32Array(ticks), pairLine = new Int32Array(ticks);
  const pairSamples = new Float64Array(ticks), pairUs = new Float64Array(ticks);
  let pairs = 0;
  for (let k = 0; k < ticks; k++) {
    const node = tickNode[k];
    const f = frameMap[raw.nodeFrame[node]];
    const line = tickLine[k];
    if (f < 0 || state[node] === FOLDED || tickCount[k] <= 0 || line <= 0) continue;
    let h = (Math.imul(f, 0x9e3779b1) ^ Math.imul(line, 0x85ebca77)) >>> 0;
    h = (h ^ (h >>> 15)) & mask;
    let pair: number;
    for (;;) {
      pair = slots[h];
      if (pair < 0) {
        pair = slots[h] = pairs++;
        pairFrame[pair] = f;
        pairLine[pair] = line;
        if (pairs * 2 > mask + 1) {
          // At most half full: twice the slots, every pair placed again (their numbers do not change).
          mask = mask * 2 + 1;
          slots = new Int32Array(mask + 1).fill(-1);
          for (let q = 0; q < pairs; q++) {
            let g = (Math.imul(pairFrame[q], 0x9e3779b1) ^ Math.imul(pairLine[q], 0x85ebca77)) >>> 0;
            g = (g ^ (g >>> 15)) & mask;
            while (slots[g] >= 0) g = (g + 1) & mask;
            slots[g] = q;
          }
        }
        break;
      }
      if (pairFrame[pair] === f && pairLine[pair] === line) break;
      h = (h + 1) & mask;
    }
    pairSamples[pair] += tickCount[k];
    pairUs[pair] += (self[node] * tickCount[k]) / ticksPerNode[node];
  }
  // Frame by frame (in frame order), each frame's lines in order of first tick.
  const frames = b.frames.frames.length;
  const fill = new Int32Array(frames + 1);
  for (let q = 0; q < pairs; q++) fill[pairFrame[q] + 1]++;
  for (let f = 0; f < frames; f++) fill[f + 1] += fill[f];
  const order = new Int32Array(pairs);
  for (let q = 0; q < pairs; q++) order[fill[pairFrame[q]]++] = q;
  let lastFrame = -1;
  let lines: Map<number, LineStat> | undefined;
  for (let o = 0; o < pairs; o++) {
    const q = order[o];
    const f = pairFrame[q];
    const line = b.frames.originalLine(f, pairLine[q]);
    if (line <= 0) continue;
    if (f !== lastFrame) {
      lastFrame = f;
      lines = b.lineTicks.get(f);
      if (!lines) b.lineTicks.set(f, (lines = new Map()));
    }
    const sum = lines!.get(line);
    if (sum) { sum.samples += pairSamples[q]; sum.us += pairUs[q]; } else lines!.set(line, { samples: pairSamples[q], us: pairUs[q] });
  }
}
