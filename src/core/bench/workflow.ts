// The two end-to-end benchmark flows the CLI and the extension share: one command measured and
// stored; and a git ref against the working tree, interleaved, both stored and compared.
// A build command (optional) runs once in the "before" tree (and optionally in the working tree)
// before any measured run; a failed build ends the comparison (BuildError) before anything runs.
import { execFile } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { gitState } from '../history/git';
import type { CompareOptions, Comparison } from '../stats';
import { commandLine, CPU_TICK_MS, measureOnce, type CommandSpec } from './measure';
import { runAB, runBench, type AbOptions, type BenchOptions, type BenchResult } from './run';
import { profileSides, type PathMap, type ProfiledComparison, type ProfileSidesOptions } from './profiled';
import { compareBench, newBenchId, saveBench, type BenchRecord, type Metric } from './store';
import { withRefWorktree } from './worktree';

/** `<workspace>/.hotpath/bench`. */
export function defaultBenchStore(workspace: string): string {
  return path.join(workspace, '.hotpath', 'bench');
}

/** The version of the `node` the command will find on its PATH (the harness's when there is none). */
export function targetNodeVersion(cwd: string, env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve) => {
    execFile('node', ['--version'], { cwd, env: { ...process.env, ...env }, timeout: 10_000 }, (err, stdout) => resolve(err ? `${process.version} (harness; node not on PATH)` : stdout.trim()));
  });
}

const loadAvg = () => (process.platform === 'win32' ? undefined : os.loadavg().map((x) => Math.round(x * 100) / 100));
const loadPair = (start: number[] | undefined) => (start ? { start, end: loadAvg()! } : undefined);

export interface BenchmarkOptions extends BenchOptions {
  label?: string;
  /** Where records go (default `<cwd>/.hotpath/bench`). */
  storeDir?: string;
  /** Store the record (default true). */
  save?: boolean;
}

/** The stored record of one side of a benchmark. */
export function toBenchRecord(spec: CommandSpec, result: BenchResult, o: BenchmarkOptions & { runs: number; warmup: number }, extra: Partial<BenchRecord> & Pick<BenchRecord, 'id' | 'createdAt' | 'nodeVersion' | 'workspace'>): BenchRecord {
  return {
    version: 1, id: extra.id, ...(o.label ? { label: o.label } : {}), command: commandLine(spec), ...(spec.args ? { args: spec.args } : {}),
    cwd: spec.cwd, workspace: extra.workspace, nodeVersion: extra.nodeVersion, platform: `${process.platform}-${process.arch}`,
    ...(extra.git ? { git: extra.git } : {}), ...(extra.ref ? { ref: extra.ref } : {}), createdAt: extra.createdAt,
    runs: o.runs, warmup: o.warmup, ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.okExitCodes && o.okExitCodes.some((c) => c !== 0) ? { okExit: [...o.okExitCodes] } : {}),
    cpuSource: result.cpuSource, cpuResolutionMs: result.cpuSource === 'proc-stat' ? CPU_TICK_MS : null,
    samples: result.samples, stats: result.stats, ...(extra.build ? { build: extra.build } : {}), ...(extra.loadAverage ? { loadAverage: extra.loadAverage } : {}), ...(extra.pair ? { pair: extra.pair } : {}),
  };
}

/** Measures `spec` and stores the record (unless save is false). The record's `file` is where it went. */
export async function benchmarkCommand(spec: CommandSpec, options: BenchmarkOptions = {}): Promise<BenchRecord & { file?: string }> {
  const o = { ...options, runs: options.runs ?? 10, warmup: options.warmup ?? 1 };
  const created = new Date();
  const [git, nodeV] = await Promise.all([gitState(spec.cwd), targetNodeVersion(spec.cwd, spec.env)]);
  const loadStart = loadAvg();
  const result = await runBench(spec, o);
  const rec = toBenchRecord(spec, result, o, { id: newBenchId(created), createdAt: created.toISOString(), nodeVersion: nodeV, workspace: spec.cwd, git, loadAverage: loadPair(loadStart) });
  if (options.save === false) return rec;
  return { ...rec, file: saveBench(options.storeDir ?? defaultBenchStore(spec.cwd), rec) };
}

/** A build step of a before/after comparison. */
export interface BuildOptions {
  /** Shell command line, run once in the "before" tree (where the command runs there) before any run. */
  command: string;
  /** Also run it once in the working tree (`spec.cwd`), after the "before" build. Default false. */
  workingTree?: boolean;
  /** End a build after this many ms (its process tree too); default no limit (cancel still ends it). */
  timeoutMs?: number;
}

/** Which tree a build ran in: the git ref's worktree, the checkpoint's copy, or the working tree. */
export type BuildSide = 'ref' | 'checkpoint' | 'working tree';

export interface BuildEvent {
  side: BuildSide;
  cwd: string;
  command: string;
  phase: 'start' | 'end';
  /** Wall time of the build (phase 'end'). */
  ms?: number;
}

/** A build that did not succeed: names the side, its exit code (null: not started, timed out, killed) and the end of its output. */
export class BuildError extends Error {
  constructor(readonly side: BuildSide, readonly where: string, readonly command: string, readonly exitCode: number | null, readonly reason: string, readonly outputTail: string) {
    const tail = outputTail.trimEnd().split('\n').slice(-20).join('\n');
    super(`the build failed in the ${where}: \`${command}\` ${reason}${tail ? `; its last output:\n${tail}` : ' (no output)'}`);
    this.name = 'BuildError';
  }
}

/**
 * Runs `build.command` once in `cwd` (a shell line, output streamed to `onOutput`). Resolves to
 * `{command, ms}`; rejects with BuildError when it fails, CancelledError when cancelled.
 */
export async function runBuild(build: BuildOptions, cwd: string, side: BuildSide, where: string, options: { env?: NodeJS.ProcessEnv; signal?: AbortSignal; onOutput?: BenchOptions['onOutput']; onBuild?: (e: BuildEvent) => void } = {}): Promise<{ command: string; ms: number }> {
  options.onBuild?.({ side, cwd, command: build.command, phase: 'start' });
  const s = await measureOnce({ command: build.command, cwd, env: options.env }, { timeoutMs: build.timeoutMs, signal: options.signal, onOutput: options.onOutput });
  if (!s.ok) {
    const reason = s.timedOut ? `timed out after ${build.timeoutMs} ms` : s.exitCode !== null ? `exited with code ${s.exitCode}` : s.signal ? `was ended by ${s.signal}` : (s.error ?? 'failed');
    throw new BuildError(side, where, build.command, s.exitCode, reason, s.outputTail ?? '');
  }
  const ms = Math.round(s.wallMs * 10) / 10;
  options.onBuild?.({ side, cwd, command: build.command, phase: 'end', ms });
  return { command: build.command, ms };
}

/** The builds of a paired run: "before" in its tree, then (workingTree) "after" in `spec.cwd`. */
export async function buildBoth(build: BuildOptions | undefined, before: { cwd: string; side: BuildSide; where: string }, spec: CommandSpec, options: RefBenchmarkOptions): Promise<{ before?: { command: string; ms: number }; after?: { command: string; ms: number } }> {
  if (!build?.command) return {};
  const o = { env: spec.env, signal: options.signal, onOutput: options.onOutput, onBuild: options.onBuild };
  const b = await runBuild(build, before.cwd, before.side, before.where, o);
  const a = build.workingTree ? await runBuild(build, spec.cwd, 'working tree', `working tree (${spec.cwd})`, o) : undefined;
  return { before: b, ...(a ? { after: a } : {}) };
}

export interface RefBenchmarkOptions extends AbOptions {
  label?: string;
  /** Build once before any measured run (see BuildOptions); recorded as `build` in the records. */
  build?: BuildOptions;
  onBuild?: (e: BuildEvent) => void;
  storeDir?: string;
  save?: boolean;
  /** Metric of the verdict (default 'wall'). */
  metric?: Metric;
  compare?: Omit<CompareOptions, 'failed'>;
  /**
   * After the timed runs (and after storing them), record this many profiled runs per side in
   * the same trees, interleaved, and diff them (see profiled.ts); the temporary tree is removed
   * only afterwards. Cancel, timeout and output come from these options.
   */
  profile?: Omit<ProfileSidesOptions, 'comparison' | 'signal' | 'onOutput' | 'timeoutMs' | 'okExitCodes'>;
}

export interface RefBenchmarkResult {
  before: BenchRecord & { file?: string };
  after: BenchRecord & { file?: string };
  comparison: Comparison;
  metric: Metric;
  /** With options.profile: the profiled runs and their diff. */
  profile?: ProfiledComparison;
  /** About the worktree: stale Hotpath worktrees removed first, submodules checked out. */
  notes?: string[];
}

/** The profiled runs of a paired comparison, after its timed runs; `tree` maps the temporary "before" tree to the workspace. */
export async function profilePair(beforeSpec: CommandSpec, spec: CommandSpec, tree: PathMap, ids: { before: string; after: string }, options: RefBenchmarkOptions): Promise<ProfiledComparison | undefined> {
  if (!options.profile) return undefined;
  return profileSides({ ...beforeSpec, pathMap: tree }, spec, {
    ...options.profile, comparison: ids, signal: options.signal, onOutput: options.onOutput, timeoutMs: options.timeoutMs, okExitCodes: options.okExitCodes,
  });
}

/** The workspace folder a temporary tree's root stands for: `cwd` of the tree maps to `spec.cwd`. */
export function treeMap(treeRoot: string, treeCwd: string, workspaceCwd: string): PathMap {
  return { from: treeRoot, to: path.resolve(workspaceCwd, path.relative(treeCwd, treeRoot)) };
}

/**
 * Runs the command at git `ref` (a temporary worktree with node_modules symlinked) and in the
 * working tree (`spec.cwd`), interleaved; stores both records (paired) and compares them.
 * With `build`, the build runs first in the worktree (and in the working tree with
 * `build.workingTree`); a failed build rejects with BuildError. The worktree is removed
 * afterwards, also on error, build failure or cancel.
 */
export async function benchmarkRef(spec: CommandSpec, ref: string, options: RefBenchmarkOptions = {}): Promise<RefBenchmarkResult> {
  const o = { ...options, runs: options.runs ?? 10, warmup: options.warmup ?? 1 };
  const created = new Date();
  const [git, nodeV] = await Promise.all([gitState(spec.cwd), targetNodeVersion(spec.cwd, spec.env)]);
  const ids = { before: newBenchId(created), after: newBenchId(new Date(created.getTime() + 1)) };
  const order = options.order ?? 'alternate';
  return withRefWorktree(spec.cwd, ref, async (wt) => {
    const beforeSpec = { ...spec, cwd: wt.cwd };
    const built = await buildBoth(options.build, { cwd: wt.cwd, side: 'ref', where: `worktree of ${ref} (${wt.commit.slice(0, 10)})` }, spec, options);
    const loadStart = loadAvg();
    const ab = await runAB(beforeSpec, spec, o);
    const common = { createdAt: created.toISOString(), nodeVersion: nodeV, workspace: spec.cwd, loadAverage: loadPair(loadStart) };
    const before = toBenchRecord(beforeSpec, ab.before, o, {
      ...common, id: ids.before, git: { commit: wt.commit, dirty: false }, ref, pair: { role: 'before', other: ids.after, order }, build: built.before,
    });
    const after = toBenchRecord(spec, ab.after, o, { ...common, id: ids.after, git, pair: { role: 'after', other: ids.before, order }, build: built.after });
    const metric = options.metric ?? 'wall';
    const comparison = compareBench(before, after, metric, options.compare);
    const store = options.storeDir ?? defaultBenchStore(spec.cwd);
    const saved = options.save === false ? { before, after } : { before: { ...before, file: saveBench(store, before) }, after: { ...after, file: saveBench(store, after) } };
    // Profiled runs only now, after the timed runs are stored, in the worktree before it is removed.
    const profile = await profilePair(beforeSpec, spec, treeMap(wt.root, wt.cwd, spec.cwd), ids, options);
    const notes = [...wt.notes, ...(wt.submodules.length ? [`submodule${wt.submodules.length > 1 ? 's' : ''} ${wt.submodules.join(', ')} checked out in the worktree at ${ref}'s commit${wt.submodules.length > 1 ? 's' : ''}, from the local clone${wt.submodules.length > 1 ? 's' : ''}`] : [])];
    return { ...saved, comparison, metric, ...(profile ? { profile } : {}), notes };
  });
}
