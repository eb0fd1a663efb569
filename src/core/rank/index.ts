// The ranking engine's entry point (bundled to dist/engines/rank.js). Pure TypeScript, no vscode.
//   rankWorkspace(root, opts)          scan + score, the whole pipeline
//   scanWorkspace / createRankState    the two halves, for callers that scan in a worker
//   rescoreFile(state, file, text?)    re-score one saved file without a rescan
//   setMeasured(state, measured)       re-score everything with a new profile run, no rescan
import * as path from 'path';
import { analyzeFile } from './analyze';
import { indexMeasured, MeasuredIndex } from './measured';
import { ScanResult, scanWorkspace, relativeName } from './scan';
import { compareRanks, scoreModule, ScoreContext } from './score';
import { PackageSize } from './heavy';
import { importGraph, ImportGraph } from './graph';
import { FileSignals, MeasuredData, ModuleRank, ModuleRole, RankOptions, RankResult, Skipped } from './types';
import { isRankedSource } from './walk';

export * from './types';
export { scanWorkspace, CancelledError } from './scan';
export type { ScanResult } from './scan';
export { measuredFromProfileSummary } from './fromProfile';
export { ESTIMATE_CAP, timeScore, bytesScore } from './score';
export { walkWorkspace, isNodeScript } from './walk';
export { autoWorkers } from './pool';
export { roleOf } from './roles';
export { loadMeasuredFiles, loadMeasuredRun } from './loadMeasured';

export interface RankState {
  root: string;
  signals: Map<string, FileSignals>;
  skipped: Map<string, Skipped>;
  modules: Map<string, ModuleRank>;
  measured?: MeasuredIndex;
  measuredFrom?: string;
  sizeCache: Map<string, PackageSize | null>;
  files: number;
  scanMs: number;
  /** The static import graph (tie-breaks), built on first use after the signals change. */
  graph?: ImportGraph;
}

function context(state: RankState): ScoreContext {
  return { root: state.root, measured: state.measured, sizeCache: state.sizeCache };
}

export function createRankState(scan: ScanResult, measured?: MeasuredData): RankState {
  const state: RankState = {
    root: scan.root,
    signals: new Map(scan.signals.map((s) => [s.path, s])),
    skipped: new Map(scan.skipped.map((s) => [s.file, s])),
    modules: new Map(),
    sizeCache: new Map(),
    files: scan.files,
    scanMs: scan.ms,
  };
  setMeasured(state, measured);
  return state;
}

/** Re-scores every scanned module against new measured data (or none). */
export function setMeasured(state: RankState, measured?: MeasuredData): void {
  state.measured = measured ? indexMeasured(measured, state.root) : undefined;
  state.measuredFrom = measured?.label;
  const ctx = context(state);
  state.modules.clear();
  for (const s of state.signals.values()) state.modules.set(s.path, scoreModule(s, ctx));
}

/**
 * The ranking: the product's modules (with `all`, tests, fixtures, examples, benchmarks and
 * scripts too), highest score first, equal scores ordered by the import graph (compareRanks).
 */
export function rankResult(state: RankState, top?: number, opts: { all?: boolean } = {}): RankResult {
  const graph = (state.graph ??= importGraph(state.root, state.signals));
  const leftOut: Partial<Record<ModuleRole, number>> = {};
  const listed: ModuleRank[] = [];
  for (const m of state.modules.values()) {
    if (m.tieBreak) m.tieBreak = { ...m.tieBreak, startup: graph.startup ? graph.startup.has(m.path) : null, importedBy: graph.importedBy.get(m.path) ?? 0 };
    if (m.role === 'product' || opts.all) listed.push(m);
    else leftOut[m.role] = (leftOut[m.role] ?? 0) + 1;
  }
  const modules = listed.sort(compareRanks);
  return {
    root: state.root,
    modules: top !== undefined ? modules.slice(0, top) : modules,
    skipped: [...state.skipped.values()],
    leftOut,
    ...(state.measuredFrom ? { measuredFrom: state.measuredFrom } : {}),
    stats: { files: state.files, parsed: state.signals.size, skipped: state.skipped.size, ms: Math.round(state.scanMs) },
  };
}

export async function rankWorkspaceWithState(root: string, opts: RankOptions = {}): Promise<{ result: RankResult; state: RankState }> {
  const scan = await scanWorkspace(root, opts);
  const state = createRankState(scan, opts.measured);
  return { result: rankResult(state, undefined, { all: opts.all }), state };
}

export async function rankWorkspace(root: string, opts: RankOptions = {}): Promise<RankResult> {
  return (await rankWorkspaceWithState(root, opts)).result;
}

export type RescoreOutcome = { module: ModuleRank } | { skipped: Skipped } | { ignored: string };

/**
 * Re-analyses one file (from `text` when given, e.g. an editor buffer) and updates the state.
 * Files outside the root or not JS/TS are ignored; it never rescans the workspace.
 */
export function rescoreFile(state: RankState, file: string, text?: string): RescoreOutcome {
  const abs = path.resolve(state.root, file);
  const rel = relativeName(state.root, abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return { ignored: 'outside the ranked folder' };
  if (!isRankedSource(abs)) return { ignored: 'not a JavaScript/TypeScript file' };
  const r = analyzeFile(abs, rel, text);
  if ('skipped' in r) {
    state.signals.delete(abs);
    state.modules.delete(abs);
    state.graph = undefined;
    state.skipped.set(rel, r.skipped);
    return { skipped: r.skipped };
  }
  state.skipped.delete(rel);
  state.signals.set(abs, r.signals);
  state.graph = undefined;
  const module = scoreModule(r.signals, context(state));
  state.modules.set(abs, module);
  return { module };
}

/** The ranked module for a file, if it was scanned. */
export function moduleFor(state: RankState, file: string): ModuleRank | undefined {
  return state.modules.get(path.resolve(state.root, file));
}
