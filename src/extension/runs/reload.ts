// Loads a profile again from where it came from: a stored run folder or a profile file.
import * as path from 'path';
import * as vscode from 'vscode';
import { runTitle } from '../profile/commandLine';
import type { RunStore } from './runStore';
import { fromFile, fromRun, type LoadedProfile, type ProfileRef } from './profileSource';

export async function reload(runs: RunStore, ref: ProfileRef, title: string, root: string): Promise<LoadedProfile> {
  if (ref.kind === 'file') return fromFile(ref.file, root);
  const { record, result } = runs.read(ref.dir);
  return fromRun(result, ref.dir, record.cwd || root, title || runTitle(record.command, new Date(record.startedAt)));
}

/** The folder a profile file's paths are relative to: its workspace folder, else its own folder. */
export function rootFor(file: string): string {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file)) ?? vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.fsPath ?? path.dirname(file);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
