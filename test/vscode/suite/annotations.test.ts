// Editor annotations of the current profile, read back through the VS Code API after profiling
// `node main.js`: the hotspot diagnostic, the CodeLens above computePrimes, and
// "Hotpath: Toggle Annotations" (it hides lenses, hovers and heat; the diagnostics stay).
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { describeTop, extension, lineOf, waitFor, workspaceDir, type CommandResult } from './lib/helpers';

/** Like helpers' waitFor, for probes that must await (executeCommand). */
async function waitForAsync<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Hotpath's lens titles: "$(flame) 800 ms self (99% of CPU) · 810 ms total · 790 samples", or
// "... total ... in what it calls · no samples of its own" for callers only.
const isHotpathLens = (lens: vscode.CodeLens) => lens.command?.command === 'hotpath.revealFrame';

async function lenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  // The second argument asks VS Code to resolve that many lenses (Hotpath's come resolved).
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
}

async function hotpathHover(uri: vscode.Uri, line: number): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line - 1, 10))) ?? [];
  return hovers
    .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
    .filter((text) => text.includes('**Hotpath**'))
    .join('\n');
}

function hotspotDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.code === 'hotpath.hotspot');
}

function describeDiagnostics(uri: vscode.Uri): string {
  return JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => ({ line: d.range.start.line + 1, code: d.code, message: d.message })));
}

function describeLenses(list: vscode.CodeLens[]): string {
  return JSON.stringify(list.map((l) => [l.range.start.line + 1, l.command?.command, l.command?.title]));
}

describe('annotations', () => {
  let file: string;
  let uri: vscode.Uri;
  let line: number; // 1-based line of `function computePrimes(`

  before(async () => {
    const cwd = workspaceDir();
    file = path.join(cwd, 'main.js');
    uri = vscode.Uri.file(file);
    line = lineOf(file, 'function computePrimes(');
    // Annotations start on (the default setting); an earlier suite's toggle leaves them on too.
    const result = await vscode.commands.executeCommand<CommandResult>('hotpath.profile', { command: 'node main.js', cwd });
    assert.ok(result?.topFunctions.some((f) => f.name === 'computePrimes'), `profiled main.js: ${describeTop(result)}`);
    await vscode.window.showTextDocument(uri);
  });

  // A failure halfway through the toggle test must not leave annotations off for later suites.
  after(async () => {
    const services = extension().exports as { annotations?: { enabled: boolean } } | undefined;
    if (services?.annotations && !services.annotations.enabled) await vscode.commands.executeCommand('hotpath.toggleAnnotations');
  });

  it('puts an Information hotspot diagnostic on computePrimes naming it and its share of CPU', async () => {
    const diagnostic = await waitFor('a hotpath.hotspot diagnostic on computePrimes', () => hotspotDiagnostics(uri).find((d) => d.range.start.line + 1 === line))
      .catch((err: Error) => { throw new Error(`${err.message}; diagnostics on main.js: ${describeDiagnostics(uri)}`); });
    assert.match(diagnostic.message, /^Hotpath: \d+(\.\d+)?% of CPU time \([\d.]+ (ms|s) self\) in computePrimes$/);
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Information);
    assert.strictEqual(diagnostic.source, 'hotpath');
  });

  it('shows a CodeLens with computePrimes\' self time above its line', async () => {
    const lens = await waitForAsync('a Hotpath CodeLens on computePrimes', async () => (await lenses(uri)).find((l) => isHotpathLens(l) && l.range.start.line + 1 === line));
    const title = lens.command?.title ?? '';
    assert.match(title, /[\d.]+ (ms|s) self \(\d+(\.\d+)?% of CPU\)/, title);
    assert.deepStrictEqual(lens.command?.arguments, [file, line], 'the lens reveals computePrimes in the flame graph');
  });

  it('Toggle Annotations hides the lenses and hover (the diagnostics stay), toggling again brings them back', async () => {
    assert.ok((await hotpathHover(uri, line)).includes('computePrimes'), 'a Hotpath hover on computePrimes before toggling');
    const diagnosticsBefore = hotspotDiagnostics(uri).map((d) => d.message);
    assert.ok(diagnosticsBefore.length > 0, 'hotspot diagnostics before toggling');

    assert.strictEqual(await vscode.commands.executeCommand('hotpath.toggleAnnotations'), false, 'toggled off');
    await waitForAsync('no Hotpath CodeLens after toggling off', async () => !(await lenses(uri)).some(isHotpathLens))
      .catch(async (err: Error) => { throw new Error(`${err.message}; lenses: ${describeLenses(await lenses(uri))}`); });
    assert.strictEqual(await hotpathHover(uri, line), '', 'no Hotpath hover while annotations are off');
    // Toggle Annotations controls lenses, hovers and heat only: hotspot diagnostics are governed by
    // hotpath.diagnostics.enabled and remain in the Problems view.
    assert.deepStrictEqual(hotspotDiagnostics(uri).map((d) => d.message), diagnosticsBefore, 'diagnostics are not affected by the toggle');

    assert.strictEqual(await vscode.commands.executeCommand('hotpath.toggleAnnotations'), true, 'toggled back on');
    const lens = await waitForAsync('the computePrimes CodeLens back after toggling on', async () => (await lenses(uri)).find((l) => isHotpathLens(l) && l.range.start.line + 1 === line));
    assert.match(lens.command?.title ?? '', / self /);
    assert.ok((await hotpathHover(uri, line)).includes('computePrimes'), 'the Hotpath hover is back');
    assert.deepStrictEqual(hotspotDiagnostics(uri).map((d) => d.message), diagnosticsBefore);
  });
});
