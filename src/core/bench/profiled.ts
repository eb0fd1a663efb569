// "Where did the time move?": after the timed runs of a before/after comparison (never during
// them, so profiling cannot bias the statistics), N profiled runs per side (5 by default),
// interleaved in balanced pairs (before, after, after, before, before, after...: a machine that
// slows down or speeds up over the runs, measured at load 3.5 as 1.95 -> 1.40 s of CPU for the
// same work over 10 runs, would otherwise favour the side that always runs second), CPU only, sampled every 0.2 ms (25x the default's
// samples: the function test works on sample counts, and the profiling cost never touches the
// timed runs; why 5 and 0.2 ms: docs/STATISTICS.md, "Calibration"), in the same folder and environment as that side's timed runs. The runs are stored
// in a run store (as `hotpath profile` stores them, with a note of the comparison they belong
// to) and diffed with diffProfiles (N >= 2: a test on each function's sample counts with the
// false discovery rate controlled; 1 run per side: sampling error only, no verdicts). Launcher
// processes (npm, npx, yarn, pnpm, corepack) are left out unless asked for. A profiled run that
// fails only adds a note.
//
// A "before" side run in a temporary tree (git worktree, checkpoint copy) has its profile's paths
// rewritten from the temporary tree to the workspace when stored: the tree is removed afterwards,
// and with the same paths on both sides the stored runs diff against each other (`hotpath diff`)
// exactly as here. Source maps of the "before" side are then read from the working tree's files.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRunDir, saveRun } from '../history';
import { LAUNCHER_NOTE_PREFIX, loadRun } from '../profile/open';
import { diffProfiles, type ProfileDiff } from '../profile/diff';
import type { ProfileModel } from '../profile/types';
import { runTarget } from '../runner/run';
import type { CaptureOptions, RunResult } from '../runner/types';
import type { CommandSpec } from './measure';

/** Profiled runs per side when not given (CLI `compare --profile`, VS Code's hotpath.bench.profileRuns). */
export const DEFAULT_PROFILED_RUNS = 5;
/** Sampling interval of the profiled runs of a comparison, µs. */
export const PROFILED_INTERVAL_US = 200;

export type ProfiledSide = 'before' | 'after';

export interface ProfiledRun {
  side: ProfiledSide;
  /** 0-based among the side's profiled runs. */
  index: number;
  /** Run id in the store (absent when nothing was stored: no Node process, cancelled). */
  id?: string;
  dir?: string;
  /** Exited 0 with a CPU profile: used in the diff. */
  ok: boolean;
  /** Why it is not used, when not ok. */
  reason?: string;
  wallMs: number;
  /** The machine's 1-minute load average when the run started. */
  load?: number;
}

export interface ProfiledComparison {
  /** Profiled runs requested per side. */
  requested: number;
  runs: ProfiledRun[];
  /** Stored ids of the runs used in the diff, per side, in order. */
  ids: { before: string[]; after: string[] };
  /** The run store they are in. */
  store: string;
  /** Absent when a side has no usable run (see `error`), or when cancelled. */
  diff?: ProfileDiff;
  /**
   * Files of the diff's rows (display paths) whose content differs between the "before" tree and
   * the working tree: the files the change touched, whose functions the output lists first.
   * Absent when the before side did not run in a temporary tree.
   */
  changedFiles?: string[];
  /** Sampling interval of the profiled runs, µs. */
  intervalUs?: number;
  error?: string;
  notes: string[];
  cancelled: boolean;
}

export interface ProfileSidesOptions {
  /** Profiled runs per side (whole number >= 1). */
  runs: number;
  /** Run store (`<workspace>/.hotpath/runs` for the CLI, the extension's store in VS Code). */
  store: string;
  /** Paths are shown relative to this folder (default: the after side's cwd). */
  root?: string;
  /** The comparison the runs belong to (stored in each run), e.g. the two bench ids. */
  comparison: { before: string; after: string; label?: string };
  /** CPU sampling interval (default PROFILED_INTERVAL_US, 0.2 ms). */
  intervalUs?: number;
  /** Keep package-manager launchers (npm, npx, yarn, pnpm, corepack) in the diff (default: left out). */
  includeLaunchers?: boolean;
  timeoutMs?: number;
  /** Exit codes of a successful run (default [0]), as the timed runs' `okExitCodes`. */
  okExitCodes?: readonly number[];
  signal?: AbortSignal;
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
  onProfile?: (e: { side: ProfiledSide; index: number; runs: number; phase: 'start' | 'end'; run?: ProfiledRun }) => void;
}

/** Where a side's temporary tree maps to in the workspace: profiles' paths under `from` are rewritten to `to`. */
export interface PathMap { from: string; to: string }

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Rewrites `map.from` to `map.to` in a profile file's text (plain paths and file:// URLs, JSON-escaped). */
export function rewriteProfilePaths(file: string, map: PathMap): boolean {
  const from = path.resolve(map.from);
  const to = path.resolve(map.to);
  if (from === to) return false;
  const text = fs.readFileSync(file, 'utf8');
  const forms = new Map<string, string>();
  for (const [f, t] of [[from, to], [fs.existsSync(from) ? fs.realpathSync(from) : from, to]]) {
    forms.set(JSON.stringify(f).slice(1, -1), JSON.stringify(t).slice(1, -1));
    const url = (p: string) => `file://${p.split(path.sep).join('/').replace(/^(?!\/)/, '/')}`;
    forms.set(url(f), url(t));
  }
  let out = text;
  for (const [f, t] of forms) {
    // Only whole path components: the prefix followed by a separator or the end of the string.
    out = out.replace(new RegExp(`${escapeRe(f)}(?=[\\\\/"])`, 'g'), t);
  }
  if (out === text) return false;
  fs.writeFileSync(file, out);
  return true;
}

function failure(result: RunResult, okExitCodes: readonly number[] = [0]): string | undefined {
  if (result.cancelled) return 'cancelled';
  if (result.error) return result.error;
  if (result.timedOut) return 'timed out';
  if (result.exitCode === null || !okExitCodes.includes(result.exitCode)) return result.signal ? `ended by ${result.signal}` : `exited with code ${result.exitCode}`;
  if (!result.processes.some((p) => p.cpuProfile)) return 'no Node.js process wrote a CPU profile';
  return undefined;
}

/**
 * Records `options.runs` profiled runs of each side, interleaved, stores them and diffs them.
 * Never throws for a failed run (a note); a cancel ends the running process tree and returns
 * `cancelled` (runs already stored stay).
 */
export async function profileSides(before: CommandSpec & { pathMap?: PathMap }, after: CommandSpec & { pathMap?: PathMap }, options: ProfileSidesOptions): Promise<ProfiledComparison> {
  const n = options.runs;
  const out: ProfiledComparison = { requested: n, runs: [], ids: { before: [], after: [] }, store: options.store, notes: [], cancelled: false, intervalUs: options.intervalUs ?? PROFILED_INTERVAL_US };
  const capture: CaptureOptions = { cpu: true, heap: false, imports: false, intervalUs: options.intervalUs ?? PROFILED_INTERVAL_US };
  const label = options.comparison.label ?? `${options.comparison.before} vs ${options.comparison.after}`;
  const specs = { before, after };
  for (let i = 0; i < n && !out.cancelled; i++) {
    // Balanced order (ABBA): each side runs first in every other pair, so a steady drift cancels.
    for (const side of i % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const)) {
      if (options.signal?.aborted) { out.cancelled = true; break; }
      const spec = specs[side];
      options.onProfile?.({ side, index: i, runs: n, phase: 'start' });
      const run = await profileOnce(spec, side, i, n, capture, label, options);
      out.runs.push(run);
      if (run.reason === 'cancelled') { out.cancelled = true; break; }
      if (run.ok && run.id) out.ids[side].push(run.id);
      else out.notes.push(`profiled run ${i + 1}/${n} (${side}) ${run.reason}${run.id ? ` (stored as ${run.id})` : ''}; it is left out of the profile diff`);
      options.onProfile?.({ side, index: i, runs: n, phase: 'end', run });
    }
  }
  if (out.cancelled) {
    // Runs finished before the cancel stay stored (they are whole runs): say which, so they can be found or removed.
    const kept = [...out.ids.before, ...out.ids.after];
    out.notes.push(`profiling was cancelled: its processes were ended; no profile diff${kept.length ? `; the ${kept.length} profiled run${kept.length > 1 ? 's' : ''} finished before the cancel stay${kept.length > 1 ? '' : 's'} stored in ${options.store}: ${kept.join(', ')} (\`hotpath runs rm ${kept.join(' ')} --dir ${JSON.stringify(options.store)}\` deletes ${kept.length > 1 ? 'them' : 'it'})` : ''}`);
    return out;
  }
  if (!out.ids.before.length || !out.ids.after.length) {
    const missing = (['before', 'after'] as const).filter((s) => !out.ids[s].length);
    out.error = `no profiled run succeeded on the ${missing.join(' and ')} side${missing.length > 1 ? 's' : ''}, so there is no profile diff`;
    return out;
  }
  try {
    const root = options.root ?? after.cwd;
    const load = async (ids: string[]) => {
      const models: ProfileModel[] = [];
      for (const id of ids) models.push(await loadRun(storedResult(options.store, out.runs.find((r) => r.id === id)!), { root, launchers: options.includeLaunchers ? 'include' : 'exclude' }));
      return models;
    };
    const [b, a] = [await load(out.ids.before), await load(out.ids.after)];
    out.diff = diffProfiles(b, a, { kind: 'cpu' });
    // One note per launcher left out, not one per run.
    out.diff.notes = launcherNotes(out.diff.notes);
    if (before.pathMap) out.changedFiles = changedFiles(out.diff, before.pathMap);
  } catch (err) {
    out.error = `the profiled runs could not be diffed: ${(err as Error).message}`;
  }
  if (before.pathMap || after.pathMap) {
    out.notes.push('the profiled "before" runs ran in the temporary tree; their file paths were rewritten to the workspace so both sides match (source maps are read from the working tree\'s files)');
  }
  return out;
}

/** Display paths of the diff's function rows whose file differs between the before tree (`map.from`) and the workspace (`map.to`). */
function changedFiles(diff: ProfileDiff, map: PathMap): string[] {
  const out = new Set<string>();
  const seen = new Set<string>();
  const read = (f: string) => { try { return fs.readFileSync(f); } catch { return undefined; } };
  for (const r of diff.functions) {
    if (!r.path || seen.has(r.path)) continue;
    seen.add(r.path);
    const rel = path.relative(map.to, r.path);
    if (rel.startsWith('..') || path.isAbsolute(rel) || rel.split(path.sep).includes('node_modules')) continue;
    const now = read(r.path);
    const then = read(path.join(map.from, rel));
    if (!now || !then || !now.equals(then)) out.add(r.file);
  }
  return [...out].sort();
}

/** The stored run as loadRun reads it (profile paths absolute, in the run folder). */
function storedResult(store: string, run: ProfiledRun): RunResult {
  const rec = JSON.parse(fs.readFileSync(path.join(store, run.id!, 'run.json'), 'utf8'));
  const abs = (f?: string) => (f ? path.join(store, run.id!, f) : undefined);
  return {
    exitCode: rec.exitCode, signal: rec.signal, wallMs: rec.wallMs, timedOut: rec.timedOut, cancelled: rec.cancelled, completed: true,
    outDir: path.join(store, run.id!), outputTail: '', notes: [],
    processes: rec.processes.map((p: RunResult['processes'][number]) => ({ ...p, cpuProfile: abs(p.cpuProfile), heapProfile: abs(p.heapProfile), importsFile: abs(p.importsFile) })),
  };
}

/** The loaded runs' "launcher processes left out" notes as one note (pids differ from run to run). */
export function launcherNotes(notes: string[]): string[] {
  const launchers = notes.filter((n) => n.startsWith(LAUNCHER_NOTE_PREFIX));
  if (launchers.length <= 1) return notes;
  const names = [...new Set(launchers.flatMap((n) => [...n.matchAll(/([\w.-]+) \(pid \d+\)/g)].map((m) => m[1])))];
  const first = notes.indexOf(launchers[0]);
  const rest = notes.filter((n) => !n.startsWith(LAUNCHER_NOTE_PREFIX));
  rest.splice(first, 0, `${LAUNCHER_NOTE_PREFIX} ${names.join(', ')} in ${launchers.length} runs: their own code is not the program's (include them with --include-launchers, or the diff panel's "Include launchers").`);
  return rest;
}

async function profileOnce(spec: CommandSpec & { pathMap?: PathMap }, side: ProfiledSide, index: number, runs: number, capture: CaptureOptions, label: string, options: ProfileSidesOptions): Promise<ProfiledRun> {
  const started = new Date();
  const load = Math.round(os.loadavg()[0] * 100) / 100;
  const runDir = createRunDir(options.store, started);
  let result: RunResult;
  try {
    result = await runTarget({
      command: spec.command, args: spec.args, cwd: spec.cwd, env: spec.env, outDir: runDir.dir, capture, engine: 'inspector',
      timeoutMs: options.timeoutMs, signal: options.signal, onOutput: options.onOutput,
    });
  } catch (err) {
    fs.rmSync(runDir.dir, { recursive: true, force: true });
    return { side, index, ok: false, reason: `could not start: ${(err as Error).message}`, wallMs: 0, load };
  }
  const reason = failure(result, options.okExitCodes);
  if (result.cancelled || !result.processes.length) {
    fs.rmSync(runDir.dir, { recursive: true, force: true });
    return { side, index, ok: false, reason: reason ?? 'no Node.js process started', wallMs: result.wallMs, load };
  }
  let rewritten = false;
  if (spec.pathMap) {
    for (const p of result.processes) {
      if (p.cpuProfile) rewritten = rewriteProfilePaths(path.resolve(runDir.dir, p.cpuProfile), spec.pathMap) || rewritten;
    }
  }
  const notes = [
    `profiled run ${index + 1}/${runs} of the ${side} side of the comparison ${label} (recorded after its timed runs)`,
    ...(rewritten ? [`ran in a temporary tree (${spec.pathMap!.from}, removed afterwards); its paths were rewritten to ${spec.pathMap!.to}`] : []),
    ...(result.error ? [result.error] : []), ...(result.notes ?? []),
  ];
  try {
    await saveRun(options.store, {
      id: runDir.id, command: [spec.command, ...(spec.args ?? [])].join(' '), args: spec.args, cwd: spec.cwd,
      nodeVersion: result.processes[0].nodeVersion, startedAt: new Date(result.startedAt ?? started.getTime()).toISOString(),
      wallMs: result.wallMs, exitCode: result.exitCode, signal: result.signal, capture, engine: 'inspector', stopWhen: 'exit',
      timedOut: result.timedOut, cancelled: result.cancelled, processes: result.processes, notes,
      comparison: { before: options.comparison.before, after: options.comparison.after, side, index, runs, loadAverage: load },
    });
  } catch (err) {
    return { side, index, ok: false, reason: `could not be stored: ${(err as Error).message}`, wallMs: result.wallMs, load };
  }
  return { side, index, id: runDir.id, dir: runDir.dir, ok: !reason, ...(reason ? { reason } : {}), wallMs: result.wallMs, load };
}
