// Adds one process's raw CPU profile to the model: self time per node from the samples and their
// time deltas (never interval x count: V8 samples slower than asked), line ticks, the timeline.
import type { ModelBuilder } from './builder';
import type { RawCpuProfile } from './cpuParser';
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
  for (const i of parentsFirst(raw.nodeParent)) {
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
  proc.cpuSamples = (proc.cpuSamples ?? 0) + raw.samples.length;
  b.cpuUs += totalUs;
  b.cpuSamples += raw.samples.length;

  addLineTicks(b, raw, frameMap, self, state);
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

/**
 * One pass over the samples: self µs and sample count per raw node, and the timeline as runs of
 * consecutive samples on the same node. Sample i lasts until sample i + 1 (as in DevTools).
 * The runs are written over the samples and deltas themselves (run r is written once sample
 * r + 1 or later has been read): a long recording has no memory for a second copy.
 */
function sampleTimes(b: ModelBuilder, raw: RawCpuProfile, nodeMap: Int32Array): { self: Float64Array; count: Int32Array; totalUs: number } {
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
  let runs = 0;
  let node = -1;
  let acc = 0;
  let totalUs = 0;
  for (let i = 0; i < m; i++) {
    const d = i + 1 < deltas ? timeDeltas[i + 1] : i === m - 1 ? lastUs : 0;
    const s = samples[i];
    self[s] += d;
    count[s]++;
    totalUs += d;
    const merged = nodeMap[s];
    // A run longer than an Int32 of µs (35 minutes on one stack) is split in two.
    if (merged === node && acc + d < 0x7fffffff) acc += d;
    else {
      if (node >= 0) { runNode[runs] = node; runUs[runs] = acc; runs++; }
      node = merged;
      acc = d;
    }
  }
  if (node >= 0) { runNode[runs] = node; runUs[runs] = acc; runs++; }
  b.addTimeline(runNode.subarray(0, runs), runUs.subarray(0, runs));
  return { self, count, totalUs };
}

/**
 * The last sample runs to endTime, but a profile stopped long after its last sample (an idle
 * process) would give it all that time: cap it at the mean sampling gap.
 */
function lastDuration(raw: RawCpuProfile, deltas: number): number {
  let last = raw.startTime;
  for (let i = 0; i < deltas; i++) last += raw.timeDeltas[i];
  const m = raw.samples.length;
  if (!(raw.endTime > last)) return 0;
  return Math.min(raw.endTime - last, m > 1 ? (last - raw.startTime) / (m - 1) : raw.endTime - last);
}

function addLineTicks(b: ModelBuilder, raw: RawCpuProfile, frameMap: Int32Array, self: Float64Array, state: Uint8Array): void {
  const { tickNode, tickLine, tickCount } = raw;
  const ticksPerNode = new Float64Array(raw.nodeFrame.length);
  for (let k = 0; k < tickNode.length; k++) ticksPerNode[tickNode[k]] += tickCount[k];
  // Sum per (frame, generated line) first: source-mapping a line is worth doing once per pair.
  const perFrame: (Map<number, LineStat> | undefined)[] = [];
  for (let k = 0; k < tickNode.length; k++) {
    const node = tickNode[k];
    const f = frameMap[raw.nodeFrame[node]];
    if (f < 0 || state[node] === FOLDED || tickCount[k] <= 0 || tickLine[k] <= 0) continue;
    const lines = perFrame[f] ?? (perFrame[f] = new Map());
    let stat = lines.get(tickLine[k]);
    if (!stat) lines.set(tickLine[k], (stat = { samples: 0, us: 0 }));
    stat.samples += tickCount[k];
    stat.us += (self[node] * tickCount[k]) / ticksPerNode[node];
  }
  perFrame.forEach((generated, f) => {
    if (!generated) return;
    for (const [genLine, stat] of generated) {
      const line = b.frames.originalLine(f, genLine);
      if (line <= 0) continue;
      let lines = b.lineTicks.get(f);
      if (!lines) b.lineTicks.set(f, (lines = new Map()));
      const sum = lines.get(line);
      if (sum) { sum.samples += stat.samples; sum.us += stat.us; } else lines.set(line, stat);
    }
  });
}
