// Adapters from measured artefacts to the ranking's MeasuredData: the profile engine's summary
// (ProfileSummary, structurally typed so the ranking does not depend on its internals) and the
// runner's imports files.
import type { ImportsFile } from '../runner/types';
import { MeasuredData } from './types';

/** The fields of the profile engine's ProfileSummary that the ranking reads. */
export interface ProfileSummaryLike {
  cpuMs?: number;
  topFunctions?: { name: string; file: string; line: number; selfMs: number; totalMs: number; samples?: number }[];
  modules?: { name: string; file: string; selfMs: number; totalMs: number; notMeasured?: boolean }[];
  modulesSource?: 'imports' | 'cpu' | 'none';
  allocations?: { name: string; file: string; line: number; bytes: number }[];
}

export function measuredFromProfileSummary(summary: ProfileSummaryLike, label: string): MeasuredData {
  // The summary's modules are module load times (from import timing or module frames).
  // A module whose own load time was not measured has no figure (its row is a lower bound).
  const loads = summary.modulesSource === 'none' ? [] : (summary.modules ?? []).filter((m) => !m.notMeasured);
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
      imports.push({ file: m.file, parent: m.parent, request: m.request, startMs: m.startUs / 1000, totalMs: m.totalUs / 1000, selfMs: Math.max(0, m.selfUs) / 1000 });
    }
  }
  return { label, imports };
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
