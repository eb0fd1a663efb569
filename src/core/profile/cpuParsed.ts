// A small, clean .cpuprofile through JSON.parse: in a fresh process (the CLI after the target
// exits) the engine's native parser reads a few MB in about half the CPU of the byte scanner,
// whose code has not been optimised yet at that point (issue 17). Only the shape V8 writes is
// taken: small dense integer node ids, parents written before their children, integer samples
// and time deltas, plain call frames. Anything else returns undefined and the byte scanner reads the file, with its
// errors for damaged input; both give the same RawCpuProfile (tested on real profiles).
import { scriptIdOf, type RawCpuProfile, type RawFrame } from './cpuParser';

/** Up to this size a profile is read through JSON.parse (the objects take about 10x the bytes). */
export const PARSED_MAX_BYTES = 16 * 1024 * 1024;

const isInt32 = (v: unknown): v is number => typeof v === 'number' && (v | 0) === v && !Object.is(v, -0);

export function cpuProfileFromJson(data: unknown): RawCpuProfile | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const { nodes, samples, timeDeltas, startTime, endTime } = data as Record<string, unknown>;
  if (!Array.isArray(nodes) || nodes.length === 0 || !Array.isArray(samples)) return undefined;
  if (timeDeltas !== undefined && !Array.isArray(timeDeltas)) return undefined;
  if ((startTime !== undefined && typeof startTime !== 'number') || (endTime !== undefined && typeof endTime !== 'number')) return undefined;
  const n = nodes.length;
  // Node ids to indexes: V8 numbers nodes in the order it made them and writes them in pre-order,
  // so ids are small and dense (the merged profiles the preload rewrites are numbered 1, 2, 3...).
  let maxId = -1;
  for (let i = 0; i < n; i++) {
    const id = (nodes[i] as { id?: unknown } | null)?.id;
    if (!isInt32(id) || id < 0) return undefined;
    if (id > maxId) maxId = id;
  }
  if (maxId > n * 4 + 1024) return undefined;
  const indexOf = new Int32Array(maxId + 1).fill(-1);
  for (let i = 0; i < n; i++) {
    const id = (nodes[i] as { id: number }).id;
    if (indexOf[id] >= 0) return undefined;
    indexOf[id] = i;
  }
  const index = (id: unknown): number => (isInt32(id) && id >= 0 && id <= maxId ? indexOf[id] : -1);

  const frames: RawFrame[] = [];
  const frameIndex = new Map<string, number>();
  const nodeFrame = new Int32Array(n);
  const parent = new Int32Array(n).fill(-1);
  const ticks: number[] = [];
  for (let i = 0; i < n; i++) {
    const node = nodes[i] as Record<string, unknown> | null;
    if (typeof node !== 'object' || node === null) return undefined;
    const cf = node.callFrame as Record<string, unknown> | null;
    if (typeof cf !== 'object' || cf === null || Array.isArray(cf)) return undefined;
    const functionName = cf.functionName ?? '';
    const url = cf.url ?? '';
    const lineNumber = cf.lineNumber ?? -1;
    const columnNumber = cf.columnNumber ?? -1;
    if (typeof functionName !== 'string' || typeof url !== 'string' || typeof lineNumber !== 'number' || typeof columnNumber !== 'number') return undefined;
    if (cf.scriptId !== undefined && typeof cf.scriptId !== 'string' && typeof cf.scriptId !== 'number') return undefined;
    const scriptId = cf.scriptId === undefined ? -1 : scriptIdOf(cf.scriptId);
    const key = `${scriptId}\0${lineNumber}\0${columnNumber}\0${url}\0${functionName}`;
    let f = frameIndex.get(key);
    if (f === undefined) {
      f = frames.length;
      frames.push({ functionName, url, lineNumber, columnNumber, scriptId });
      frameIndex.set(key, f);
    }
    nodeFrame[i] = f;
    if (node.parent !== undefined) {
      const p = index(node.parent);
      if (p < 0 || (parent[i] >= 0 && parent[i] !== p)) return undefined;
      parent[i] = p;
    }
    const children = node.children;
    if (children !== undefined) {
      if (!Array.isArray(children)) return undefined;
      for (const c of children) {
        const child = index(c);
        if (child < 0 || (parent[child] >= 0 && parent[child] !== i)) return undefined;
        parent[child] = i;
      }
    }
    const pt = node.positionTicks;
    if (pt !== undefined) {
      if (!Array.isArray(pt)) return undefined;
      for (const t of pt as { line?: unknown; ticks?: unknown }[]) {
        if (typeof t !== 'object' || t === null) return undefined;
        const line = t.line ?? 0, count = t.ticks ?? 0;
        if (!isInt32(line) || !isInt32(count)) return undefined;
        ticks.push(i, line, count);
      }
    }
  }
  // Parents before children, as V8 writes them: then no cycle is possible.
  for (let i = 0; i < n; i++) if (parent[i] >= i) return undefined;

  const sampleIdx = new Int32Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const k = index(samples[i]);
    if (k < 0) return undefined;
    sampleIdx[i] = k;
  }
  const deltas = new Int32Array(timeDeltas ? timeDeltas.length : 0);
  let negatives = 0;
  if (timeDeltas) {
    for (let i = 0; i < timeDeltas.length; i++) {
      const d = timeDeltas[i];
      if (!isInt32(d)) return undefined;
      if (d < 0) negatives++;
      else deltas[i] = d;
    }
  }
  const tickCount = ticks.length / 3;
  const tickNode = new Int32Array(tickCount), tickLine = new Int32Array(tickCount), tickTicks = new Int32Array(tickCount);
  for (let k = 0; k < tickCount; k++) { tickNode[k] = ticks[3 * k]; tickLine[k] = ticks[3 * k + 1]; tickTicks[k] = ticks[3 * k + 2]; }
  return {
    frames, nodeFrame, nodeParent: parent, samples: sampleIdx, timeDeltas: deltas, runs: undefined,
    tickNode, tickLine, tickCount: tickTicks, startTime: (startTime as number | undefined) ?? 0, endTime: (endTime as number | undefined) ?? 0, negativeDeltas: negatives,
  };
}
