// "Hotpath: Apply Startup Plan…": the whole-program plan (src/core/plan) from runs profiled for
// it, as one batch in the refactor preview behind a checkpoint (the Apply All flow), then the
// before/after comparison, with the predicted saving shown against the measured one.
// Without a suitable run it offers to profile the startup command first (imports + coverage).
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunRecord } from '../../core/history';
import type { StartupPlan } from '../../core/plan';
import { formatPlan, savingLine } from '../../core/plan/text';
import { Commands } from '../contributions';
import { applyBehindCheckpoint } from '../prove/checkpoints';
import type { CompareCommandResult } from '../prove/prove';
import { rootFor } from '../prove/stores';
import { pickTarget } from '../profile/pickTarget';
import { storedRuns } from '../runs/runStores';
import type { Services } from '../services';
import { type EngineLoader, minimalEdit } from './engine';

/** Automation form (tests, scripts): skips the pickers. */
export interface StartupPlanArgs {
  /** Run folders to plan from (default in automation: the newest run profiled for a plan). */
  runs?: string[];
  /** false: apply without the refactor preview. Default true. */
  preview?: boolean;
  /** Compare before (the checkpoint) and after at once with this many runs per side; default: ask. */
  measureRuns?: number;
}

export interface StartupPlanResult {
  leaving: number;
  edits: number;
  files: string[];
  predictedMs: number;
  predictedShare: number | null;
  checkpoint?: { id: string; store: string; root: string };
  /** `message`: the predicted saving beside the measured change, as the output channel and the notification show it. */
  comparison?: { verdict: string; ratio: number; measuredShare: number; message?: string };
}

const planCapable = (r: RunRecord) => !!r.capture?.imports && !!r.capture?.coverage;

async function pickRuns(services: Services, context: vscode.ExtensionContext): Promise<string[] | undefined> {
  let runs = storedRuns(services.runs.stores()).filter((r) => planCapable(r.record));
  if (!runs.length) {
    const profileFirst = 'Profile the Startup Command…';
    const choice = await vscode.window.showInformationMessage(
      'Hotpath: a startup plan needs a run that recorded every import and which functions ran. Profile the startup command for it (a CLI\'s --version or --help, a server until it listens), or run `hotpath profile --plan -- <command>`.',
      profileFirst);
    if (choice !== profileFirst) return undefined;
    const target = await pickTarget(context.workspaceState, { title: 'Hotpath: Apply Startup Plan…', placeHolder: 'Which command starts the program (its common short path)?' });
    if (!target) return undefined;
    await vscode.commands.executeCommand(Commands.profile, { command: target.command, cwd: target.cwd, capture: { cpu: true, heap: false, imports: true, coverage: true, intervalUs: 1000 } });
    runs = storedRuns(services.runs.stores()).filter((r) => planCapable(r.record) && r.record.command === target.command);
    return runs.length ? [runs[0].dir] : undefined;
  }
  type Item = vscode.QuickPickItem & { dir: string };
  const newest = runs[0].record.command;
  const items: Item[] = runs.map((r) => ({
    label: r.record.command,
    description: `${new Date(r.record.startedAt).toLocaleString()} · ${r.record.wallMs} ms · ${r.store.label}`,
    picked: r.record.command === newest,
    dir: r.dir,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Hotpath: Apply Startup Plan…', canPickMany: true,
    placeHolder: 'Which runs of the startup command? (several give the predicted saving a spread)',
  });
  return picked?.length ? picked.map((p) => p.dir) : undefined;
}

export async function applyStartupPlan(engine: EngineLoader, services: Services, context: vscode.ExtensionContext, arg?: unknown): Promise<StartupPlanResult | undefined> {
  const automation = typeof arg === 'object' && arg !== null;
  const a: StartupPlanArgs = automation ? arg as StartupPlanArgs : {};
  const newest = () => storedRuns(services.runs.stores()).find((r) => planCapable(r.record));
  const dirs = a.runs ?? (automation ? [newest()?.dir].filter((d): d is string => !!d) : await pickRuns(services, context));
  if (automation && !dirs?.length) throw new Error('no run was profiled for a startup plan (imports and coverage): profile the startup command with capture { imports: true, coverage: true } first');
  if (!dirs?.length) return undefined;
  const e = engine.get();
  const facts = dirs.map((d) => e.readRunFacts(d));
  const cwd = facts.find((f) => f.command)?.command?.cwd ?? path.dirname(dirs[0]);
  const root = rootFor(cwd);
  let plan: StartupPlan;
  try {
    plan = e.computePlan(facts, { root });
  } catch (err) {
    void vscode.window.showErrorMessage(`Hotpath: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
  const { output } = services;
  output.appendLine('');
  for (const line of formatPlan(plan, root)) output.appendLine(line);
  if (!plan.edits.length) {
    void vscode.window.showInformationMessage(`Hotpath: no module can leave the startup of this command: ${plan.blockers[0] ? `the heaviest, ${plan.blockers[0].name}, stays: ${plan.blockers[0].reason}` : 'nothing loaded can be deferred'}.`, 'Show Output')
      .then((c) => c && output.show());
    return { leaving: 0, edits: 0, files: [], predictedMs: 0, predictedShare: null };
  }
  const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && plan.edits.some((x) => x.file === d.uri.fsPath));
  if (dirty.length) {
    void vscode.window.showWarningMessage(`Hotpath: save ${dirty.map((d) => path.basename(d.uri.fsPath)).join(', ')} first: the plan edits the files as they are on disk.`);
    return undefined;
  }
  const planned = e.planFiles(plan);
  const edit = new vscode.WorkspaceEdit();
  for (const p of planned) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(p.file));
    const change = minimalEdit(doc, p.before, p.after);
    edit.replace(doc.uri, change.range, change.newText, {
      needsConfirmation: a.preview !== false,
      label: `${path.basename(p.file)}: lazy-load ${p.requests.map((r) => `'${r}'`).join(', ')}`,
      description: 'Startup plan: with these, the modules leave startup (one loader per module per file).',
    });
  }
  const label = `before the startup plan (${plan.edits.length} lazy-load(s) in ${planned.length} file(s); ${savingLine(plan)})`;
  const result = await applyBehindCheckpoint(edit, label, output);
  if (!result.applied) return undefined;
  const done = [];
  for (const p of planned) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(p.file));
    if (doc.getText() === p.after) done.push(p.file);
  }
  const out: StartupPlanResult = {
    leaving: plan.leaving.length, edits: plan.edits.length, files: done, predictedMs: plan.saving.median,
    predictedShare: plan.share?.median ?? null, checkpoint: result.checkpoint,
  };
  if (done.length < planned.length) {
    output.appendLine(`Startup plan: ${planned.length - done.length} of ${planned.length} file(s) were not ticked in the Refactor Preview: the modules they load stay at startup, so the saving will be smaller than predicted.`);
  }
  const command = plan.runs.find((r) => r.command)?.command;
  if (!command || !result.checkpoint) return out;
  const measure = 'Measure before/after';
  const wants = a.measureRuns ?? (await vscode.window.showInformationMessage(
    `Hotpath: applied the startup plan (${done.length} file(s)); ${savingLine(plan)}. "Hotpath: Roll Back to Checkpoint…" undoes it in one step.`, measure) === measure ? 0 : undefined);
  if (wants === undefined) return out;
  const cmp = await vscode.commands.executeCommand<CompareCommandResult | undefined>(Commands.compare, {
    checkpoint: result.checkpoint.id, cwd, command, ...(wants > 0 ? { runs: wants } : {}),
  });
  if (!cmp) return out;
  out.comparison = { verdict: cmp.verdict, ratio: cmp.ratio, measuredShare: 1 - cmp.ratio };
  const predicted = plan.share ? `${(plan.share.median * 100).toFixed(0)} % (${plan.saving.median.toFixed(0)} ms)` : `${plan.saving.median.toFixed(0)} ms`;
  const points = plan.share ? ` The estimate's error: ${((plan.share.median - (1 - cmp.ratio)) * 100).toFixed(1)} points of the startup.` : '';
  const message = `Startup plan: estimated ${predicted} faster; measured ${((1 - cmp.ratio) * 100).toFixed(1)} % (${cmp.verdict}, ${cmp.sentence}).${points}`;
  out.comparison.message = message;
  output.appendLine(message);
  void vscode.window.showInformationMessage(`Hotpath: ${message}`);
  return out;
}
