// JSON-ready summaries of a model (the CLI's --json contract): top functions by self time,
// modules by load time, allocations by bytes.
import * as path from 'path';
import { aggregate, groupFrames } from './aggregate';
import { displayPath, OUTSIDE_PACKAGE } from './classify';
import { measuredThreads, onCpuLine, sampledWaiting } from './onCpu';
import type { ModelFrame, ModelTree, ModuleSummary, ProfileModel, ProfileSummary } from './types';
import { NOT_MEASURED } from './importsModel';

const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;
const isCode = (f: ModelFrame) => f.kind !== 'idle' && f.kind !== 'program';

export function summarize(model: ProfileModel, opts: { top?: number } = {}): ProfileSummary {
  const top = opts.top ?? 20;
  const summary: ProfileSummary = {
    cpuMs: round((model.cpu?.totalUs ?? 0) / 1000),
    samples: model.cpu?.sampleCount ?? 0,
    topFunctions: [],
    modules: [],
    modulesSource: 'none',
    allocations: [],
    notes: [...model.notes],
  };
  // One grouping of frames into functions serves the CPU and the allocation tables.
  const functions = groupFrames(model.frames, (f) => (isCode(f) ? `${f.name}\0${f.path ?? f.url}\0${f.line}` : undefined));
  if (model.cpu) {
    summary.topFunctions = topBySelf(model, model.cpu.tree, functions, top)
      .map(({ f, self, total, samples }) => ({ name: f.name, file: f.file, line: f.line, selfMs: round(self / 1000), totalMs: round(total / 1000), samples, blocking: f.blocking ?? null }));
    summary.waitingMs = round(sampledWaiting(model).ms);
    const m = measuredThreads(model);
    summary.measured = m ? { cpuMs: round(m.cpuMs), runQueueMs: m.runQueueMs === undefined ? null : round(m.runQueueMs), wallMs: round(m.wallMs), threads: m.threads, measuredThreads: m.measured, source: m.source ?? null } : null;
    summary.onCpu = onCpuLine(model, summary.cpuMs);
  }
  if (model.imports) {
    // A module not measured in one process and measured in another is one row (flagged).
    summary.modules = moduleTotals(model, model.imports.tree, (f) => (f.isModule ? (f.notMeasured ? f.name.slice(0, -NOT_MEASURED.length) : f.name) : undefined), top);
    summary.modulesSource = 'imports';
  } else if (model.cpu) {
    summary.modules = moduleTotals(model, model.cpu.tree, (f) => (f.isModule && f.path ? packageName(f) ?? displayPath(model.root, f.path) : undefined), top);
    summary.modulesSource = summary.modules.length ? 'cpu' : 'none';
  }
  if (model.alloc) {
    summary.allocations = topBySelf(model, model.alloc.tree, functions, top)
      .map(({ f, self }) => ({ name: f.name, file: f.file, line: f.line, bytes: self }));
  }
  return summary;
}

/** The `top` function groups with the largest self value in `tree`, largest first. */
function topBySelf(model: ProfileModel, tree: ModelTree, groups: ReturnType<typeof groupFrames>, top: number) {
  const t = aggregate(tree, groups.groupOfFrame, groups.firstFrame.length);
  return topGroups(t.self, top).map((g) => ({ f: model.frames[groups.firstFrame[g]], self: t.self[g], total: t.total[g], samples: t.samples[g] }));
}

/**
 * The `top` groups with the largest value above 0, largest first, ties in group order: what a
 * stable sort of all groups by value would give, without an object per group (a big profile has
 * tens of thousands of functions).
 */
export function topGroups(value: Float64Array, top: number): number[] {
  const best: number[] = [];
  if (top <= 0) return best;
  for (let g = 0; g < value.length; g++) {
    const v = value[g];
    if (!(v > 0) || (best.length === top && v <= value[best[top - 1]])) continue;
    // After every kept group with a value >= v (earlier groups win ties).
    let at = best.length;
    while (at > 0 && value[best[at - 1]] < v) at--;
    best.splice(at, 0, g);
    if (best.length > top) best.pop();
  }
  return best;
}

/** The npm package of a frame; files outside the workspace and node_modules have none. */
function packageName(f: ModelFrame): string | undefined {
  return f.pkg && f.pkg !== OUTSIDE_PACKAGE ? f.pkg : undefined;
}

/** Modules grouped by name (package or relative path), by inclusive time. */
function moduleTotals(model: ProfileModel, tree: ModelTree, nameOf: (f: ModelFrame) => string | undefined, top: number): ModuleSummary[] {
  const { groupOfFrame, keys, firstFrame } = groupFrames(model.frames, nameOf);
  const t = aggregate(tree, groupOfFrame, keys.length);
  const notMeasured = new Set<number>();
  model.frames.forEach((f, i) => { if (f.notMeasured && groupOfFrame[i] >= 0) notMeasured.add(groupOfFrame[i]); });
  return topGroups(t.total, top)
    .map((g) => ({ name: keys[g], g, f: model.frames[firstFrame[g]] }))
    .map(({ name, g, f }) => ({
      name, file: moduleFile(model.root, f, name), selfMs: round(t.self[g] / 1000, 3), totalMs: round(t.total[g] / 1000, 3),
      ...(notMeasured.has(g) ? { notMeasured: true } : {}),
    }));
}

/** For a package, its folder (node_modules/<name>); for a file, its display path. */
function moduleFile(root: string, f: ModelFrame, name: string): string {
  if (packageName(f) && f.path) {
    const norm = f.path.split(path.sep).join('/');
    const at = norm.lastIndexOf(`/node_modules/${f.pkg}/`);
    if (at >= 0) return displayPath(root, norm.slice(0, at + `/node_modules/${f.pkg}`.length));
  }
  return f.file || name;
}
