// Chrome trace-event JSON (DevTools Performance panel, `node --trace-events`... with the
// v8.cpu_profiler category): CPU samples arrive as `Profile` + `ProfileChunk` events per
// process/thread. Collected into the same raw form as a .cpuprofile.
import { scriptIdOf, type RawCpuProfile, type RawFrame } from './cpuParser';

interface TraceEvent { name?: string; pid?: number; tid?: number; id?: string | number; args?: { data?: Record<string, unknown> } }
interface ChunkNode { id: number; parent?: number; callFrame?: Partial<Omit<RawFrame, 'scriptId'>> & { scriptId?: unknown } }

export interface TraceProfile { pid: number; tid: number; raw: RawCpuProfile }

export function traceEventsOf(data: unknown): TraceEvent[] | undefined {
  if (Array.isArray(data)) return data as TraceEvent[];
  const events = (data as { traceEvents?: unknown })?.traceEvents;
  return Array.isArray(events) ? (events as TraceEvent[]) : undefined;
}

export function cpuProfilesFromTrace(events: TraceEvent[]): TraceProfile[] {
  const byId = new Map<string, { pid: number; tid: number; startTime: number; nodes: ChunkNode[]; samples: number[]; deltas: number[] }>();
  for (const e of events) {
    if (e?.name !== 'Profile' && e?.name !== 'ProfileChunk') continue;
    const key = `${e.pid}:${e.id}`;
    let p = byId.get(key);
    if (!p) byId.set(key, (p = { pid: e.pid ?? 0, tid: e.tid ?? 0, startTime: 0, nodes: [], samples: [], deltas: [] }));
    const data = e.args?.data ?? {};
    if (e.name === 'Profile') p.startTime = Number(data.startTime) || 0;
    const cpu = data.cpuProfile as { nodes?: ChunkNode[]; samples?: number[] } | undefined;
    if (cpu?.nodes) p.nodes.push(...cpu.nodes);
    if (cpu?.samples) p.samples.push(...cpu.samples);
    if (Array.isArray(data.timeDeltas)) p.deltas.push(...(data.timeDeltas as number[]));
  }
  const out: TraceProfile[] = [];
  for (const p of byId.values()) {
    if (p.nodes.length === 0 || p.samples.length === 0) continue;
    out.push({ pid: p.pid, tid: p.tid, raw: toRaw(p.nodes, p.samples, p.deltas, p.startTime) });
  }
  return out;
}

function toRaw(nodes: ChunkNode[], samples: number[], deltas: number[], startTime: number): RawCpuProfile {
  const indexOf = new Map(nodes.map((n, i) => [n.id, i]));
  const frames: RawFrame[] = nodes.map((n) => ({
    functionName: n.callFrame?.functionName ?? '',
    url: n.callFrame?.url ?? '',
    lineNumber: n.callFrame?.lineNumber ?? -1,
    columnNumber: n.callFrame?.columnNumber ?? -1,
    scriptId: scriptIdOf(n.callFrame?.scriptId),
  }));
  const known = samples.filter((s) => indexOf.has(s));
  const total = deltas.reduce((a, d) => a + Math.max(0, d), 0);
  return {
    frames,
    nodeFrame: Int32Array.from(nodes, (_, i) => i),
    nodeParent: Int32Array.from(nodes, (n) => (n.parent !== undefined ? indexOf.get(n.parent) ?? -1 : -1)),
    samples: Int32Array.from(known, (s) => indexOf.get(s)!),
    timeDeltas: Int32Array.from(deltas.slice(0, known.length), (d) => Math.max(0, d)),
    tickNode: new Int32Array(0),
    tickLine: new Int32Array(0),
    tickCount: new Int32Array(0),
    startTime,
    endTime: startTime + total,
  };
}
