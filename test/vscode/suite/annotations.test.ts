// Editor annotations of the current profile, read back through the VS Code API after profiling
// `node main.js`: the hotspot diagnostic, the CodeLens above computePrimes, and
// "Hotpath: Toggle Annotations" (it hides lenses, hovers and heat; the diagnostics stay).
import * as assert from 'assert';
import * as fs from 'fs';
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

// Hotpath's lens titles: "$(flame) 800 ms self (98.8% of sampled time) · 810 ms total · 790 self samples", or
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
    // The annotation's hover (the fixes' "not offered here" hover is not an annotation).
    .filter((text) => text.includes('**Hotpath** (last profile)'))
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

  it('puts an Information hotspot diagnostic on computePrimes naming it and its share of sampled time', async () => {
    const diagnostic = await waitFor('a hotpath.hotspot diagnostic on computePrimes', () => hotspotDiagnostics(uri).find((d) => d.range.start.line + 1 === line))
      .catch((err: Error) => { throw new Error(`${err.message}; diagnostics on main.js: ${describeDiagnostics(uri)}`); });
    assert.match(diagnostic.message, /^Hotpath: \d+\.\d% of sampled time \([\d.]+ (ms|s) self\) in computePrimes$/);
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Information);
    assert.strictEqual(diagnostic.source, 'hotpath');
  });

  it('shows a CodeLens with computePrimes\' self time above its line', async () => {
    const lens = await waitForAsync('a Hotpath CodeLens on computePrimes', async () => (await lenses(uri)).find((l) => isHotpathLens(l) && l.range.start.line + 1 === line));
    const title = lens.command?.title ?? '';
    assert.match(title, /[\d.]+ (ms|s) self \(\d+\.\d% of sampled time\) · .* · \d+ self samples?$/, title);
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


  // Issue 14 item 2: after the lazy-load insert the buildIndex lens sat inside checkConfig.
  it('lenses follow an edit above them and leave a line whose code changed; undone, all back, nothing stale', async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    const hotLens = async () => (await lenses(uri)).filter(isHotpathLens);
    const before = await waitForAsync('Hotpath lenses on main.js', async () => { const l = await hotLens(); return l.length ? l : undefined; });
    assert.ok(before.some((l) => l.range.start.line + 1 === line), describeLenses(before));
    try {
      // Four lines at the top, as a lazy-load fix inserts its loader.
      const insert = new vscode.WorkspaceEdit();
      insert.insert(uri, new vscode.Position(0, 0), '// 1\n// 2\n// 3\n// 4\n');
      assert.ok(await vscode.workspace.applyEdit(insert));
      const moved = await waitForAsync('the lenses four lines lower', async () => {
        const l = await hotLens();
        return l.length === before.length && l.every((x, i) => x.range.start.line === before[i].range.start.line + 4) ? l : undefined;
      }).catch(async (err: Error) => { throw new Error(`${err.message}; before ${describeLenses(before)}, now ${describeLenses(await hotLens())}`); });
      assert.ok(moved.some((l) => l.range.start.line + 1 === line + 4 && doc.lineAt(l.range.start.line).text.includes('function computePrimes(')));
      // Renaming computePrimes changes its line: its lens goes, the others stay.
      const at = line + 3;
      const col = doc.lineAt(at).text.indexOf('computePrimes');
      const rename = new vscode.WorkspaceEdit();
      rename.replace(uri, new vscode.Range(at, col, at, col + 'computePrimes'.length), 'computePrimesRenamed');
      assert.ok(await vscode.workspace.applyEdit(rename));
      await waitForAsync('no lens on the renamed line', async () => {
        const l = await hotLens();
        return l.length === before.length - 1 && !l.some((x) => x.range.start.line === at);
      }).catch(async (err: Error) => { throw new Error(`${err.message}; now ${describeLenses(await hotLens())}`); });
      // Both edits taken back (the name, then the four lines): the text is the one that ran
      // again, so every lens stands on its profiled line, the renamed line's too.
      const back = new vscode.WorkspaceEdit();
      back.replace(uri, new vscode.Range(at, col, at, col + 'computePrimesRenamed'.length), 'computePrimes');
      assert.ok(await vscode.workspace.applyEdit(back));
      const unInsert = new vscode.WorkspaceEdit();
      unInsert.delete(uri, new vscode.Range(0, 0, 4, 0));
      assert.ok(await vscode.workspace.applyEdit(unInsert));
      await waitForAsync('the lenses back on their profiled lines', async () => {
        const l = await hotLens();
        return describeLenses(l) === describeLenses(before);
      }).catch(async (err: Error) => { throw new Error(`${err.message}; before ${describeLenses(before)}, now ${describeLenses(await hotLens())}`); });
    } finally {
      // The text is the file's again: revert only clears the dirty state.
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  // Issue 14: after `workbench.action.files.revert` of an edited file the lenses must stand on
  // the lines they were profiled on (the file is what ran again), none stale, none lost.
  it('a reverted file gets its lenses back on their profiled lines', async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const hotLens = async () => (await lenses(uri)).filter(isHotpathLens);
    // The file is as profiled (the test above reverted it too): computePrimes has its lens.
    const before = await waitForAsync('the computePrimes lens on main.js', async () => { const l = await hotLens(); return l.some((x) => x.range.start.line + 1 === line) ? l : undefined; })
      .catch(async (err: Error) => { throw new Error(`${err.message}; now ${describeLenses(await hotLens())}`); });
    // A revert needs unsaved edits: no auto-save while this runs (whatever the defaults are).
    const files = vscode.workspace.getConfiguration('files');
    const autoSave = files.inspect('autoSave')?.globalValue;
    await files.update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    const onDisk = fs.readFileSync(file, 'utf8');
    try {
      // Lines inserted above, then the computePrimes line itself edited: its lens goes.
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(0, 0), '// a\n// b\n// c\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const at = line - 1 + 3;
      const col = doc.lineAt(at).text.indexOf('computePrimes');
      const rename = new vscode.WorkspaceEdit();
      rename.replace(uri, new vscode.Range(at, col, at, col + 'computePrimes'.length), 'computeSomething');
      assert.ok(await vscode.workspace.applyEdit(rename));
      await waitForAsync('the edited line without its lens', async () => { const l = await hotLens(); return l.length === before.length - 1 && !l.some((x) => x.range.start.line === at); })
        .catch(async (err: Error) => { throw new Error(`${err.message}; now ${describeLenses(await hotLens())}`); });
      // The revert acts on the active editor.
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await waitFor('the document to be the file again', () => !doc.isDirty && doc.lineAt(line - 1).text.includes('function computePrimes('), 20_000)
        .catch((err: Error) => { throw new Error(`${err.message}: dirty ${doc.isDirty}, closed ${doc.isClosed}, active ${vscode.window.activeTextEditor?.document === doc}, line ${line}: ${JSON.stringify(doc.lineAt(line - 1).text)}; top: ${JSON.stringify(doc.getText().slice(0, 40))}; on disk: ${JSON.stringify(fs.readFileSync(file, 'utf8').slice(0, 40))}; files.autoSave was ${JSON.stringify(files.inspect('autoSave'))}`); });
      await waitForAsync('every lens back on its profiled line', async () => {
        const l = await hotLens();
        return describeLenses(l) === describeLenses(before);
      }).catch(async (err: Error) => { throw new Error(`${err.message}; before ${describeLenses(before)}, after revert ${describeLenses(await hotLens())}`); });
    } finally {
      if (fs.readFileSync(file, 'utf8') !== onDisk) fs.writeFileSync(file, onDisk);
      if (doc.isDirty || doc.getText() !== onDisk) {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
      await files.update('autoSave', autoSave, vscode.ConfigurationTarget.Global);
    }
  });
});
