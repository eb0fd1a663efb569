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
