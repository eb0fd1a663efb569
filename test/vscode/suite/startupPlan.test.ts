// "Hotpath: Apply Startup Plan…" in a real extension host, on test/fixtures/startup-plan: the
// startup command is profiled for a plan through Profile… (imports + coverage), the plan is
// applied through the automation argument (no pickers, no refactor preview) behind a checkpoint,
// the module it plans out of startup is gone from a real run, every command prints what it did,
// and the before/after comparison reports the measured change next to the prediction.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { loadCheckpoint } from '../../../src/core/checkpoint';
import { extension, workspaceDir } from './lib/helpers';

interface StartupPlanResult {
  leaving: number; edits: number; files: string[]; predictedMs: number; predictedShare: number | null;
  checkpoint?: { id: string; store: string; root: string };
  comparison?: { verdict: string; ratio: number; measuredShare: number; message?: string };
}

const fixtureDir = () => path.join(process.env.HOTPATH_TEST_FIXTURES ?? '', 'startup-plan');
const node = (dir: string, args: string[]) => execFileSync('node', ['cli.js', ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });

describe('fixes: Apply Startup Plan…', function () {
  this.timeout(300_000);
  let dir: string;

  before(async () => {
    dir = path.join(workspaceDir(), 'startup-plan');
    fs.cpSync(fixtureDir(), dir, { recursive: true });
    if (!extension().isActive) await extension().activate();
  });

  it('is contributed with its title', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes('hotpath.fixes.applyStartupPlan'));
    const titles = extension().packageJSON.contributes.commands as { command: string; title: string }[];
    assert.strictEqual(titles.find((c) => c.command === 'hotpath.fixes.applyStartupPlan')?.title, 'Apply Startup Plan…');
  });

  it('profiles the startup for a plan, applies it behind a checkpoint, and measures before/after', async () => {
    const outputs = ['greet', 'build', 'lint'].map((c) => node(dir, [c]));
    const profiled = await vscode.commands.executeCommand('hotpath.profile', { command: 'node cli.js greet', cwd: dir, capture: { cpu: false, heap: false, imports: true, coverage: true } });
    assert.ok(profiled, 'the profile command recorded the run');
    const r = await vscode.commands.executeCommand<StartupPlanResult>('hotpath.fixes.applyStartupPlan', { preview: false, measureRuns: 3 });
    assert.ok(r, 'a result');
    assert.strictEqual(r.leaving, 2, JSON.stringify(r));
    assert.strictEqual(r.edits, 1);
    assert.deepStrictEqual(r.files, [path.join(dir, 'cli.js')]);
    assert.ok(r.predictedMs > 0 && r.predictedShare !== null && r.predictedShare > 0 && r.predictedShare < 1, JSON.stringify(r));
    assert.match(fs.readFileSync(path.join(dir, 'cli.js'), 'utf8'), /function _load_lib_builder\(\)/);
    assert.ok(r.checkpoint);
    assert.strictEqual(loadCheckpoint(r.checkpoint.store, r.checkpoint.id).state, 'applied');
    assert.deepStrictEqual(['greet', 'build', 'lint'].map((c) => node(dir, [c])), outputs);
    // Three runs per side cannot promise a verdict; the comparison must have run and been reported.
    assert.ok(r.comparison, 'the before/after comparison ran');
    assert.ok(Number.isFinite(r.comparison.ratio) && r.comparison.ratio > 0, JSON.stringify(r.comparison));
    // The prediction beside the measurement: the plan's share and ms, then the measured change with its verdict.
    const predictedPct = (r.predictedShare! * 100).toFixed(0);
    const measuredPct = ((1 - r.comparison.ratio) * 100).toFixed(1);
    assert.ok(r.comparison.message?.startsWith(`Startup plan: estimated ${predictedPct} % (${r.predictedMs.toFixed(0)} ms) faster; measured ${measuredPct} % (${r.comparison.verdict}, `), r.comparison.message);
  });

  it('per-file lazy-loads: one that leaves the module loaded at startup is not preferred and says "defers only"', async () => {
    // A fresh copy, profiled for a plan: the newest such run labels the code actions.
    const own = path.join(workspaceDir(), 'startup-plan-per-file');
    fs.cpSync(fixtureDir(), own, { recursive: true });
    const profiled = await vscode.commands.executeCommand('hotpath.profile', { command: 'node cli.js greet', cwd: own, capture: { cpu: false, heap: false, imports: true, coverage: true } });
    assert.ok(profiled, 'the profile command recorded the run');
    const uri = vscode.Uri.file(path.join(own, 'cli.js'));
    const doc = await vscode.workspace.openTextDocument(uri);
    const lineOf = (m: string) => doc.getText().split('\n').findIndex((l) => l.includes(`require('./lib/${m}')`));
    const action = async (m: string) => {
      const line = lineOf(m);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(line, 0, line, 0), 'refactor.rewrite.hotpath');
      return actions.find((a) => a.title.startsWith(`Lazy-load './lib/${m}'`));
    };
    const builder = await action('builder');
    assert.ok(builder, 'the measured-heavy builder.js gets a lazy-load');
    assert.strictEqual(builder.isPreferred, true, builder.title);
    assert.doesNotMatch(builder.title, /defers only/);
    const linter = await action('linter');
    assert.ok(linter, 'the measured-heavy linter.js gets a lazy-load');
    assert.strictEqual(linter.isPreferred, false, linter.title);
    assert.match(linter.title, /\(defers only\)$/);
    // format.js: greet() uses it and ran, so cli.js itself still loads it at startup.
    const format = await action('format');
    assert.ok(format, 'the measured-heavy format.js gets a lazy-load');
    assert.strictEqual(format.isPreferred, false, format.title);
    assert.match(format.title, /\(defers only\)$/);
  });
});
