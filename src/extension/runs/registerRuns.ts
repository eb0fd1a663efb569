// The "Profile Runs" feature: the view (runsTree.ts) and its commands: open a run's flame panel,
// profile the same command again, compare two runs (through hotpath.compareProfiles, offered only
// once that command exists), delete runs (modal confirmation), copy the command, reveal the folder.
// The view lists the extension's store and each workspace folder's .hotpath/runs (the CLI's), and
// watches both.
import * as path from 'path';
import * as vscode from 'vscode';
import { formatWall, shortCommit } from '../../core/history';
import { Commands, ContextKeys, Views } from '../contributions';
import { FlamePanel } from '../panels/flamePanel';
import { toCommandResult, type ProfileCommandResult } from '../profile/commandResult';
import { confirmStoredCommand, explainUntrusted } from '../profile/trust';
import type { Services } from '../services';
import { errorMessage, reload, rootFor } from './reload';
import type { GroupEntry, RunEntry } from './runsModel';
import { RunsTree, type RunsNode } from './runsTree';
import { RunStoreWatcher } from './storeWatcher';
import type { LiveDrawn } from '../live/livePanel';
import { features } from '../lazy';

/** Automation form of Delete Run / Delete All: `confirmed: true` skips the modal. */
export interface DeleteRunsArgs {
  dirs?: string[];
  confirmed?: boolean;
}

export function registerRuns(context: vscode.ExtensionContext, services: Services): RunsTree {
  const tree = new RunsTree(services.runs, services.output);
  const view = vscode.window.createTreeView(Views.runs, { treeDataProvider: tree, canSelectMany: true, showCollapseAll: true });
  // Runs saved, pruned or deleted by another window of this workspace, and runs the CLI saves in
  // (or `hotpath runs rm` deletes from) a workspace folder's .hotpath/runs, all through one
  // RunStoreWatcher (storeWatcher.ts), which also watches this extension's own store.
  const stores = new RunStoreWatcher(services.runs, () => tree.refresh());
  // Relative times ("5 min ago") age: refresh once a minute while the view is visible (which also
  // picks up a store whose first run no watcher reported).
  const timer = setInterval(() => { if (view.visible) stores.changed(); }, 60_000);
  const updateCompare = () => compareAvailable().then((on) => vscode.commands.executeCommand('setContext', ContextKeys.compareProfilesAvailable, on), () => undefined);
  context.subscriptions.push(
    tree,
    view,
    { dispose: () => clearInterval(timer) },
    stores,
    // A run saved or deleted here may have created a store: watch it from now on.
    services.runs.onDidChangeRuns(stores.changed),
    view.onDidChangeVisibility((e) => { if (e.visible) { tree.refresh(); stores.changed(); void updateCompare(); } }),
    vscode.extensions.onDidChange(() => void updateCompare()),
    vscode.commands.registerCommand(Commands.refreshRuns, () => { tree.refresh(); stores.changed(); void updateCompare(); return tree.runs().map((r) => r.dir); }),
    vscode.commands.registerCommand(Commands.openRun, (arg?: unknown) => openRun(services, tree, arg)),
    vscode.commands.registerCommand(Commands.showRunLive, (arg?: unknown) => showRunLive(services, tree, arg)),
    vscode.commands.registerCommand(Commands.profileRunAgain, (arg?: unknown) => profileAgain(context, tree, arg)),
    vscode.commands.registerCommand(Commands.compareRunWith, (arg?: unknown, other?: unknown) => compareWith(tree, arg, other)),
    vscode.commands.registerCommand(Commands.deleteRun, (arg?: unknown, selected?: unknown) => deleteRuns(services, tree, arg, selected)),
    vscode.commands.registerCommand(Commands.deleteAllRuns, (arg?: unknown) => deleteAll(services, tree, arg)),
    vscode.commands.registerCommand(Commands.copyRunCommand, async (arg?: unknown) => {
      const run = (await pickRuns(tree, arg))[0];
      if (!run) return undefined;
      await vscode.env.clipboard.writeText(run.record.command);
      vscode.window.setStatusBarMessage(`Hotpath: copied "${run.label}"`, 3000);
      return run.record.command;
    }),
    vscode.commands.registerCommand(Commands.revealRunFolder, async (arg?: unknown) => {
      // A store's group: its folder (where `hotpath runs --dir` can list the extension's runs).
      const group = groupOf(tree, arg);
      if (group) {
        await revealFolder(group.store.dir);
        return group.store.dir;
      }
      const run = (await pickRuns(tree, arg))[0];
      if (run) await revealFolder(run.dir);
      return run?.dir;
    }),
  );
  // After activate registered every feature's commands (src/extension/diff registers compareProfiles).
  setTimeout(() => void updateCompare(), 0);
  return tree;
}

async function compareAvailable(): Promise<boolean> {
  return (await vscode.commands.getCommands(true)).includes(Commands.compareProfiles);
}

/** The store group `arg` names (a group node as the view passes it, looked up as it is now). */
function groupOf(tree: RunsTree, arg: unknown): GroupEntry | undefined {
  if (typeof arg !== 'object' || arg === null || (arg as RunsNode).kind !== 'group') return undefined;
  const dir = (arg as GroupEntry).store.dir;
  return tree.groups().find((g) => g.store.dir === dir);
}

/** "VS Code" / "CLI: .hotpath/runs" after a run's description when the runs span several stores. */
function storeNote(runs: RunEntry[]): (r: RunEntry) => string {
  const several = new Set(runs.map((r) => r.store?.dir)).size > 1;
  return (r) => (several && r.store ? ` · ${r.store.label}` : '');
}

/** The stored run `arg` names (a tree node, a run folder or id), looked up in `runs` (the store as it is now). */
function runOf(runs: RunEntry[], arg: unknown): RunEntry | undefined {
  if (typeof arg === 'string') return runs.find((r) => path.resolve(r.dir) === path.resolve(arg) || r.id === arg);
  if (typeof arg !== 'object' || arg === null) return undefined;
  const node = arg as RunsNode;
  if (node.kind === 'run') return runs.find((r) => r.dir === node.dir);
  if (node.kind === 'process') return runOf(runs, node.run);
  return undefined;
}

function runsOf(runs: RunEntry[], args: unknown[]): RunEntry[] {
  const found = new Map<string, RunEntry>();
  for (const a of args) {
    const r = runOf(runs, a);
    if (r) found.set(r.dir, r);
  }
  return [...found.values()];
}

/**
 * The runs a command acts on: the clicked node (with the multi-selection when it is part of it),
 * a run folder, `{dirs}`, else the view's selection, else a quick pick.
 */
async function pickRuns(tree: RunsTree, arg: unknown, selected?: unknown, many = false): Promise<RunEntry[]> {
  const runs = tree.runs();
  if (Array.isArray(selected) && selected.length > 1 && selected.includes(arg)) return runsOf(runs, selected);
  if (typeof arg === 'object' && arg !== null && Array.isArray((arg as DeleteRunsArgs).dirs)) return runsOf(runs, (arg as DeleteRunsArgs).dirs!);
  const one = runOf(runs, arg);
  if (one) return [one];
  if (arg !== undefined) return [];
  if (!runs.length) {
    void vscode.window.showInformationMessage('Hotpath has no stored profile runs yet: run "Hotpath: Profile…".');
    return [];
  }
  const note = storeNote(runs);
  const items = runs.map((r) => ({ label: r.label, description: r.description + note(r), run: r }));
  const picked = many
    ? await vscode.window.showQuickPick(items, { canPickMany: true, title: 'Hotpath: Profile Runs', placeHolder: 'Which runs? (newest first)' })
    : await vscode.window.showQuickPick(items, { title: 'Hotpath: Profile Runs', placeHolder: 'Which run? (newest first)' });
  if (!picked) return [];
  return Array.isArray(picked) ? picked.map((p) => p.run) : [picked.run];
}

/** The run's live series (heap, CPU, event-loop delay) from its folder; resolves when the page drew it (tests). */
async function showRunLive(services: Services, tree: RunsTree, arg: unknown): Promise<{ panelId: string; drawn: LiveDrawn | undefined } | undefined> {
  const direct = typeof arg === 'object' && arg !== null && typeof (arg as { dir?: unknown }).dir === 'string' && !('kind' in arg) ? (arg as { dir: string; title?: string }) : undefined;
  const run = direct ? undefined : (await pickRuns(tree, arg))[0];
  const dir = direct?.dir ?? run?.dir;
  if (!dir) return undefined;
  const host = features.live().LivePanel.showRun(services, dir, `Hotpath Live: ${direct?.title ?? run?.label ?? path.basename(dir)}`);
  return { panelId: host.id, drawn: await host.whenDrawn(0, 15_000) };
}

async function openRun(services: Services, tree: RunsTree, arg: unknown): Promise<ProfileCommandResult | undefined> {
  const run = (await pickRuns(tree, arg))[0];
  if (!run) {
    if (arg !== undefined) void vscode.window.showErrorMessage('Hotpath: that run is no longer stored (deleted or pruned).');
    return undefined;
  }
  const open = services.panels.all().find((p) => p.current?.ref.kind === 'run' && path.resolve(p.current.ref.dir) === path.resolve(run.dir));
  if (open?.current) {
    open.panel.reveal();
    return toCommandResult(open.id, open.current);
  }
  try {
    const profile = await vscode.window.withProgress(
      { location: { viewId: Views.runs } },
      () => reload(services.runs, { kind: 'run', dir: run.dir }, '', rootFor(run.record.cwd || run.dir)),
    );
    return toCommandResult(FlamePanel.open(services, profile).id, profile);
  } catch (err) {
    void vscode.window.showErrorMessage(`Hotpath: the run could not be opened: ${errorMessage(err)}`);
    return undefined;
  }
}

/**
 * Same command and folder through hotpath.profile, which also refuses untrusted workspaces. A run
 * from a workspace folder's .hotpath/runs (files a repository can carry, not VS Code's own store)
 * shows its command and asks first (confirmStoredCommand).
 */
async function profileAgain(context: vscode.ExtensionContext, tree: RunsTree, arg: unknown): Promise<unknown> {
  if (!vscode.workspace.isTrusted) return explainUntrusted('run and profile workspace code');
  const run = (await pickRuns(tree, arg))[0];
  if (!run) return undefined;
  if (run.store?.kind !== 'extension') {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(run.dir));
    const source = path.join(folder ? path.relative(folder.uri.fsPath, run.dir) : run.dir, 'run.json');
    const ok = await confirmStoredCommand(context.workspaceState, { command: run.record.command, cwd: run.record.cwd, source, action: 'Profile Again' });
    if (!ok) return undefined;
  }
  return vscode.commands.executeCommand(Commands.profile, { command: run.record.command, cwd: run.record.cwd });
}

async function compareWith(tree: RunsTree, arg: unknown, other: unknown): Promise<unknown> {
  if (!(await compareAvailable())) {
    void vscode.commands.executeCommand('setContext', ContextKeys.compareProfilesAvailable, false);
    void vscode.window.showInformationMessage('Hotpath: comparing two profile runs needs the command hotpath.compareProfiles, which is not available in this version.');
    return undefined;
  }
  // Two runs selected in the view: compare those two.
  const runs = tree.runs();
  const selection = Array.isArray(other) && other.length === 2 && other.includes(arg) ? runsOf(runs, other) : undefined;
  const first = selection?.[0] ?? runOf(runs, arg) ?? (arg === undefined ? (await pickRuns(tree, undefined))[0] : undefined);
  if (!first) {
    if (arg !== undefined) void vscode.window.showErrorMessage('Hotpath: that run is no longer stored (deleted or pruned).');
    return undefined;
  }
  let second = selection?.[1] ?? (typeof other === 'string' ? runOf(runs, other) : undefined);
  if (!second) {
    const others = runs.filter((r) => r.dir !== first.dir);
    if (!others.length) {
      void vscode.window.showInformationMessage('Hotpath: there is no other stored run to compare with.');
      return undefined;
    }
    const note = storeNote(runs);
    const picked = await vscode.window.showQuickPick(
      others.map((r) => ({ label: r.label, description: r.description + note(r), detail: r.record.cwd, run: r })),
      { title: `Hotpath: Compare "${first.label}" with…`, placeHolder: 'The other run (the older of the two is "before")' },
    );
    if (!picked) return undefined;
    second = picked.run;
  }
  const [before, after] = [first, second].sort((a, b) => Date.parse(a.record.startedAt) - Date.parse(b.record.startedAt) || a.id.localeCompare(b.id));
  return vscode.commands.executeCommand(Commands.compareProfiles, before.dir, after.dir);
}

function describeRun(r: RunEntry, note: (r: RunEntry) => string): string {
  const commit = shortCommit(r.record.git);
  return `${r.label} (${new Date(r.record.startedAt).toLocaleString()}, ${formatWall(r.record.wallMs)}${commit ? `, ${commit}` : ''}${note(r).replace(' · ', ', ')})`;
}

async function confirmDelete(runs: RunEntry[], title: string): Promise<boolean> {
  const note = storeNote(runs);
  const shown = runs.slice(0, 10).map((r) => `• ${describeRun(r, note)}`);
  if (runs.length > 10) shown.push(`… and ${runs.length - 10} more`);
  const choice = await vscode.window.showWarningMessage(title, { modal: true, detail: `${shown.join('\n')}\n\n${runs.length === 1 ? 'Its raw profiles are' : 'Their raw profiles are'} deleted from disk. Open flame panels keep what they show.` }, 'Delete');
  return choice === 'Delete';
}

async function remove(services: Services, runs: RunEntry[]): Promise<string[]> {
  try {
    const removed = await services.runs.delete(runs.map((r) => r.dir));
    services.output.appendLine(`Deleted ${removed.length} profile run(s): ${removed.map((d) => path.basename(d)).join(', ')}`);
    return removed;
  } catch (err) {
    void vscode.window.showErrorMessage(`Hotpath: could not delete the run(s): ${errorMessage(err)}`);
    return [];
  }
}

async function deleteRuns(services: Services, tree: RunsTree, arg: unknown, selected: unknown): Promise<string[]> {
  const runs = await pickRuns(tree, arg, selected, true);
  if (!runs.length) return [];
  const confirmed = typeof arg === 'object' && arg !== null && (arg as DeleteRunsArgs).confirmed === true;
  const title = runs.length === 1 ? `Delete the profile run "${runs[0].label}"?` : `Delete ${runs.length} profile runs?`;
  if (!confirmed && !(await confirmDelete(runs, title))) return [];
  return remove(services, runs);
}

/** Every run of the view (title bar), or of one store (its group's menu). */
async function deleteAll(services: Services, tree: RunsTree, arg: unknown): Promise<string[]> {
  const group = groupOf(tree, arg);
  if (typeof arg === 'object' && arg !== null && (arg as RunsNode).kind === 'group' && !group) return [];
  const runs = group ? group.children.filter((c): c is RunEntry => c.kind === 'run') : tree.runs();
  if (!runs.length) {
    void vscode.window.showInformationMessage('Hotpath: there are no stored profile runs to delete.');
    return [];
  }
  const confirmed = typeof arg === 'object' && arg !== null && (arg as DeleteRunsArgs).confirmed === true;
  const stores = [...new Set(runs.map((r) => r.store?.label).filter(Boolean))];
  const title = group ? `Delete all ${runs.length} profile runs in "${group.label}" (${group.store.dir})?`
    : `Delete all ${runs.length} profile runs of this workspace${stores.length > 1 ? ` (${stores.join(' and ')})` : ''}?`;
  if (!confirmed && !(await confirmDelete(runs, title))) return [];
  return remove(services, runs);
}

/** The OS file manager where it can see the folder; in a remote window, the path to copy instead. */
async function revealFolder(dir: string): Promise<void> {
  if (!vscode.env.remoteName) {
    await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(dir));
    return;
  }
  const copy = 'Copy Path';
  if ((await vscode.window.showInformationMessage(`Hotpath: the run's profiles are in ${dir} (on the remote machine).`, copy)) === copy) await vscode.env.clipboard.writeText(dir);
}
