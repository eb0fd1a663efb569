// The one place the extension talks to the profile model: loading a run or a file, and the few
// views of it the editor needs. Everything else in the extension works on `LoadedProfile`.
import * as path from 'path';
import type { FileHotspots, ProfileModel } from '../../core/profile';
import { features } from '../lazy';
import type { RunResult } from '../../core/runner/types';
import type { FlameGraphData } from '../../protocol/flame';
import { loadInWorker, loaderScript } from './loadOffThread';

export type { FileHotspots };

/** Where a profile comes from; kept in panel state so a reload can open it again. */
export type ProfileRef = { kind: 'run'; dir: string } | { kind: 'file'; file: string };

export interface TopFunction {
  name: string;
  file: string;
  line: number;
  selfMs: number;
  totalMs: number;
}

export interface LoadedProfile {
  ref: ProfileRef;
  title: string;
  /** Folder that relative paths in the profile are resolved against. */
  root: string;
  model: ProfileModel;
  graphs: FlameGraphData[];
  /**
   * Sampled time in ms of the program's processes: idle included, package-manager launchers
   * (npm, npx...) left out, as the flame panel shows it by default. The one denominator of every
   * share the editor shows ("% of sampled time"), so a lens and the panel read the same.
   */
  sampledMs: number;
  processes: number;
  topFunctions: TopFunction[];
  /** Epoch ms the profiled run started (runs only): files changed after it are not what ran. */
  startedAt?: number;
}

/**
 * Loads a run's profiles. `loader` is the bundled worker script: with it (the installed
 * extension) parsing happens off the extension host's thread; without it (tests), in process.
 */
export async function fromRun(result: RunResult, dir: string, root: string, title: string, loader = loaderScript(), launchers?: 'include' | 'exclude'): Promise<LoadedProfile> {
  const ref: ProfileRef = { kind: 'run', dir };
  const startedAt = result.startedAt !== undefined ? { startedAt: result.startedAt } : {};
  if (loader) return { ...assemble(ref, title, root, fromWorker(await loadInWorker(loader, { kind: 'run', result, root, launchers }))), ...startedAt };
  return { ...assemble(ref, title, root, inProcess(await features.profileCore().loadRun(result, { root, launchers }))), ...startedAt };
}

export async function fromFile(file: string, root: string, loader = loaderScript()): Promise<LoadedProfile> {
  const ref: ProfileRef = { kind: 'file', file };
  if (loader) return assemble(ref, path.basename(file), root, fromWorker(await loadInWorker(loader, { kind: 'file', file, root })));
  return assemble(ref, path.basename(file), root, inProcess(await features.profileCore().openProfileFile(file, { root })));
}

type Loaded = { model: ProfileModel; graphs: FlameGraphData[]; topFunctions: TopFunction[] };

function fromWorker({ model, graphsJson, topFunctions }: { model: ProfileModel; graphsJson: string; topFunctions: TopFunction[] }): Loaded {
  return { model, graphs: JSON.parse(graphsJson) as FlameGraphData[], topFunctions };
}

function inProcess(model: ProfileModel): Loaded {
  const { toFlameGraphs, summarize } = features.profileCore();
  return { model, graphs: toFlameGraphs(model), topFunctions: summarize(model, { top: 20 }).topFunctions };
}

function assemble(ref: ProfileRef, title: string, root: string, { model, graphs, topFunctions }: Loaded): LoadedProfile {
  return { ref, title, root, model, graphs, sampledMs: sampledMs(graphs), processes: model.processes.length, topFunctions };
}

/**
 * Sampled time of the CPU graphs in ms, without the processes of package-manager launchers (the
 * flame panel folds them by default; a run of the launcher alone keeps it). Idle included.
 */
export function sampledMs(graphs: FlameGraphData[]): number {
  let us = 0;
  for (const g of graphs) {
    if (g.kind !== 'cpu' || g.nodes.total.length === 0) continue;
    us += g.nodes.total[0];
    const procs = g.processes ?? [];
    if (!procs.some((p) => !p.launcher)) continue;
    for (const p of procs) if (p.launcher && p.node > 0 && p.node < g.nodes.total.length) us -= g.nodes.total[p.node];
  }
  return us / 1000;
}

export function fileHotspots(profile: LoadedProfile, absPath: string): FileHotspots {
  return features.profileCore().hotspotsForFile(profile.model, absPath);
}

/** The workspace's own hottest functions by self time, with absolute paths (for diagnostics). */
export function hottestWorkspaceFunctions(profile: LoadedProfile, top: number): { name: string; path: string; line: number; selfMs: number }[] {
  const perFrame = new Map<string, { name: string; path: string; line: number; selfMs: number }>();
  for (const g of profile.graphs) {
    if (g.kind !== 'cpu') continue;
    for (let n = 0; n < g.nodes.frame.length; n++) {
      const frame = g.frames[g.nodes.frame[n]];
      if (!frame?.path || frame.line <= 0 || g.categories[frame.category]?.kind !== 'workspace') continue;
      const key = `${frame.path}:${frame.line}:${frame.name}`;
      const entry = perFrame.get(key) ?? { name: frame.name, path: frame.path, line: frame.line, selfMs: 0 };
      entry.selfMs += g.nodes.self[n] / 1000;
      perFrame.set(key, entry);
    }
  }
  return [...perFrame.values()].filter((f) => f.selfMs > 0).sort((a, b) => b.selfMs - a.selfMs).slice(0, top);
}
