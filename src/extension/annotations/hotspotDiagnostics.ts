// The current profile's top hotspots in the workspace's code as Information diagnostics. Code
// actions (lazy-loading, memoization...) attach to the `hotpath.hotspot` code.
import * as fs from 'fs';
import * as vscode from 'vscode';
import { Diagnostics, Settings } from '../contributions';
import { hottestWorkspaceFunctions } from '../runs/profileSource';
import { setting, type Services } from '../services';
import { diagnosticMessage } from './format';

const MIN_SHARE = 0.01;

export class HotspotDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(Diagnostics.collection);

  constructor(private readonly services: Services) {}

  async refresh(): Promise<void> {
    const profile = this.services.runs.current;
    this.collection.clear();
    if (!profile || !(setting<boolean>(Settings.diagnosticsEnabled) ?? true)) return;
    const top = Math.max(1, setting<number>(Settings.diagnosticsTop) ?? 5);
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const fn of hottestWorkspaceFunctions(profile, top)) {
      // A problem entry for a sliver of the run is noise, not a hotspot.
      if (profile.sampledMs > 0 && fn.selfMs / profile.sampledMs < MIN_SHARE) continue;
      const range = await lineRange(fn.path, fn.line);
      if (!range) continue;
      const diagnostic = new vscode.Diagnostic(range, diagnosticMessage(fn.name, fn.selfMs, profile.sampledMs), vscode.DiagnosticSeverity.Information);
      diagnostic.code = Diagnostics.hotspotCode;
      diagnostic.source = 'hotpath';
      byFile.set(fn.path, [...(byFile.get(fn.path) ?? []), diagnostic]);
    }
    // The profile may have changed while files were read; only the latest one may publish.
    if (profile !== this.services.runs.current) return;
    for (const [file, diagnostics] of byFile) this.collection.set(vscode.Uri.file(file), diagnostics);
  }

  dispose(): void {
    this.collection.dispose();
  }
}

/** The line's text range without its indentation; undefined when the file or line is gone. */
async function lineRange(file: string, line: number): Promise<vscode.Range | undefined> {
  const text = await fs.promises.readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const lines = text.split(/\r?\n/);
  if (line < 1 || line > lines.length) return undefined;
  const content = lines[line - 1];
  const start = content.length - content.trimStart().length;
  return new vscode.Range(line - 1, start, line - 1, Math.max(start, content.trimEnd().length));
}
