// Shared by the integration tests (bundled into each *.test.js; not a test entry itself).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'hotpath.hotpath';

/** What hotpath.profile / hotpath.openProfile resolve to (the agreed automation contract). */
export interface CommandResult {
  panelId: string;
  processes: number;
  topFunctions: { name: string; file: string; line: number; selfMs: number; totalMs: number }[];
}

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is loaded (extensionDevelopmentPath)`);
  return ext;
}

/** The fresh copy of test/fixtures/workspace-simple the harness opened. */
export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri.fsPath;
}

/** 1-based line of the first line of `file` that contains `text`. */
export function lineOf(file: string, text: string): number {
  const index = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(index >= 0, `${text} occurs in ${file}`);
  return index + 1;
}

/** Live processes whose command line contains `marker` (Linux /proc). */
export function processesWith(marker: string): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(path.join('/proc', entry, 'cmdline'), 'utf8').split('\0').join(' ').trim();
      const state = /^State:\s+(\w)/m.exec(fs.readFileSync(path.join('/proc', entry, 'status'), 'utf8'))?.[1];
      if (cmdline.includes(marker) && state !== 'Z') found.push({ pid: Number(entry), cmdline });
    } catch {
      // exited while we looked
    }
  }
  return found;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function describeTop(result: CommandResult | undefined): string {
  return JSON.stringify(result?.topFunctions?.slice(0, 5) ?? result);
}

/**
 * Saves `doc` until the file on disk holds its text. Right after an edit, and on a loaded
 * machine, `TextDocument.save()` can resolve false (the extension host does not know yet that
 * the document is dirty, or the save is redone); tests assert on the disk, not on that flag.
 */
export async function saveToDisk(doc: vscode.TextDocument, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  const onDisk = () => { try { return fs.readFileSync(doc.uri.fsPath, 'utf8'); } catch { return undefined; } };
  while (onDisk() !== doc.getText()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms saving ${doc.uri.fsPath} (dirty: ${doc.isDirty})`);
    if (doc.isDirty) await doc.save();
    await new Promise((r) => setTimeout(r, 100));
  }
}
