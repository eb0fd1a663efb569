// Adapters from measured artefacts to the ranking's MeasuredData: the profile engine's summary
// (ProfileSummary, structurally typed so the ranking does not depend on its internals), the
// runner's imports files, and raw .cpuprofile / .heapprofile JSON.
import { fileURLToPath } from 'url';
import type { ImportsFile } from '../runner/types';
import { MeasuredData } from './types';

/** The fields of the profile engine's ProfileSummary that the ranking reads. */
export interface ProfileSummaryLike {
  cpuMs?: number;
  topFunctions?: { name: string; file: string; line: number; selfMs: number; totalMs: number }[];
  modules?: { name: string; file: string; selfMs: number; totalMs: number }[];
  modulesSource?: 'imports' | 'cpu' | 'none';
  allocations?: { name: string; file: string; line: number; bytes: number }[];
}

export function measuredFromProfileSummary(summary: ProfileSummaryLike, label: string): MeasuredData {
  // The summary's modules are module load times (from import timing or module frames).
  const loads = summary.modulesSource === 'none' ? [] : summary.modules ?? [];
  return {
    label,
    totalMs: summary.cpuMs,
    topFunctions: (summary.topFunctions ?? []).map((f) => ({ ...f, name: f.name.startsWith('(module)') ? '(module)' : f.name })),
    allocations: summary.allocations,
    imports: loads.map((m) => ({ file: m.file, selfMs: m.selfMs, totalMs: m.totalMs })),
  };
}

export function measuredFromImports(files: ImportsFile[], label: string): MeasuredData {
  const imports: NonNullable<MeasuredData['imports']> = [];
  for (const f of files) {
    for (const m of f.modules) {
      if (m.kind === 'builtin' || m.totalUs < 0) continue;
      imports.push({ file: m.file, parent: m.parent, totalMs: m.totalUs / 1000, selfMs: Math.max(0, m.selfUs) / 1000 });
    }
  }
  return { label, imports };
}

interface RawCpuNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface RawCpuProfile { nodes: RawCpuNode[]; samples: number[]; timeDeltas: number[] }
interface RawHeapNode { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children?: RawHeapNode[] }

const toPath = (url: string) => {
  if (!url) return '';
  try {
    return url.startsWith('file://') ? fileURLToPath(url) : url;
  } catch {
    return '';
  }
};

/** Self and total CPU time per function of a raw .cpuprofile (times from timeDeltas, not interval x count). */
export function measuredFromCpuProfile(raw: RawCpuProfile, label: string): MeasuredData {
  if (!raw || !Array.isArray(raw.nodes) || !Array.isArray(raw.samples) || !Array.isArray(raw.timeDeltas)) {
    throw new Error(`${label}: not a .cpuprofile (expected nodes, samples and timeDeltas)`);
  }
  const byId = new Map(raw.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of raw.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  // timeDeltas[i + 1] is the time until the next sample: the duration attributed to sample i.
  for (let i = 0; i < raw.samples.length; i++) {
    const d = raw.timeDeltas[i + 1] ?? 0;
    selfUs.set(raw.samples[i], (selfUs.get(raw.samples[i]) ?? 0) + Math.max(0, d));
  }
  const fns = new Map<string, { name: string; file: string; line: number; selfMs: number; totalMs: number }>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    totalUs += us;
    const seen = new Set<string>();
    for (let cur: number | undefined = id, self = true; cur !== undefined; cur = parent.get(cur), self = false) {
      const cf = byId.get(cur)?.callFrame;
      const file = cf && toPath(cf.url);
      if (!cf || !file) continue;
      const line = cf.lineNumber + 1;
      const name = cf.functionName === '' && cf.lineNumber === 0 ? '(module)' : cf.functionName || '(anonymous)';
      const key = `${file}:${line}:${name}`;
      const f = fns.get(key) ?? { name, file, line, selfMs: 0, totalMs: 0 };
      fns.set(key, f);
      if (self) f.selfMs += us / 1000;
      // Recursion: count a function's total once per sample.
      if (!seen.has(key)) f.totalMs += us / 1000;
      seen.add(key);
    }
  }
  return { label, totalMs: totalUs / 1000, topFunctions: [...fns.values()].sort((a, b) => b.selfMs - a.selfMs) };
}

/** Allocated bytes per function of a raw .heapprofile. */
export function measuredFromHeapProfile(raw: { head: RawHeapNode }, label: string): MeasuredData {
  if (!raw || typeof raw.head !== 'object') throw new Error(`${label}: not a .heapprofile (expected head)`);
  const out = new Map<string, { name: string; file: string; line: number; bytes: number }>();
  const stack: RawHeapNode[] = [raw.head];
  while (stack.length) {
    const n = stack.pop()!;
    const file = toPath(n.callFrame.url);
    if (file && n.selfSize > 0) {
      const line = n.callFrame.lineNumber + 1;
      const key = `${file}:${line}`;
      const a = out.get(key) ?? { name: n.callFrame.functionName || '(anonymous)', file, line, bytes: 0 };
      a.bytes += n.selfSize;
      out.set(key, a);
    }
    stack.push(...(n.children ?? []));
  }
  return { label, allocations: [...out.values()].sort((a, b) => b.bytes - a.bytes) };
}

export function mergeMeasured(label: string, ...parts: MeasuredData[]): MeasuredData {
  const out: MeasuredData = { label };
  for (const p of parts) {
    if (p.topFunctions) out.topFunctions = [...(out.topFunctions ?? []), ...p.topFunctions];
    if (p.modules) out.modules = [...(out.modules ?? []), ...p.modules];
    if (p.allocations) out.allocations = [...(out.allocations ?? []), ...p.allocations];
    if (p.imports) out.imports = [...(out.imports ?? []), ...p.imports];
    if (p.totalMs !== undefined) out.totalMs = (out.totalMs ?? 0) + p.totalMs;
  }
  return out;
}
