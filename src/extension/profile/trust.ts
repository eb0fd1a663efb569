// Workspace trust: profiling executes workspace code, so in an untrusted folder the user is
// told why nothing runs and offered the trust editor. Reading profile files needs no trust.
import * as vscode from 'vscode';

export function explainUntrusted(action: string): undefined {
  const manage = 'Manage Workspace Trust';
  // Not awaited: the command resolves at once (automation must never wait on a notification).
  void vscode.window
    .showWarningMessage(`Hotpath cannot ${action} in an untrusted workspace: profiling executes the workspace's code. Opening existing profiles still works.`, manage)
    .then((choice) => choice === manage && vscode.commands.executeCommand('workbench.trust.manage'));
  return undefined;
}

const APPROVED_KEY = 'hotpath.approvedStoredCommands';

export interface StoredCommand {
  command: string;
  cwd: string;
  /** Where it was read from, e.g. ".hotpath/runs/<id>/run.json" or ".vscode/settings.json (hotpath.bench.buildCommand)". */
  source: string;
  /** What runs it, e.g. "Profile Again". */
  action: string;
}

/**
 * A command read from a file in the workspace (a run's run.json in .hotpath/runs, a workspace
 * setting) is data a repository can carry, not something the user typed: show it and ask (modal)
 * before running it. A command approved for a folder is remembered in the workspace state (outside
 * the repository), so the same command in the same folder is asked about once. Callers refuse
 * untrusted workspaces before this.
 */
export async function confirmStoredCommand(memento: vscode.Memento, c: StoredCommand): Promise<boolean> {
  const key = `${c.cwd}\0${c.command}`;
  const approved = memento.get<string[]>(APPROVED_KEY, []);
  if (approved.includes(key)) return true;
  const run = 'Run';
  const choice = await vscode.window.showWarningMessage(`Run a command stored in the workspace? (${c.action})`, {
    modal: true,
    detail: `${c.action} runs this command, read from ${c.source}:\n\n${c.command}\n\nin ${c.cwd}\n\nFiles in the workspace can come with the repository, so Hotpath asks before running a command it did not get from you. Run it only if you recognise it.`,
  }, run);
  if (choice !== run) return false;
  await memento.update(APPROVED_KEY, [...approved.filter((k) => k !== key), key].slice(-100));
  return true;
}
