// "Proves the result" in VS Code: Benchmark Command…, Compare Before/After…, Show Benchmark
// History, Create Checkpoint, Roll Back to Checkpoint…, and the chart panel (with its serializer).
// Benchmarks run workspace code, so they refuse in untrusted workspaces; history and rollback work.
// A before/after comparison runs `hotpath.bench.buildCommand` (when set) once in the "before" tree
// (git worktree or checkpoint copy), and in the working tree too with `hotpath.bench.buildWorkingTree`.
import * as fs from 'fs';
import * as vscode from 'vscode';
import {
  benchmarkCommand, benchmarkRef, BuildError, CancelledError, DEFAULT_PROFILED_RUNS, listBench, PROFILED_INTERVAL_US, type BenchProgress, type BenchRecord, type BuildOptions, type RefBenchmarkResult,
} from '../../core/bench';
import { benchmarkCheckpoint } from '../../core/checkpoint/beforeTree';
import { Settings } from '../contributions';
import { commandLineProblem } from '../profile/commandLine';
import { pickTarget } from '../profile/pickTarget';
import { confirmStoredCommand, explainUntrusted } from '../profile/trust';
import { errorMessage } from '../runs/reload';
import { setting, type Services } from '../services';
import { allCheckpoints, createCheckpointCommand, rollbackCommand } from './checkpoints';
import { profileDiffView, sideLabel } from './proveModel';
import { ProvePanels, type ProvePanelSummary } from './provePanel';
import type { ProfileDiffView } from '../../protocol/prove';
import { benchStores, benchStoreFor, defaultCwd, rootFor } from './stores';

/** Automation form of "Benchmark Command…" (skips the pickers). */
export interface BenchArgs {
  command: string;
  cwd?: string;
  runs?: number;
  warmup?: number;
  label?: string;
}

/** Automation form of "Compare Before/After…": a git ref or a checkpoint against the working tree, or two stored ids. */
export interface CompareArgs {
  command?: string;
  cwd?: string;
  ref?: string;
  checkpoint?: string;
  before?: string;
  after?: string;
  runs?: number;
  warmup?: number;
  /** Build command for this comparison (default: the hotpath.bench.buildCommand setting; '' for none). */
  build?: string;
  /** Also build the working tree (default: the hotpath.bench.buildWorkingTree setting). */
  buildWorkingTree?: boolean;
  /** Profiled runs per side after the timed runs: false/0 for none, true for hotpath.bench.profileRuns (default: the hotpath.bench.profileDiff setting; 5 runs). */
  profile?: boolean | number;
}

export interface BenchCommandResult {
  id: string;
  file?: string;
  n: number;
  failed: number;
  medianMs: number | null;
  ciMs: [number, number] | null;
  panel: ProvePanelSummary;
}

export interface CompareCommandResult {
  beforeId: string;
  afterId: string;
  verdict: string;
  sentence: string;
  ratio: number;
  p: number;
  panel: ProvePanelSummary;
  /** With profiled runs: the stored run folders per side, and the diff's rows as the panel shows them (also in panel.profile). */
  profileRuns?: { before: string[]; after: string[] };
}

const obj = (v: unknown): Record<string, unknown> | undefined => (typeof v === 'object' && v !== null && !(v instanceof vscode.Uri) ? v as Record<string, unknown> : undefined);
const posInt = (v: unknown): number | undefined => (Number.isInteger(v) && (v as number) > 0 ? v as number : undefined);
const nonNegInt = (v: unknown): number | undefined => (Number.isInteger(v) && (v as number) >= 0 ? v as number : undefined);

function benchSettings(cwd: string, runs?: number, warmup?: number): { runs: number; warmup: number; timeoutMs?: number } {
  const scope = vscode.Uri.file(cwd);
  const timeout = setting<number>(Settings.benchTimeoutSeconds, scope) ?? 300;
  return {
    runs: runs ?? posInt(setting<number>(Settings.benchRuns, scope)) ?? 10,
    warmup: warmup ?? nonNegInt(setting<number>(Settings.benchWarmup, scope)) ?? 1,
    timeoutMs: timeout > 0 ? timeout * 1000 : undefined,
  };
}

/**
 * The build step of a comparison: the automation argument, else the settings; undefined when none.
 * `fromWorkspace` names the settings file when the command comes from the workspace's settings
 * (a file the repository can carry), so it is shown and confirmed before it runs.
 */
function buildSettings(cwd: string, a: Record<string, unknown> | undefined): (BuildOptions & { fromWorkspace?: string }) | undefined {
  const scope = vscode.Uri.file(cwd);
  const command = typeof a?.build === 'string' ? a.build : setting<string>(Settings.benchBuildCommand, scope) ?? '';
  if (!command.trim()) return undefined;
  const workingTree = typeof a?.buildWorkingTree === 'boolean' ? a.buildWorkingTree : setting<boolean>(Settings.benchBuildWorkingTree, scope) ?? false;
  if (typeof a?.build === 'string') return { command, workingTree };
  const where = vscode.workspace.getConfiguration(undefined, scope).inspect<string>(Settings.benchBuildCommand);
  const folder = vscode.workspace.getWorkspaceFolder(scope);
  const fromWorkspace = where?.workspaceFolderValue !== undefined ? `${folder ? `${folder.name}/` : ''}.vscode/settings.json`
    : where?.workspaceValue !== undefined ? (vscode.workspace.workspaceFile?.fsPath ?? '.vscode/settings.json') : undefined;
  return { command, workingTree, ...(fromWorkspace ? { fromWorkspace: `${fromWorkspace} (${Settings.benchBuildCommand})` } : {}) };
}

/** Profiled runs per side for a comparison: the automation argument, else the settings (hotpath.bench.profileRuns when on, default 5). */
function profileRunsSetting(cwd: string, a: Record<string, unknown> | undefined): number {
  const runs = posInt(setting<number>(Settings.benchProfileRuns, vscode.Uri.file(cwd))) ?? DEFAULT_PROFILED_RUNS;
  if (typeof a?.profile === 'number') return Number.isInteger(a.profile) && a.profile > 0 ? a.profile : 0;
  if (typeof a?.profile === 'boolean') return a.profile ? runs : 0;
  return (setting<boolean>(Settings.benchProfileDiff, vscode.Uri.file(cwd)) ?? true) ? runs : 0;
}

/** Runs `work` under a cancellable progress notification; cancel aborts it (nothing is left running). */
async function withBenchProgress<T>(title: string, services: Services, work: (signal: AbortSignal, onProgress: (p: BenchProgress) => void, say: (message: string) => void) => Promise<T>): Promise<T | undefined> {
  const controller = new AbortController();
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      progress.report({ message: 'starting… (Cancel ends every process it started)' });
      return work(controller.signal, (p) => {
        const ms = p.sample.ok ? `${p.sample.wallMs.toFixed(0)} ms` : `failed: ${p.sample.error ?? 'error'}`;
        progress.report({
          message: `${p.phase === 'warmup' ? 'warm-up' : 'run'} ${p.done}/${p.total}${p.group ? ` (${p.group})` : ''}: ${ms}`,
          increment: p.phase === 'measure' ? 100 / p.total : undefined,
        });
      }, (message) => progress.report({ message }));
    });
  } catch (err) {
    if (err instanceof CancelledError || controller.signal.aborted) {
      services.output.appendLine('■ benchmark cancelled: its processes were ended, nothing was stored.');
      void vscode.window.showInformationMessage('Hotpath: benchmark cancelled; nothing was stored.');
      return undefined;
    }
    throw err;
  }
}

async function target(context: vscode.ExtensionContext, a: Record<string, unknown> | undefined, title: string): Promise<{ command: string; cwd: string } | undefined> {
  if (typeof a?.command === 'string') {
    const cwd = typeof a.cwd === 'string' ? a.cwd : defaultCwd();
    return cwd ? { command: a.command, cwd } : undefined;
  }
  return pickTarget(context.workspaceState, { title, placeHolder: 'Which command should Hotpath measure?' });
}

function checkTarget(t: { command: string; cwd: string }): string | undefined {
  const problem = commandLineProblem(t.command);
  if (problem) return problem;
  if (!fs.existsSync(t.cwd)) return `the folder ${t.cwd} does not exist.`;
  return undefined;
}

/** The prove commands and panels, created on their first use (registerProve.ts registers them). */
export function createProve(context: vscode.ExtensionContext, services: Services) {
  const panels = new ProvePanels(services);
  const report = (what: string) => (err: unknown) => {
    services.output.appendLine(`${what}: ${errorMessage(err)}`);
    void vscode.window.showErrorMessage(`Hotpath: ${what}: ${errorMessage(err)}`, 'Show Output').then((c) => c && services.output.show());
    return undefined;
  };

  async function bench(arg?: unknown): Promise<BenchCommandResult | undefined> {
    if (!vscode.workspace.isTrusted) return explainUntrusted('benchmark workspace code');
    const a = obj(arg);
    const t = await target(context, a, 'Hotpath: Benchmark Command…');
    if (!t) return undefined;
    const problem = checkTarget(t);
    if (problem) return void vscode.window.showErrorMessage(`Hotpath: ${problem}`);
    const s = benchSettings(t.cwd, posInt(a?.runs), nonNegInt(a?.warmup));
    services.output.appendLine(`\n▶ benchmark: ${t.command}    (in ${t.cwd}; ${s.warmup} warm-up + ${s.runs} runs)`);
    const rec = await withBenchProgress(`Hotpath: benchmarking ${t.command}`, services, (signal, onProgress) => benchmarkCommand({ command: t.command, cwd: t.cwd }, {
      ...s, signal, onProgress, label: typeof a?.label === 'string' ? a.label : undefined, storeDir: benchStoreFor(t.cwd),
      onOutput: (text) => services.output.append(text),
    }));
    if (!rec) return undefined;
    const w = rec.stats.wall;
    const line = w ? `median ${w.median.toFixed(1)} ms (95 % CI ${w.medianCI.lo.toFixed(1)}–${w.medianCI.hi.toFixed(1)} ms, IQR ${w.iqr.toFixed(1)} ms), n = ${rec.stats.n}` : 'no successful run';
    services.output.appendLine(`■ ${line}${rec.stats.failed ? `, ${rec.stats.failed} failed run(s)` : ''}; stored in ${rec.file}`);
    if (rec.stats.failed) void vscode.window.showWarningMessage(`Hotpath: ${rec.stats.failed} of ${rec.runs} runs failed (left out of the statistics; see the Hotpath output).`);
    const panel = panels.show({ kind: 'history' }, { command: rec.command });
    panels.refreshHistory();
    return { id: rec.id, file: rec.file, n: rec.stats.n, failed: rec.stats.failed, medianMs: w?.median ?? null, ciMs: w ? [w.medianCI.lo, w.medianCI.hi] : null, panel: panel.summary };
  }

  function showComparison(before: BenchRecord, after: BenchRecord, labels: { before?: string; after?: string }, profile?: ProfileDiffView): CompareCommandResult {
    const panel = panels.show({ kind: 'compare', before: before.id, after: after.id, beforeLabel: labels.before ?? sideLabel(before), afterLabel: labels.after ?? sideLabel(after), ...(profile ? { profile } : {}) });
    panels.refreshHistory();
    const s = panel.summary;
    return { beforeId: before.id, afterId: after.id, verdict: s.verdict ?? 'inconclusive', sentence: s.sentence ?? '', ratio: s.ratio ?? NaN, p: s.p ?? NaN, panel: s };
  }

  async function runPaired(t: { command: string; cwd: string }, a: Record<string, unknown> | undefined, mode: { ref: string } | { checkpoint: string; store: string; label: string }): Promise<CompareCommandResult | undefined> {
    const s = benchSettings(t.cwd, posInt(a?.runs), nonNegInt(a?.warmup));
    const build = buildSettings(t.cwd, a);
    if (build?.fromWorkspace && !(await confirmStoredCommand(context.workspaceState, { command: build.command, cwd: t.cwd, source: build.fromWorkspace, action: 'Compare Before/After (build step)' }))) {
      services.output.appendLine(`■ compare not run: the build command from ${build.fromWorkspace} was not confirmed.`);
      return undefined;
    }
    const what = 'ref' in mode ? mode.ref : mode.label;
    services.output.appendLine(`\n▶ compare: ${t.command} at ${what} vs the working tree, interleaved (${s.warmup} warm-up + ${s.runs} runs each)`);
    if (build) services.output.appendLine(`  build first: ${build.command} (in the ${'ref' in mode ? 'worktree' : 'checkpoint copy'}${build.workingTree ? ' and in the working tree' : '; the working tree is measured as it is'})`);
    const profileRuns = profileRunsSetting(t.cwd, a);
    if (profileRuns) services.output.appendLine(`  then ${profileRuns} profiled run(s) per side (CPU, sampled every ${PROFILED_INTERVAL_US / 1000} ms), after the timed runs, kept in Profile Runs (settings hotpath.bench.profileDiff, hotpath.bench.profileRuns)${profileRuns === 1 ? '; 1 run per side: sampling error only, no verdict per function' : ''}`);
    const includeLaunchers = setting<boolean>(Settings.diffIncludeLaunchers, vscode.Uri.file(t.cwd)) ?? false;
    const profiled = (say: (message: string) => void) => (profileRuns ? {
      profile: {
        runs: profileRuns, store: services.runs.storeDir, root: rootFor(t.cwd), includeLaunchers,
        onProfile: (e: { side: string; index: number; runs: number; phase: 'start' | 'end'; run?: { ok: boolean; wallMs: number; reason?: string } }) => {
          if (e.phase === 'start') say(`profiling ${e.side} ${e.index + 1}/${e.runs} (after the timed runs; Cancel ends it)`);
          else services.output.appendLine(`  profiled run ${e.index + 1}/${e.runs} ${e.side}: ${e.run!.ok ? `${e.run!.wallMs.toFixed(0)} ms` : `failed (${e.run!.reason})`}`);
        },
      },
    } : {});
    const common = {
      ...s, storeDir: benchStoreFor(t.cwd), onOutput: (text: string) => services.output.append(text), build,
      onBuild: (b: { side: string; phase: 'start' | 'end'; ms?: number; cwd: string }) => services.output.appendLine(b.phase === 'start' ? `▶ build (${b.side}) in ${b.cwd}` : `■ build (${b.side}) done in ${b.ms!.toFixed(0)} ms`),
    };
    let r: RefBenchmarkResult | undefined;
    try {
      r = await withBenchProgress(`Hotpath: ${what} vs working tree`, services, (signal, onProgress, say) => ('ref' in mode
        ? benchmarkRef({ command: t.command, cwd: t.cwd }, mode.ref, { ...common, ...profiled(say), signal, onProgress })
        : benchmarkCheckpoint({ command: t.command, cwd: t.cwd }, mode.store, mode.checkpoint, { ...common, ...profiled(say), signal, onProgress })));
    } catch (err) {
      if (!(err instanceof BuildError)) throw err;
      services.output.appendLine(`■ ${err.message}\nNothing was measured or stored; the temporary ${err.side === 'ref' ? 'worktree' : err.side === 'checkpoint' ? 'copy' : 'tree'} was removed.`);
      const where = err.side === 'working tree' ? 'the working tree' : err.side === 'ref' ? `the worktree of ${'ref' in mode ? mode.ref : 'the ref'}` : 'the checkpoint copy';
      void vscode.window.showErrorMessage(`Hotpath: the build failed in ${where} (${err.exitCode !== null ? `exit code ${err.exitCode}` : err.reason}); nothing was measured.`, 'Show Output').then((c) => c && services.output.show());
      return undefined;
    }
    if (!r) return undefined;
    for (const n of r.notes ?? []) services.output.appendLine(`  note: ${n}`);
    services.output.appendLine(`■ ${r.comparison.sentence}`);
    const c = r.comparison;
    const profile = r.profile ? profileDiffView(r.profile, { verdict: c.verdict, changePct: c.changePct, n: { before: c.before.n, after: c.after.n }, metric: r.metric }) : undefined;
    if (profile) {
      services.output.appendLine(profile.error ? `■ where the time moved: ${profile.error}` : `■ where the time moved: ${profile.changed} function(s) changed beyond the noise${profile.rows.length ? `: ${profile.rows.map((x) => `${x.name} ${x.verdict}`).join(', ')}` : ''}`);
      if (profile.story) services.output.appendLine(`  ${profile.story}`);
      for (const n of profile.notes) services.output.appendLine(`  note: ${n}`);
    }
    const out = showComparison(r.before, r.after, { before: 'ref' in mode ? `${mode.ref} (${r.before.git?.commit.slice(0, 7) ?? '?'})` : mode.label, after: 'working tree' }, profile);
    void vscode.window.showInformationMessage(`Hotpath: ${r.comparison.sentence}`);
    return { ...out, ratio: r.comparison.ratio, p: r.comparison.test.p, ...(profile ? { profileRuns: profile.runs } : {}) };
  }

  async function compare(arg?: unknown): Promise<CompareCommandResult | undefined> {
    const a = obj(arg);
    // Two stored benchmarks: nothing runs, so this works in untrusted workspaces too.
    if (typeof a?.before === 'string' && typeof a.after === 'string') return compareStored(a.before, a.after);
    let mode: { ref: string } | { checkpoint: string; store: string; label: string } | 'stored' | undefined;
    if (typeof a?.ref === 'string') mode = { ref: a.ref };
    else if (typeof a?.checkpoint === 'string') {
      const found = allCheckpoints().find((c) => c.cp.id === a.checkpoint);
      if (!found) return void vscode.window.showErrorMessage(`Hotpath: no checkpoint ${a.checkpoint} in this workspace.`);
      mode = { checkpoint: found.cp.id, store: found.store, label: `checkpoint: ${found.cp.label ?? found.cp.id}` };
    } else mode = await pickCompareMode();
    if (!mode) return undefined;
    if (mode === 'stored') return pickStored();
    if (!vscode.workspace.isTrusted) return explainUntrusted('benchmark workspace code');
    const t = await target(context, a, 'Hotpath: Compare Before/After…');
    if (!t) return undefined;
    const problem = checkTarget(t);
    if (problem) return void vscode.window.showErrorMessage(`Hotpath: ${problem}`);
    return runPaired(t, a, mode);
  }

  async function pickCompareMode(): Promise<{ ref: string } | { checkpoint: string; store: string; label: string } | 'stored' | undefined> {
    type Item = vscode.QuickPickItem & { mode: 'ref' | 'checkpoint' | 'stored' };
    const latest = allCheckpoints().find((c) => c.cp.state === 'applied');
    const items: Item[] = [];
    if (latest) items.push({ label: '$(history) Last checkpoint vs working tree', description: `${latest.cp.label ?? latest.cp.id} · ${new Date(latest.cp.createdAt).toLocaleString()}`, detail: 'Runs the command in a temporary copy with the checkpoint\'s files restored, and in the working tree, interleaved.', mode: 'checkpoint' });
    items.push({ label: '$(git-commit) Git ref vs working tree', description: latest?.cp.git ? `default ${latest.cp.git.head.slice(0, 7)} (the last checkpoint's commit)` : 'default HEAD', detail: 'Runs the command in a temporary git worktree of the ref and in the working tree, interleaved.', mode: 'ref' });
    items.push({ label: '$(database) Two stored benchmarks', description: 'no new runs', mode: 'stored' });
    const picked = await vscode.window.showQuickPick(items, { title: 'Hotpath: Compare Before/After…', placeHolder: 'What is "before"?' });
    if (!picked) return undefined;
    if (picked.mode === 'stored') return 'stored';
    if (picked.mode === 'checkpoint' && latest) return { checkpoint: latest.cp.id, store: latest.store, label: `checkpoint: ${latest.cp.label ?? latest.cp.id}` };
    const ref = await vscode.window.showInputBox({ title: 'Hotpath: git ref for "before"', value: latest?.cp.git?.head.slice(0, 12) ?? 'HEAD', prompt: 'A commit, branch or tag; "after" is the working tree.' });
    return ref ? { ref } : undefined;
  }

  function storedRecords(): BenchRecord[] {
    return benchStores().flatMap((s) => listBench(s).records).sort((x, y) => y.id.localeCompare(x.id));
  }

  async function pickStored(): Promise<CompareCommandResult | undefined> {
    const records = storedRecords();
    if (records.length < 2) return void vscode.window.showInformationMessage(`Hotpath: ${records.length} benchmark(s) stored; two are needed. Run "Hotpath: Benchmark Command…" first.`);
    const item = (r: BenchRecord) => ({
      label: `${sideLabel(r)} · ${r.command}`,
      description: `${new Date(r.createdAt).toLocaleString()} · n = ${r.stats.n}${r.stats.failed ? `, ${r.stats.failed} failed` : ''}${r.stats.wall ? ` · median ${r.stats.wall.median.toFixed(1)} ms (95 % CI ${r.stats.wall.medianCI.lo.toFixed(1)}–${r.stats.wall.medianCI.hi.toFixed(1)})` : ''}`,
      r,
    });
    const before = await vscode.window.showQuickPick(records.map(item), { title: 'Hotpath: Compare Before/After… (1/2)', placeHolder: 'Before: which stored benchmark?' });
    if (!before) return undefined;
    const after = await vscode.window.showQuickPick(records.filter((r) => r !== before.r).map(item), { title: 'Hotpath: Compare Before/After… (2/2)', placeHolder: 'After: which stored benchmark?' });
    if (!after) return undefined;
    return compareStored(before.r.id, after.r.id);
  }

  function compareStored(beforeId: string, afterId: string): CompareCommandResult | undefined {
    const records = storedRecords();
    const before = records.find((r) => r.id === beforeId);
    const after = records.find((r) => r.id === afterId);
    if (!before || !after) return void vscode.window.showErrorMessage(`Hotpath: no stored benchmark ${!before ? beforeId : afterId}.`);
    if (before.command !== after.command) void vscode.window.showWarningMessage(`Hotpath: the two benchmarks ran different commands ("${before.command}" and "${after.command}").`);
    return showComparison(before, after, {});
  }

  context.subscriptions.push(panels);
  return {
    panels,
    restore: (panel: vscode.WebviewPanel, state: unknown) => panels.restore(panel, state),
    bench: (arg?: unknown) => bench(arg).catch(report('the benchmark failed')),
    compare: (arg?: unknown) => compare(arg).catch(report('the comparison failed')),
    showBenchHistory: () => panels.show({ kind: 'history' }).summary,
    createCheckpoint: (arg?: unknown) => createCheckpointCommand(services, arg).catch(report('the checkpoint failed')),
    rollback: (arg?: unknown) => rollbackCommand(services, arg).catch(report('the rollback failed')),
  };
}

