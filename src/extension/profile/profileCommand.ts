// "Hotpath: Profile…" and "Hotpath: Stop Profiling": run a target with the profiling preload,
// stream its output, and open what it recorded in a flame panel.
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { CaptureOptions, RunResult } from '../../core/runner/types';
import { Commands, Settings } from '../contributions';
import { FlamePanel } from '../panels/flamePanel';
import { errorMessage } from '../runs/reload';
import { fromRun } from '../runs/profileSource';
import { captureSettings, setting, type Services } from '../services';
import { toCommandResult, type ProfileCommandResult } from './commandResult';
import { commandLineProblem, runTitle } from './commandLine';
import { pickTarget, targetForFile } from './pickTarget';
import { ProfilingStatus } from './profilingStatus';
import { describeOutcome } from './runMessages';
import { explainUntrusted } from './trust';
import { features } from '../lazy';

/** The automation form of the command: skips the quick pick. */
export interface ProfileArgs {
  command: string;
  cwd?: string;
  capture?: Partial<CaptureOptions>;
  /** Stop after this long and show what was recorded (overrides hotpath.profile.durationSeconds). */
  durationMs?: number;
  /** 'startup': stop once loading settles (overrides hotpath.profile.stopWhen). */
  stopWhen?: 'exit' | 'startup';
}

export function registerProfile(context: vscode.ExtensionContext, services: Services): void {
  const status = new ProfilingStatus(services.activeRuns);
  context.subscriptions.push(
    status,
    vscode.commands.registerCommand(Commands.profile, async (arg?: unknown) => {
      if (!vscode.workspace.isTrusted) return explainUntrusted('run and profile workspace code');
      const target = isProfileArgs(arg) ? { ...arg, cwd: arg.cwd ?? defaultCwd() }
        : arg instanceof vscode.Uri ? await targetForFile(arg)
        : await pickTarget(context.workspaceState);
      if (!target) return undefined;
      if (!target.cwd) return fail('Hotpath: open a folder first (or pass `cwd`): the command runs in a workspace folder.');
      return profileTarget(services, status, target.command, target.cwd, isProfileArgs(arg) ? arg : undefined);
    }),
    vscode.commands.registerCommand(Commands.stopProfile, () => {
      // 'stop' (unlike cancel) keeps and shows what the processes recorded.
      for (const run of services.activeRuns) run.abort('stop');
    }),
  );
}

async function profileTarget(services: Services, status: ProfilingStatus, command: string, cwd: string, overrides?: ProfileArgs): Promise<ProfileCommandResult | undefined> {
  const problem = commandLineProblem(command);
  if (problem) return fail(`Hotpath: ${problem}`);
  if (!fs.existsSync(cwd)) return fail(`Hotpath: the folder ${cwd} does not exist.`);
  const settings = { ...captureSettings(vscode.Uri.file(cwd)), ...pick(overrides, ['durationMs', 'stopWhen']) };
  const capture = { ...settings.capture, ...overrides?.capture };
  const started = new Date();
  const title = runTitle(command, started);
  const { runTarget, LiveTail, pollLive, fewSamplesNote } = features.profileRun();
  const { id, dir } = services.runs.newRunDir(started);
  const { output } = services;
  output.appendLine(`\n▶ ${command}    (in ${cwd}, ${started.toLocaleTimeString()})`);
  output.show(true);

  const controller = new AbortController();
  controller.signal.addEventListener('abort', () => output.appendLine(`\n(${controller.signal.reason === 'stop' ? 'stopping' : 'cancelling'}: ending every process of the run)`));
  services.activeRuns.add(controller);
  status.update();
  // Live metrics of the run's processes (preloadLive.ts writes them into the run folder), read once
  // a second by one tail: the status bar shows the newest, the live chart (a panel that opens beside
  // the editor with the first sample; capture.liveMs 0: none) draws what is new.
  const tail = new LiveTail(dir, started.getTime());
  const liveView = capture.liveMs === 0 || settings.engine === '0x' ? undefined : new (features.live().LiveRunView)(services, tail, title, command);
  const livePoll = pollLive(tail, 1000, (update, text) => {
    liveView?.update(update);
    status.setLive(text);
  });
  let result: RunResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Hotpath: profiling ${title}`, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => controller.abort('cancel'));
        progress.report({ message: 'Cancel ends every process it started.' });
        return runTarget({
          command, cwd, outDir: dir, capture, engine: settings.engine, timeoutMs: settings.timeoutMs,
          durationMs: settings.durationMs, stopWhen: settings.stopWhen,
          signal: controller.signal, onOutput: (text) => output.append(text),
        });
      },
    );
  } catch (err) {
    return fail(`Hotpath could not run "${command}": ${errorMessage(err)}`, services);
  } finally {
    liveView?.stop(livePoll.stop(), `The run ended; this series is kept with it in ${dir} (Profile Runs: Show Live Metrics).`);
    services.activeRuns.delete(controller);
    status.setLive(undefined);
  }

  const stopped = controller.signal.aborted && controller.signal.reason === 'stop';
  output.appendLine(`■ ${summaryLine(result)}`);
  // A run that profiled no Node.js process (it could not start, e.g. the 0x engine without 0x)
  // is no run: it is reported, not stored (as `hotpath profile` does).
  if (result.processes.length) {
    await services.runs.save(id, { command, cwd, startedAt: started, capture, engine: settings.engine, stopWhen: settings.stopWhen, durationMs: settings.durationMs, result })
      .catch((err) => output.appendLine(`Could not record the run in ${dir}: ${errorMessage(err)}`));
  } else {
    services.runs.discard(id);
    output.appendLine('Nothing was stored in Profile Runs: no Node.js process was profiled.');
  }

  void pruneRuns(services);
  const outcome = describeOutcome(command, result, capture, stopped, settings.timeoutMs);
  if (outcome.kind === 'cancelled') {
    void vscode.window.showInformationMessage(outcome.message);
    return undefined;
  }
  if (outcome.kind !== 'profiled') return fail(outcome.message, services);
  if (outcome.warning) void showWithOutput(services, vscode.window.showErrorMessage, `${outcome.warning}\nShowing the profile that was written.`);

  try {
    const profile = await fromRun(result, dir, cwd, title);
    const few = capture.cpu && settings.engine === 'inspector'
      ? fewSamplesNote(profile.model.cpu?.sampleCount ?? 0, capture.intervalUs, `setting ${Settings.intervalUs}: 1000`) : undefined;
    if (few) output.appendLine(`note: ${few}`);
    const live = liveView?.panel ? { panelId: liveView.panel.id, drawn: liveView.panel.drawn } : undefined;
    return { ...toCommandResult(FlamePanel.open(services, profile).id, profile), ...(live ? { live } : {}) };
  } catch (err) {
    return fail(`Hotpath recorded the run but could not read its profiles: ${errorMessage(err)}`, services);
  }
}

async function pruneRuns(services: Services): Promise<void> {
  const keep = setting<number>(Settings.maxRuns) ?? 50;
  const open = new Set(services.panels.all().flatMap((p) => (p.current?.ref.kind === 'run' ? [p.current.ref.dir] : [])));
  const removed = await services.runs.prune(keep, open).catch((err) => {
    services.output.appendLine(`Could not delete old runs: ${errorMessage(err)}`);
    return [];
  });
  if (removed.length) services.output.appendLine(`Deleted ${removed.length} old run(s) beyond ${Settings.maxRuns} = ${keep}.`);
}

function summaryLine(result: RunResult): string {
  const ending = result.cancelled ? 'stopped' : result.timedOut ? 'timed out' : result.signal ? `ended by ${result.signal}` : `exit code ${result.exitCode}`;
  return `${ending} after ${(result.wallMs / 1000).toFixed(2)} s; ${result.processes.length} Node.js process(es) profiled`;
}

/** Error with a "Show Output" button; never awaited by the command so automation cannot hang. */
function fail(message: string, services?: Services): undefined {
  if (services) void showWithOutput(services, vscode.window.showErrorMessage, message);
  else void vscode.window.showErrorMessage(message);
  return undefined;
}

async function showWithOutput(services: Services, show: typeof vscode.window.showErrorMessage, message: string): Promise<void> {
  if ((await show(message, 'Show Output')) === 'Show Output') services.output.show();
}

/** The keys of `from` among `keys` that are set, so they override settings only when given. */
function pick<T extends object, K extends keyof T>(from: T | undefined, keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => from?.[k] !== undefined).map((k) => [k, from![k]])) as Partial<Pick<T, K>>;
}

function isProfileArgs(arg: unknown): arg is ProfileArgs {
  return typeof arg === 'object' && arg !== null && typeof (arg as ProfileArgs).command === 'string';
}

function defaultCwd(): string | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return (uri && vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath) ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}
