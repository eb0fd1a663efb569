// Loads the refactor engine (dist/engines/refactor.js, which bundles the TypeScript parser) on
// first use, never at activation.
import * as path from 'path';
import * as vscode from 'vscode';
import type * as RefactorEngine from '../../core/refactor';

export type Engine = typeof RefactorEngine;

/** Loads once per provider: the instance keeps it, no module-level state. */
export class EngineLoader {
  private engine: Engine | undefined;

  get(): Engine {
    // A computed path keeps esbuild from bundling the engine into the extension.
    this.engine ??= require(path.join(__dirname, 'engines', 'refactor.js')) as Engine;
    return this.engine;
  }
}

/** The smallest single edit that turns `before` into `after` (readable in the refactor preview). */
export function minimalEdit(doc: vscode.TextDocument, before: string, after: string): vscode.TextEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) { endB--; endA--; }
  return vscode.TextEdit.replace(new vscode.Range(doc.positionAt(start), doc.positionAt(endB)), after.slice(start, endA));
}
