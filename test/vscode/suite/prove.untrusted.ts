// Runs only in the untrusted pass (HOTPATH_VSCODE_ONLY=untrusted). Benchmarks execute workspace
// code and must be refused without starting anything; the benchmark history still opens, and
// checkpoints and rollbacks work without running git (a repository's config can make `git status`
// run programs: the test plants a core.fsmonitor hook that would leave a marker).
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { createCheckpoint, defaultCheckpointStore, markApplied } from '../../../src/core/checkpoint';
import { workspaceDir } from './lib/helpers';

describe('untrusted workspace: prove', () => {
  it('Benchmark Command… and Compare Before/After… (a run) are refused; nothing runs or is stored', async () => {
    const cwd = workspaceDir();
    const marker = path.join(cwd, 'bench-ran.txt');
    const command = `node -e "require('fs').writeFileSync('bench-ran.txt', 'ran')"`;
    assert.strictEqual(await vscode.commands.executeCommand('hotpath.bench', { command, cwd, runs: 1, warmup: 0 }), undefined);
    assert.strictEqual(await vscode.commands.executeCommand('hotpath.compare', { command, cwd, ref: 'HEAD', runs: 1, warmup: 0 }), undefined);
    await new Promise((r) => setTimeout(r, 1000));
    assert.strictEqual(fs.existsSync(marker), false, 'the command did not run');
    assert.strictEqual(fs.existsSync(path.join(cwd, '.hotpath', 'bench')), false, 'nothing was stored');
  });

  it('Show Benchmark History opens (empty) and a checkpoint rolls back', async () => {
    const h = await vscode.commands.executeCommand<{ kind: string; points: number }>('hotpath.showBenchHistory');
    assert.strictEqual(h.kind, 'history');
    assert.strictEqual(h.points, 0);
    // The batch is made outside Hotpath's commands (the checkpoint command itself reads git state, refused here).
    const cwd = workspaceDir();
    const file = path.join(cwd, 'untrusted-batch.js');
    fs.writeFileSync(file, 'before\n');
    const store = defaultCheckpointStore(cwd);
    const cp = await createCheckpoint(store, [file], { root: cwd, label: 'untrusted test' });
    fs.writeFileSync(file, 'after\n');
    markApplied(store, cp.id);
    const r = await vscode.commands.executeCommand<{ ok: boolean; error?: string }>('hotpath.rollback', { id: cp.id });
    assert.ok(r?.ok, r?.error);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'before\n');
  });

  it('Create Checkpoint and a forced rollback work without running git', async () => {
    const cwd = workspaceDir();
    const marker = path.join(cwd, 'fsmonitor-ran.txt');
    const hook = path.join(cwd, 'fsmonitor-hook.sh');
    const file = path.join(cwd, 'untrusted-manual.js');
    fs.writeFileSync(hook, `#!/bin/sh\necho ran > '${marker}'\n`, { mode: 0o755 });
    fs.writeFileSync(file, 'one\n');
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd, stdio: 'ignore' });
    git('init', '-q');
    try {
      git('add', 'untrusted-manual.js');
      git('commit', '-qm', 'init');
      git('config', 'core.fsmonitor', hook);
      // The planted hook works: a plain `git status` here runs it (so the check below can fail).
      git('status', '--porcelain');
      assert.ok(fs.existsSync(marker), 'git status ran the fsmonitor hook');
      fs.rmSync(marker);

      const made = await vscode.commands.executeCommand<{ id: string; files: number }>('hotpath.createCheckpoint', { cwd, files: [file], label: 'untrusted manual' });
      assert.ok(made?.id, 'a checkpoint was made');
      assert.strictEqual(made.files, 1);
      fs.writeFileSync(file, 'two\n');
      const r = await vscode.commands.executeCommand<{ ok: boolean; error?: string; savedAs?: string }>('hotpath.rollback', { id: made.id, force: true });
      assert.ok(r?.ok, r?.error);
      assert.ok(r.savedAs, 'the overwritten edit was saved as a checkpoint');
      assert.strictEqual(fs.readFileSync(file, 'utf8'), 'one\n');
      assert.strictEqual(fs.existsSync(marker), false, 'Hotpath ran git in an untrusted folder');
    } finally {
      fs.rmSync(path.join(cwd, '.git'), { recursive: true, force: true });
      fs.rmSync(hook, { force: true });
    }
  });
});
