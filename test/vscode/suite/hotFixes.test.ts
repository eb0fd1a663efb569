// The hot-code fixes as code actions in a real extension host, on test/fixtures/hot-fixes (one
// safe and one unsafe candidate per kind): the safe action is offered with its kind
// (refactor.rewrite.hotpath.hoist|pool|memoize), its resolved edits turn the file into
// expected/<file>, and the edited file still runs under node with the same output. The unsafe one
// is never offered as applicable, and the provider lists it disabled with its reason.
//
// vscode.executeCodeActionProvider returns only valid (enabled) actions (VS Code 1.139 filters
// disabled ones out), so the disabled check asks a FixesProvider built from the extension's own
// code, engine bundle and live run store (the current profile) what it gives VS Code.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { EngineLoader, type Engine } from '../../../src/extension/fixes/engine';
import { FixesProvider } from '../../../src/extension/fixes/fixesProvider';
import type { RunStore } from '../../../src/extension/runs/runStore';
import { describeTop, extension, lineOf, saveToDisk, workspaceDir, type CommandResult } from './lib/helpers';

const fixtureDir = () => path.join(process.env.HOTPATH_TEST_FIXTURES ?? '', 'hot-fixes');

/** The engine bundle the extension itself loads (dist/engines/refactor.js of the extension). */
class ExtensionEngine extends EngineLoader {
  private loaded: Engine | undefined;
  override get(): Engine {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.loaded ??= require(path.join(extension().extensionPath, 'dist', 'engines', 'refactor.js')) as Engine;
    return this.loaded;
  }
}

interface Case {
  file: string;
  kind: string;
  /** Title start of the safe fix, and the text on its line. */
  safeTitle: string;
  safeLine: string;
  unsafeTitle: string;
  unsafeLine: string;
  unsafeReason: RegExp;
}

const CASES: Case[] = [
  {
    file: 'hoist.js', kind: 'refactor.rewrite.hotpath.hoist',
    safeTitle: "Hoist the regex 're' to module level", safeLine: 'const re = /^[a-z]+$/i;',
    unsafeTitle: "Hoist the regex 're' to module level", unsafeLine: 'const re = /o/g;',
    unsafeReason: /^the regex has the 'g' flag: it keeps lastIndex state between uses/,
  },
  {
    file: 'pool.js', kind: 'refactor.rewrite.hotpath.pool',
    safeTitle: "Reuse one 'p' object across loop passes", safeLine: 'const p = { x: xs[i], y: xs[i] * 2 };',
    unsafeTitle: "Reuse one 'q' object across loop passes", unsafeLine: 'const q = { x: xs[i] };',
    unsafeReason: /^'q' is passed to all\.push\(\) \(line \d+\), which could keep or change it$/,
  },
  {
    file: 'memoize.js', kind: 'refactor.rewrite.hotpath.memoize',
    safeTitle: 'Memoize digitSum()', safeLine: 'function digitSum(n) {',
    unsafeTitle: 'Memoize tally()', unsafeLine: 'function tally(n) {',
    unsafeReason: /^it assigns to 'total', which is not local \(line \d+\)$/,
  },
];

function runNode(file: string): string {
  return execFileSync('node', [path.basename(file)], { cwd: path.dirname(file), encoding: 'utf8', timeout: 60_000 });
}

async function actionsAt(uri: vscode.Uri, line: number): Promise<vscode.CodeAction[]> {
  // 100: resolve every action's edits (resolveCodeAction computes them).
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(line - 1, 0, line - 1, 0), undefined, 100)) ?? [];
}

const titles = (actions: readonly vscode.CodeAction[]) => actions.map((a) => `${a.title} [${a.kind?.value}]${a.disabled ? ' (disabled)' : ''}`).join(' | ');

describe('fixes: hot-code code actions (hoist, pool, memoize)', function () {
  this.timeout(120_000);
  let dir: string;
  let provider: FixesProvider;

  before(async () => {
    dir = path.join(workspaceDir(), 'hot-fixes');
    fs.mkdirSync(dir, { recursive: true });
    for (const f of ['package.json', ...CASES.map((c) => c.file)]) fs.copyFileSync(path.join(fixtureDir(), f), path.join(dir, f));
    if (!extension().isActive) await extension().activate();
    // Unsafe memoize candidates are listed only where the current profile measured the function
    // as hot: profile memoize.js, whose tally() takes most of the CPU time.
    const result = await vscode.commands.executeCommand<CommandResult>('hotpath.profile', { command: 'node memoize.js', cwd: dir });
    assert.ok(result?.topFunctions.some((f) => f.name === 'tally'), `profiled memoize.js: ${describeTop(result)}`);
    const runs = (extension().exports as { runs: RunStore }).runs;
    provider = new FixesProvider(new ExtensionEngine(), runs);
  });

  after(() => provider?.dispose());

  for (const c of CASES) {
    describe(c.file, () => {
      let file: string;
      let uri: vscode.Uri;
      let originalOutput: string;

      before(async () => {
        file = path.join(dir, c.file);
        uri = vscode.Uri.file(file);
        originalOutput = runNode(file);
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      });

      it('lists the unsafe candidate disabled with its reason, and never offers it as applicable', async () => {
        const line = lineOf(file, c.unsafeLine);
        // Only fixes on the requested line (or attached to its diagnostics) come back.
        const offered = (await actionsAt(uri, line)).filter((a) => a.title.startsWith(c.unsafeTitle));
        assert.strictEqual(offered.length, 0, `offered as applicable: ${titles(offered)}`);
        const doc = await vscode.workspace.openTextDocument(uri);
        const range = new vscode.Range(line - 1, 0, line - 1, 0);
        const diagnostics = vscode.languages.getDiagnostics(uri).filter((d) => d.range.contains(range.start));
        const listed = provider.provideCodeActions(doc, range, { diagnostics, only: undefined, triggerKind: vscode.CodeActionTriggerKind.Invoke });
        const unsafe = listed.find((a) => a.title.startsWith(c.unsafeTitle) && a.fix.line === line);
        assert.ok(unsafe, `the unsafe candidate at line ${line} is listed: ${titles(listed)}`);
        assert.ok(unsafe.disabled, 'it is disabled');
        assert.match(unsafe.disabled.reason, c.unsafeReason);
        // In a function the profile marks hot, the action is the quick fix of its hotspot diagnostic.
        assert.strictEqual(unsafe.kind?.value, unsafe.diagnostics?.length ? 'quickfix' : c.kind);
        assert.strictEqual(unsafe.isPreferred, false);
      });

      it('offers the safe candidate; applying it gives the expected file, which runs with the same output', async () => {
        const line = lineOf(file, c.safeLine);
        const actions = await actionsAt(uri, line);
        const safe = actions.find((a) => a.title.startsWith(c.safeTitle));
        assert.ok(safe, `actions at line ${line}: ${titles(actions)}`);
        assert.ok(!safe.disabled);
        // In a function the profile measured as hot, the action is the quick fix of the hotspot
        // diagnostic on its line (digitSum() is rarely sampled, but can be).
        if (safe.kind?.value === 'quickfix') {
          const hotspots = vscode.languages.getDiagnostics(uri).filter((d) => d.code === 'hotpath.hotspot' && d.range.start.line === line - 1);
          assert.ok(hotspots.length, `quickfix without a hotspot diagnostic on line ${line}: ${titles([safe])}`);
        }
        else assert.strictEqual(safe.kind?.value, c.kind);
        // memoize pays only for repeated arguments: never preferred.
        assert.strictEqual(safe.isPreferred, c.file !== 'memoize.js');
        assert.ok(safe.edit, 'edits resolved');
        const edits = safe.edit.get(uri);
        assert.ok(edits.length >= 1);
        // The provider's edit asks for the refactor preview; apply the same edits directly.
        const plain = new vscode.WorkspaceEdit();
        plain.set(uri, edits);
        assert.ok(await vscode.workspace.applyEdit(plain));
        const doc = await vscode.workspace.openTextDocument(uri);
        assert.strictEqual(doc.getText(), fs.readFileSync(path.join(fixtureDir(), 'expected', c.file), 'utf8'));
        await saveToDisk(doc);
        assert.strictEqual(runNode(file), originalOutput, 'same output after the fix');
        // The unsafe candidate stayed as it was.
        assert.ok(doc.getText().includes(c.unsafeLine));
      });
    });
  }
});
