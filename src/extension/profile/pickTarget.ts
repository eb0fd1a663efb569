// The quick pick of "Hotpath: Profile…": the current file, npm test and scripts of every
// workspace folder, recent custom command lines, and a custom command line.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { commandLineProblem } from './commandLine';
import { fileChoice, hasDependency, scriptChoices, type FileChoiceResult, type FolderInfo, type TargetChoice } from './targets';

const RECENT_KEY = 'hotpath.recentCommands';
const MAX_RECENT = 5;

export interface Target {
  command: string;
  cwd: string;
}

type Item = vscode.QuickPickItem & { choice?: TargetChoice; reason?: string };

/** `options` titles the pick for other commands that run a target (Benchmark…, Compare…). */
export async function pickTarget(state: vscode.Memento, options: { title?: string; placeHolder?: string } = {}): Promise<Target | undefined> {
  const folders = await Promise.all((vscode.workspace.workspaceFolders ?? []).map(readFolder));
  const defaultCwd = activeFolder()?.uri.fsPath ?? folders[0]?.path;
  const items: Item[] = [];
  const editor = vscode.window.activeTextEditor;
  if (editor?.document.uri.scheme === 'file' && !editor.document.isUntitled) {
    const file = editor.document.uri.fsPath;
    const result = choiceForFile(editor.document.uri, folders);
    if ('choice' in result) items.push(toItem(result.choice));
    else items.push({ label: `$(warning) ${path.basename(file)}`, description: 'current file', detail: result.reason, reason: result.reason });
  }
  const scripts = folders.flatMap((f) => scriptChoices(f, folders.length > 1));
  if (scripts.length) items.push({ label: 'npm scripts', kind: vscode.QuickPickItemKind.Separator }, ...scripts.map(toItem));
  const recent = defaultCwd ? state.get<string[]>(RECENT_KEY, []) : [];
  if (recent.length) {
    items.push({ label: 'recent', kind: vscode.QuickPickItemKind.Separator });
    items.push(...recent.map((command) => ({ label: `$(history) ${command}`, choice: { kind: 'recent' as const, label: command, command, cwd: defaultCwd! } })));
  }
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: '$(terminal) Custom command line…', description: 'any command that starts Node.js', choice: { kind: 'custom', label: 'custom', command: '', cwd: defaultCwd ?? '' } });

  const picked = await vscode.window.showQuickPick(items, { title: options.title ?? 'Hotpath: Profile…', placeHolder: options.placeHolder ?? 'What should Hotpath run and profile?', matchOnDescription: true });
  if (!picked) return undefined;
  if (picked.reason) {
    void vscode.window.showWarningMessage(`Hotpath: ${picked.reason}`);
    return undefined;
  }
  const choice = picked.choice!;
  if (choice.kind !== 'custom') return { command: choice.command, cwd: choice.cwd };
  if (!choice.cwd) {
    void vscode.window.showWarningMessage('Hotpath: open a folder first; the command runs in the workspace folder.');
    return undefined;
  }
  const command = await vscode.window.showInputBox({
    title: 'Hotpath: command line to profile',
    prompt: `Runs in ${choice.cwd}. Every Node.js process it starts is profiled.`,
    value: recent[0] ?? '',
    placeHolder: 'node server.js --port 3000',
    validateInput: (text) => commandLineProblem(text),
  });
  if (!command) return undefined;
  await state.update(RECENT_KEY, [command, ...recent.filter((c) => c !== command)].slice(0, MAX_RECENT));
  return { command, cwd: choice.cwd };
}

/** The editor's "Profile this file" button: how to run `uri`, or undefined after saying why not. */
export async function targetForFile(uri: vscode.Uri): Promise<Target | undefined> {
  const folders = await Promise.all((vscode.workspace.workspaceFolders ?? []).map(readFolder));
  const result = choiceForFile(uri, folders);
  if ('choice' in result) return { command: result.choice.command, cwd: result.choice.cwd };
  void vscode.window.showWarningMessage(`Hotpath: ${result.reason}`);
  return undefined;
}

function choiceForFile(uri: vscode.Uri, folders: FolderInfo[]): FileChoiceResult {
  const file = uri.fsPath;
  const folder = folders.find((f) => f.path === vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath);
  const cwd = folder?.path ?? path.dirname(file);
  const hasTsx = hasDependency(folder?.packageJson, 'tsx') || fs.existsSync(path.join(cwd, 'node_modules', '.bin', 'tsx'));
  return fileChoice(file, cwd, hasTsx);
}

// TargetChoice.kind is ours; QuickPickItem.kind means separator-or-not, so copy fields by name.
function toItem(choice: TargetChoice): Item {
  return { label: choice.label, description: choice.description, detail: choice.detail, choice };
}

async function readFolder(folder: vscode.WorkspaceFolder): Promise<FolderInfo> {
  const packageJson = await fs.promises.readFile(path.join(folder.uri.fsPath, 'package.json'), 'utf8').catch(() => undefined);
  return { name: folder.name, path: folder.uri.fsPath, packageJson };
}

function activeFolder(): vscode.WorkspaceFolder | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
}
