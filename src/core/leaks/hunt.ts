// A leak hunt: runs the target with the leaks preload (no CPU or heap sampling profiles, which
// would cost time and change the heap), then analyzes every process and thread that measured.
import * as path from 'path';
import { runTarget } from '../runner/run';
import { DEFAULT_LEAKS_CONFIG, type LeaksConfig } from '../runner/preloadLeaks';
import type { RunResult } from '../runner/types';
import { SourceMapper } from '../profile/sourceMaps';
import { readLiveFile, thin, type LiveSample } from '../runner/live';
import { analyzeSeries } from './analyze';
import { readLeaksFile } from './read';
import { compareSnapshots } from './snapshotCompare';
import type { LeaksReport, LeakVerdict, ProcessLeaks } from './types';

export interface LeakHuntOptions {
  command: string;
  args?: string[];
  cwd: string;
  outDir: string;
  config?: Partial<LeaksConfig>;
  durationMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
  env?: NodeJS.ProcessEnv;
  preloadPath?: string;
}

/** A stopped process may be writing its final heap snapshot: a 200 MB heap took tens of seconds. */
const LEAKS_GRACE_MS = 120_000;

export async function huntLeaks(options: LeakHuntOptions): Promise<{ report: LeaksReport; run: RunResult }> {
  const config: LeaksConfig = { ...DEFAULT_LEAKS_CONFIG, ...options.config };
  const run = await runTarget({
    command: options.command, args: options.args, cwd: options.cwd, outDir: options.outDir,
    capture: { cpu: false, heap: false, imports: false, leaks: config, flushMs: 0 },
    durationMs: options.durationMs, timeoutMs: options.timeoutMs, signal: options.signal, onOutput: options.onOutput,
    env: options.env, preloadPath: options.preloadPath, graceMs: LEAKS_GRACE_MS,
  });
  return { report: analyzeRun(run, options.cwd, [options.command, ...(options.args ?? [])].join(' ')), run };
}

/** Analyzes the leak files of a finished run (also a stored one). */
export function analyzeRun(run: RunResult, cwd: string, command: string): LeaksReport {
  const notes = [...(run.notes ?? [])];
  const mapper = new SourceMapper((m) => notes.push(m));
  const processes: ProcessLeaks[] = [];
  for (const p of run.processes) {
    if (!p.leaksFile) continue;
    let data;
    try {
      data = readLeaksFile(p.leaksFile);
    } catch (err) {
      notes.push(`pid ${p.pid}: the leak measurements could not be read: ${(err as Error).message}`);
      continue;
    }
    const a = analyzeSeries(data, { root: cwd, mapper });
    const pnotes = [...data.errors];
    let types: ProcessLeaks['types'] = [];
    const base = data.snapshots.find((s) => s.role === 'baseline');
    const final = data.snapshots.find((s) => s.role === 'final');
    if (a.verdict === 'growing' && base && final) {
      try {
        types = compareSnapshots(path.join(run.outDir, base.file), path.join(run.outDir, final.file), { root: cwd, mapper, sites: data.sites });
      } catch (err) {
        pnotes.push(`The heap snapshots could not be compared: ${(err as Error).message}`);
      }
    } else if (a.verdict === 'growing' && data.config?.snapshots) {
      pnotes.push('No baseline and final heap snapshot pair: no object types or retainer paths (the process was killed before it could write the final snapshot?).');
    }
    processes.push({
      pid: p.pid, threadId: p.threadId, commandLine: p.commandLine, mode: a.mode, unit: a.unit, warmup: a.mode === 'iteration' ? data.config?.warmup ?? 0 : (data.config?.warmupMs ?? 0) / 1000,
      points: a.points, growth: a.growth, lateGrowth: a.lateGrowth, verdict: a.verdict, reason: a.reason, suspects: a.suspects, types,
      snapshots: data.snapshots.map((s) => ({ role: s.role, file: s.file, bytes: s.bytes, ms: s.ms })), measureMs: a.measureMs, notes: pnotes,
      live: p.liveFile ? thin(safeLive(p.liveFile), 600) : [],
    });
  }
  if (!processes.length && run.processes.length) notes.push('No process wrote leak measurements (a process that ends before its first measurement writes none).');
  return {
    command, cwd, wallMs: run.wallMs, exitCode: run.exitCode, signal: run.signal, timedOut: run.timedOut, outDir: run.outDir,
    verdict: overallVerdict(processes), processes, notes,
  };
}

function safeLive(file: string): LiveSample[] {
  try { return readLiveFile(file); } catch { return []; }
}

export function overallVerdict(processes: ProcessLeaks[]): LeakVerdict {
  if (processes.some((p) => p.verdict === 'growing')) return 'growing';
  if (processes.length && processes.some((p) => p.verdict === 'flat')) return 'flat';
  return 'not enough data';
}
