// "Prove the result" inside the real extension host: Benchmark Command… stores a result tied to
// the workspace and opens the history panel; a checkpoint before an edit, then Compare
// Before/After… runs the checkpoint state against the working tree, interleaved, with a verdict;
// a batch applied behind a checkpoint rolls back in one step, and later edits are kept safe.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { applyBehindCheckpoint } from '../../../src/extension/prove/checkpoints';
import { extension, waitFor, workspaceDir } from './lib/helpers';

interface PanelSummary {
  title: string; kind: string; points: number; verdict?: string; sentence?: string; rendered: boolean;
  profile?: { changed: number; rows: { name: string; verdict: string; delta: number; margin: number; changedFile?: boolean; ratio?: { value: number; lo: number; hi: number } }[]; noiseLabel: string; runs: { before: string[]; after: string[] }; error?: string; story?: string; changedFiles?: string[] };
}
interface BenchResult { id: string; file?: string; n: number; failed: number; medianMs: number | null; ciMs: [number, number] | null; panel: PanelSummary }
interface CompareResult { beforeId: string; afterId: string; verdict: string; sentence: string; ratio: number; p: number; panel: PanelSummary; profileRuns?: { before: string[]; after: string[] } }
interface DiffResult { panelId: string; title: string; rendered: number | undefined; method: string; story?: string; runs: { before: number; after: number }; functions: { name: string; file: string; status: string; self: { verdict: string; delta: number } }[] }
interface RollbackResult { ok: boolean; id: string; restored: string[]; deleted: string[]; conflicts: { path: string; reason: string }[]; savedAs?: string; error?: string }

const spinSource = (ms: number) => `// benchmark target of the prove suite\nconst t = Date.now();\nwhile (Date.now() - t < ${ms});\n`;

function allTabs(): { label: string; viewType?: string }[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => ({ label: t.label, viewType: t.input instanceof vscode.TabInputWebview ? t.input.viewType : undefined }));
}

function proveTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('hotpath.prove'));
}

describe('prove: benchmark, compare, checkpoint and rollback', function () {
  this.timeout(240_000);
  let ws: string;
  let target: string;

  before(() => {
    ws = workspaceDir();
    target = path.join(ws, 'bench-target.js');
    fs.writeFileSync(target, spinSource(400));
  });

  it('Benchmark Command… measures n runs, stores the result and shows the history panel', async () => {
    const r = await vscode.commands.executeCommand<BenchResult>('hotpath.bench', { command: 'node bench-target.js', cwd: ws, runs: 5, warmup: 1 });
    assert.ok(r, 'the command resolved to a result (see the Hotpath output channel if not)');
    assert.strictEqual(r.n, 5);
    assert.strictEqual(r.failed, 0);
    assert.ok(r.file && fs.existsSync(r.file), `stored at ${r.file}`);
    assert.strictEqual(path.dirname(r.file), path.join(ws, '.hotpath', 'bench'));
    const stored = JSON.parse(fs.readFileSync(r.file, 'utf8'));
    assert.strictEqual(stored.command, 'node bench-target.js');
    assert.strictEqual(stored.samples.filter((s: { warmup: boolean; ok: boolean }) => !s.warmup && s.ok).length, 5);
    // A 400 ms spin plus node's start-up: the measured median cannot be below the spin itself.
    assert.ok(r.medianMs !== null && r.medianMs >= 400, `median ${r.medianMs}`);
    assert.ok(r.ciMs && r.ciMs[0] <= r.medianMs! && r.medianMs! <= r.ciMs[1], `CI ${r.ciMs}`);
    assert.strictEqual(r.panel.kind, 'history');
    assert.ok(r.panel.points >= 1);
    // The tab model follows the panel asynchronously.
    await waitFor('the history panel tab', () => proveTabs().some((t) => t.label === 'Hotpath: Benchmark History'), 10_000)
      .catch((err) => { throw new Error(`${err.message}; tabs: ${JSON.stringify(allTabs())}`); });
  });

  it('checkpoint, edit, Compare Before/After… (checkpoint vs working tree): faster, both sides drawn', async () => {
    const cp = await vscode.commands.executeCommand<{ id: string; files: number }>('hotpath.createCheckpoint', { files: ['bench-target.js'], cwd: ws, label: 'before the speed-up' });
    assert.ok(cp?.id, 'a checkpoint id');
    assert.strictEqual(cp.files, 1);
    fs.writeFileSync(target, spinSource(20));
    // Copies left in the shared temporary folder by other runs (a killed test, another suite) are not this run's.
    const copies = () => fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('hotpath-checkpoint-'));
    const copiesBefore = new Set(copies());
    const c = await vscode.commands.executeCommand<CompareResult>('hotpath.compare', { checkpoint: cp.id, command: 'node bench-target.js', cwd: ws, runs: 8, warmup: 1 });
    assert.ok(c, 'the comparison resolved to a result');
    assert.strictEqual(c.verdict, 'faster', c.sentence);
    assert.match(c.sentence, /^after is [\d.]+ % faster .* n = 8\+8$/);
    assert.ok(c.ratio < 1, `ratio ${c.ratio}`);
    assert.strictEqual(c.panel.kind, 'compare');
    assert.strictEqual(c.panel.points, 16, 'every successful run of both sides');
    const before = JSON.parse(fs.readFileSync(path.join(ws, '.hotpath', 'bench', `${c.beforeId}.json`), 'utf8'));
    assert.strictEqual(before.ref, `checkpoint ${cp.id}`);
    assert.strictEqual(before.pair.other, c.afterId);
    assert.deepStrictEqual(copies().filter((n) => !copiesBefore.has(n)), [], 'the temporary copy is removed');
    await waitFor('a compare panel beside the history panel', () => proveTabs().length >= 2, 10_000);
    // The history now has the benchmark and both halves of the comparison.
    const h = await vscode.commands.executeCommand<PanelSummary>('hotpath.showBenchHistory');
    assert.ok(h.points >= 3, `history points ${h.points}`);
    // The webview page loaded under its CSP, asked for the data and answered after drawing it.
    let last = h;
    const until = Date.now() + 20_000;
    while (!last.rendered && Date.now() < until) {
      await new Promise((res) => setTimeout(res, 250));
      last = await vscode.commands.executeCommand<PanelSummary>('hotpath.showBenchHistory');
    }
    assert.ok(last.rendered, 'the history page drew the stored benchmarks');
    // A manual checkpoint: every later change is the user's edit, so rollback refuses without force.
    const refused = await vscode.commands.executeCommand<RollbackResult>('hotpath.rollback', { id: cp.id });
    assert.strictEqual(refused.ok, false);
    assert.deepStrictEqual(refused.conflicts.map((x) => path.basename(x.path)), ['bench-target.js']);
    assert.strictEqual(fs.readFileSync(target, 'utf8'), spinSource(20), 'nothing was touched');
    const forced = await vscode.commands.executeCommand<RollbackResult>('hotpath.rollback', { id: cp.id, force: true });
    assert.ok(forced.ok, forced.error);
    assert.strictEqual(fs.readFileSync(target, 'utf8'), spinSource(400));
    assert.ok(forced.savedAs, 'the overwritten contents were saved as a checkpoint');
  });

  it('Compare Before/After… against a git ref: HEAD in a temporary worktree vs the working tree', async () => {
    const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ws, env, encoding: 'utf8' }).trim();
    try {
      git('init', '-q');
      fs.writeFileSync(path.join(ws, '.gitignore'), '.hotpath/\n');
      fs.writeFileSync(target, spinSource(400));
      git('add', '.');
      git('commit', '-q', '-m', 'slow');
      const head = git('rev-parse', 'HEAD');
      fs.writeFileSync(target, spinSource(20));
      const c = await vscode.commands.executeCommand<CompareResult>('hotpath.compare', { ref: 'HEAD', command: 'node bench-target.js', cwd: ws, runs: 8, warmup: 1 });
      assert.ok(c, 'the comparison resolved to a result');
      assert.strictEqual(c.verdict, 'faster', c.sentence);
      const before = JSON.parse(fs.readFileSync(path.join(ws, '.hotpath', 'bench', `${c.beforeId}.json`), 'utf8'));
      const after = JSON.parse(fs.readFileSync(path.join(ws, '.hotpath', 'bench', `${c.afterId}.json`), 'utf8'));
      assert.strictEqual(before.ref, 'HEAD');
      assert.strictEqual(before.git.commit, head);
      assert.deepStrictEqual(after.git && { commit: after.git.commit, dirty: after.git.dirty }, { commit: head, dirty: true }, 'after = the dirty working tree');
      assert.match(c.panel.title, new RegExp(`HEAD \\(${head.slice(0, 7)}\\) vs working tree`));
      assert.strictEqual(git('worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).length, 1, 'the temporary worktree is removed');
    } finally {
      fs.rmSync(path.join(ws, '.git'), { recursive: true, force: true });
      fs.rmSync(path.join(ws, '.gitignore'), { force: true });
      fs.writeFileSync(target, spinSource(400));
    }
  });

  it('Compare Before/After… with profiled runs: where the time moved (hotLoop first, its file touched), runs in the Profile Runs store, Open Profile Diff opens the diff panel with the same story', async () => {
    const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ws, env, encoding: 'utf8' }).trim();
    const work = path.join(ws, 'diff-work.js');
    const fixture = fs.readFileSync(path.join(extension().extensionPath, 'test', 'fixtures', 'targets', 'diffTarget.js'), 'utf8');
    assert.ok(fixture.includes('Number(process.argv[2] || 1)'));
    try {
      git('init', '-q');
      fs.writeFileSync(path.join(ws, '.gitignore'), '.hotpath/\n');
      fs.writeFileSync(work, fixture);
      git('add', '.gitignore', 'diff-work.js');
      git('commit', '-q', '-m', 'factor 1');
      // The working tree's hotLoop spins 3 x as long; steadyLoop is unchanged.
      fs.writeFileSync(work, fixture.replace('Number(process.argv[2] || 1)', 'Number(process.argv[2] || 3)'));
      const c = await vscode.commands.executeCommand<CompareResult>('hotpath.compare', { ref: 'HEAD', command: 'node diff-work.js', cwd: ws, runs: 5, warmup: 0, profile: 2 });
      assert.ok(c, 'the comparison resolved to a result');
      assert.strictEqual(c.panel.points, 10, 'the timed runs only: 5 + 5');
      const p = c.panel.profile;
      assert.ok(p && !p.error, JSON.stringify(p));
      const hot = p.rows.find((r) => r.name === 'hotLoop');
      assert.ok(hot, JSON.stringify(p.rows));
      // 3x the time: slower, or within noise when a saturated machine stretches its deadline loops.
      assert.ok(hot.verdict === 'slower' || hot.verdict === 'within noise', JSON.stringify(hot));
      assert.strictEqual(hot.verdict === 'slower', hot.delta > hot.margin);
      assert.ok(hot.changedFile && hot.ratio, JSON.stringify(hot));
      assert.deepStrictEqual(p.changedFiles, ['diff-work.js']);
      assert.match(p.noiseLabel, /sample counts over 2 runs before and 2 after/);
      assert.ok(c.profileRuns);
      assert.deepStrictEqual(c.profileRuns, p.runs);
      assert.strictEqual(c.profileRuns.before.length, 2);
      assert.strictEqual(c.profileRuns.after.length, 2);
      for (const [side, dir] of [['before', c.profileRuns.before[0]], ['after', c.profileRuns.after[0]]] as const) {
        const rec = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8'));
        const { loadAverage, ...comparison } = rec.comparison;
        assert.deepStrictEqual(comparison, { before: c.beforeId, after: c.afterId, side, index: 0, runs: 2 });
        assert.strictEqual(typeof loadAverage, 'number');
        assert.ok(!dir.startsWith(ws), 'stored in the extension\'s run store (Profile Runs), not the workspace');
      }
      assert.strictEqual(git('worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).length, 1, 'the temporary worktree is removed');
      // What the panel's Open Profile Diff button runs: hotpath.compareProfiles with the stored runs and the timed verdict.
      const timed = { verdict: c.verdict, changePct: (c.ratio - 1) * 100, n: { before: 5, after: 5 }, metric: 'wall' };
      const d = await vscode.commands.executeCommand<DiffResult>('hotpath.compareProfiles', c.profileRuns.before, c.profileRuns.after, { timed });
      assert.ok(d, 'the diff panel opened');
      assert.ok(d.rendered && d.rendered > 0, `the diff panel drew its rows (${d.rendered})`);
      const row = d.functions.find((f) => f.name === 'hotLoop');
      assert.ok(row && row.status === 'both' && row.self.verdict === hot.verdict, JSON.stringify(row));
      // One story: the diff panel's sentence is the prove panel's (or neither has one).
      assert.strictEqual(d.story, p.story);
      assert.ok(vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('hotpath.diff') && t.label === d.title));
    } finally {
      fs.rmSync(path.join(ws, '.git'), { recursive: true, force: true });
      fs.rmSync(path.join(ws, '.gitignore'), { force: true });
      fs.rmSync(work, { force: true });
    }
  });

  it('Create Checkpoint without arguments snapshots the workspace source files', async () => {
    const cp = await vscode.commands.executeCommand<{ id: string; files: number; store: string }>('hotpath.createCheckpoint', { cwd: ws });
    assert.ok(cp?.id, 'a checkpoint id');
    const saved = JSON.parse(fs.readFileSync(path.join(cp.store, cp.id, 'checkpoint.json'), 'utf8'));
    // Version 2: paths relative to the checkpoint's root, the workspace folder.
    assert.strictEqual(saved.version, 2);
    assert.strictEqual(fs.realpathSync(saved.root), fs.realpathSync(ws));
    const names = saved.files.map((f: { path: string }) => f.path).sort();
    for (const expected of ['main.js', 'package.json', 'bench-target.js']) assert.ok(names.includes(expected), `${expected} in ${names}`);
    assert.ok(!names.some((n: string) => n.startsWith('.hotpath')), 'Hotpath\'s own store is not snapshotted');
    assert.strictEqual(cp.files, names.length);
  });

  it('a batch applied behind a checkpoint rolls back in one step, and the open editor follows', async () => {
    const file = path.join(ws, 'batch-a.js');
    fs.writeFileSync(file, 'const a = 1;\nmodule.exports = a;\n');
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 10, 0, 11), '2');
    const r = await applyBehindCheckpoint(edit, 'test batch');
    assert.ok(r.applied && r.checkpoint, 'applied behind a checkpoint');
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'const a = 2;\nmodule.exports = a;\n', 'the batch was saved to disk');
    const cp = JSON.parse(fs.readFileSync(path.join(r.checkpoint.store, r.checkpoint.id, 'checkpoint.json'), 'utf8'));
    assert.strictEqual(cp.state, 'applied');

    const rolled = await vscode.commands.executeCommand<RollbackResult>('hotpath.rollback', { id: r.checkpoint.id });
    assert.ok(rolled.ok, rolled.error);
    assert.deepStrictEqual(rolled.conflicts, []);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'const a = 1;\nmodule.exports = a;\n');
    // The open editor follows the file on disk.
    const until = Date.now() + 10_000;
    while (doc.getText() !== 'const a = 1;\nmodule.exports = a;\n' && Date.now() < until) await new Promise((res) => setTimeout(res, 100));
    assert.strictEqual(doc.getText(), 'const a = 1;\nmodule.exports = a;\n');
  });

  it('a file edited after the batch is listed, and rolled back only when forced (the edit kept in a checkpoint)', async () => {
    const file = path.join(ws, 'batch-b.js');
    fs.writeFileSync(file, 'let b = 1;\n');
    const doc = await vscode.workspace.openTextDocument(file);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 8, 0, 9), '2');
    const r = await applyBehindCheckpoint(edit, 'test batch b');
    assert.ok(r.checkpoint);
    fs.writeFileSync(file, 'let b = 2; // my edit\n');
    const refused = await vscode.commands.executeCommand<RollbackResult>('hotpath.rollback', { id: r.checkpoint.id });
    assert.strictEqual(refused.ok, false);
    assert.match(refused.conflicts[0]?.reason ?? '', /edited after the batch/);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'let b = 2; // my edit\n');
    const forced = await vscode.commands.executeCommand<RollbackResult>('hotpath.rollback', { id: r.checkpoint.id, force: true });
    assert.ok(forced.ok && forced.savedAs);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'let b = 1;\n');
    // The user's edit is one rollback away.
    const back = await vscode.commands.executeCommand<RollbackResult>('hotpath.rollback', { id: forced.savedAs });
    assert.ok(back.ok, back.error);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'let b = 2; // my edit\n');
  });
});
