// "Apply All Safe Fixes in File…/Workspace…" in a real extension host, through their automation
// argument ({ kinds, uri, preview: false } skips the quick pick and the refactor preview; the UI
// test refactorPreviewApplyAll.ui.js drives both): the batch is applied behind a checkpoint that
// holds the files as they were, the result matches the engine's goldens
// (test/fixtures/hot-fixes/expected) and runs with the same output, one undo reverts it, memoize
// applies only when named and counted calls show it pays, and "Roll Back to Checkpoint" restores
// a workspace batch.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { loadCheckpoint } from '../../../src/core/checkpoint';
import { extension, saveToDisk, waitFor, workspaceDir } from './lib/helpers';

interface ApplySafeResult {
  applied: boolean;
  byKind: Record<string, number>;
  fixes: number;
  files: string[];
  checkpoint?: { id: string; store: string; root: string };
}
interface RollbackResult { ok: boolean; restored: string[]; error?: string }

const fixtureDir = () => path.join(process.env.HOTPATH_TEST_FIXTURES ?? '', 'hot-fixes');
const expected = (name: string) => fs.readFileSync(path.join(fixtureDir(), 'expected', name), 'utf8');
const original = (name: string) => fs.readFileSync(path.join(fixtureDir(), name), 'utf8');

function runNode(file: string): string {
  return execFileSync('node', [path.basename(file)], { cwd: path.dirname(file), encoding: 'utf8', timeout: 60_000 });
}

function savedText(cp: { id: string; store: string }, file: string): string {
  const entry = loadCheckpoint(cp.store, cp.id).files.find((f) => f.path === file);
  assert.ok(entry, `${file} is in checkpoint ${cp.id}`);
  assert.ok(entry.blob, 'the file existed before the batch');
  return fs.readFileSync(path.join(cp.store, cp.id, 'files', entry.blob), 'utf8');
}

describe('fixes: Apply All Safe Fixes in File…/Workspace…', function () {
  this.timeout(120_000);
  let dir: string;

  before(async () => {
    dir = path.join(workspaceDir(), 'safe-fixes');
    fs.mkdirSync(dir, { recursive: true });
    for (const f of ['package.json', 'hoist.js', 'pool.js', 'memoize.js']) fs.copyFileSync(path.join(fixtureDir(), f), path.join(dir, f));
    if (!extension().isActive) await extension().activate();
  });

  it('contributes the new commands next to the lazy-loading ones', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of ['hotpath.fixes.applySafeInFile', 'hotpath.fixes.applySafeInWorkspace', 'hotpath.fixes.applyLazyInFile', 'hotpath.fixes.applyLazyInWorkspace']) {
      assert.ok(registered.has(id), id);
    }
    const titles = (extension().packageJSON.contributes.commands as { command: string; title: string }[]);
    assert.strictEqual(titles.find((c) => c.command === 'hotpath.fixes.applySafeInFile')?.title, 'Apply All Safe Fixes in File…');
    assert.strictEqual(titles.find((c) => c.command === 'hotpath.fixes.applySafeInWorkspace')?.title, 'Apply All Safe Fixes in Workspace…');
  });

  it('File…: applies the chosen kind behind a checkpoint; the file runs the same; one undo reverts the batch', async () => {
    const file = path.join(dir, 'pool.js');
    const before = runNode(file);
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const r = await vscode.commands.executeCommand<ApplySafeResult>('hotpath.fixes.applySafeInFile', { uri: doc.uri, kinds: ['pool-object', 'hoist-constant'], preview: false });
    assert.ok(r?.applied, `applied: ${JSON.stringify(r)}`);
    assert.deepStrictEqual(r.byKind, { 'pool-object': 1 });
    assert.deepStrictEqual(r.files, [file]);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), expected('pool.js'), 'saved to disk as the engine\'s golden');
    assert.strictEqual(runNode(file), before, 'same output after the batch');
    assert.ok(r.checkpoint, 'a checkpoint was taken');
    const cp = loadCheckpoint(r.checkpoint.store, r.checkpoint.id);
    assert.strictEqual(cp.state, 'applied');
    // "after" is what the batch wrote (a later edit shows as a conflict on rollback).
    assert.strictEqual(cp.files[0].after?.sha256, crypto.createHash('sha256').update(expected('pool.js')).digest('hex'));
    assert.match(cp.label ?? '', /^before 1 safe fix \(pool-object ×1\) in 1 file$/);
    assert.strictEqual(savedText(r.checkpoint, file), original('pool.js'), 'the checkpoint holds the file as it was');

    // One WorkspaceEdit: one undo step in the editor.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    await waitFor('the undo to revert the batch', () => doc.getText() === original('pool.js'), 10_000)
      .catch((err: Error) => { throw new Error(`${err.message}; text now:\n${doc.getText()}`); });
    await saveToDisk(doc);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), original('pool.js'));
  });

  it('File…: memoize applies only when named and a counting run shows it pays (the pure function; the impure one stays)', async () => {
    const file = path.join(dir, 'memoize.js');
    const before = runNode(file);
    const uri = vscode.Uri.file(file);
    const without = await vscode.commands.executeCommand<ApplySafeResult>('hotpath.fixes.applySafeInFile', { uri, kinds: ['hoist-constant', 'pool-object'], preview: false });
    assert.deepStrictEqual(without && { applied: without.applied, fixes: without.fixes }, { applied: false, fixes: 0 });
    assert.strictEqual(fs.readFileSync(file, 'utf8'), original('memoize.js'), 'untouched without memoize');
    // Named, but no run counted its calls: nothing shows the cache would hit.
    const uncounted = await vscode.commands.executeCommand<ApplySafeResult>('hotpath.fixes.applySafeInFile', { uri, kinds: ['memoize'], preview: false });
    assert.deepStrictEqual(uncounted && { applied: uncounted.applied, fixes: uncounted.fixes }, { applied: false, fixes: 0 });

    // A measured run (the CLI's counting run) counts digitSum(): 300 calls, 30 distinct arguments.
    const cli = path.join(extension().extensionPath, 'dist', 'cli.js');
    const counted = JSON.parse(execFileSync('node', [cli, 'fixes', dir, '--kind', 'memoize', '--json', '--calls', '--', 'node', 'memoize.js'], { cwd: dir, encoding: 'utf8', timeout: 120_000 }));
    try {
      const digitSum = counted.fixes.find((f: { module: string }) => f.module === 'digitSum');
      assert.deepStrictEqual({ calls: digitSum.calls.calls, hits: digitSum.calls.hits }, { calls: 300, hits: 270 });
      const r = await vscode.commands.executeCommand<ApplySafeResult>('hotpath.fixes.applySafeInFile', { uri, kinds: ['memoize'], preview: false });
      assert.ok(r?.applied);
      assert.deepStrictEqual(r.byKind, { memoize: 1 });
      assert.strictEqual(fs.readFileSync(file, 'utf8'), expected('memoize.js'));
      assert.strictEqual(runNode(file), before);
    } finally {
      fs.rmSync(counted.callsRun.file, { force: true });
    }
  });

  it('Workspace…: changes only files with a safe fix of the chosen kinds; Roll Back restores them', async () => {
    const hoist = path.join(dir, 'hoist.js');
    const mainJs = path.join(workspaceDir(), 'main.js');
    const mainBefore = fs.readFileSync(mainJs, 'utf8');
    const before = runNode(hoist);
    const r = await vscode.commands.executeCommand<ApplySafeResult>('hotpath.fixes.applySafeInWorkspace', { kinds: ['hoist-constant'], preview: false });
    assert.ok(r?.applied, JSON.stringify(r));
    assert.deepStrictEqual(r.files, [hoist], 'only hoist.js has a safe hoist-constant fix');
    assert.deepStrictEqual(r.byKind, { 'hoist-constant': 1 });
    assert.strictEqual(fs.readFileSync(hoist, 'utf8'), expected('hoist.js'));
    assert.strictEqual(runNode(hoist), before);
    assert.strictEqual(fs.readFileSync(mainJs, 'utf8'), mainBefore);
    assert.ok(r.checkpoint);
    const rolled = await vscode.commands.executeCommand<RollbackResult>('hotpath.rollback', { id: r.checkpoint.id });
    assert.ok(rolled?.ok, rolled?.error);
    assert.deepStrictEqual(rolled.restored, [hoist]);
    assert.strictEqual(fs.readFileSync(hoist, 'utf8'), original('hoist.js'));
  });

  it('refuses an unknown kind without touching anything', async () => {
    const file = path.join(dir, 'hoist.js');
    const r = await vscode.commands.executeCommand<ApplySafeResult | undefined>('hotpath.fixes.applySafeInFile', { uri: vscode.Uri.file(file), kinds: ['inline-everything'], preview: false });
    assert.strictEqual(r, undefined);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), original('hoist.js'));
  });
});
