// Runs only in the untrusted pass (HOTPATH_VSCODE_ONLY=untrusted). Benchmarks execute workspace
// code and must be refused without starting anything; the benchmark history still opens;
// checkpoints are made without running git (a repository's config can make `git status` run
// programs: the test plants a core.fsmonitor hook that would leave a marker). A checkpoint is data
// anyone could have put in the folder: rollback asks first (a modal), so automation is refused,
// and a planted one naming a file outside the folder is refused by the core in any case.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { createCheckpoint, defaultCheckpointStore, listCheckpoints, loadCheckpoint, markApplied, rollback } from '../../../src/core/checkpoint';
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

  it('Show Benchmark History opens (empty); a rollback by command arguments is refused and writes nothing', async () => {
    const h = await vscode.commands.executeCommand<{ kind: string; points: number }>('hotpath.showBenchHistory');
    assert.strictEqual(h.kind, 'history');
    assert.strictEqual(h.points, 0);
    // The batch is made outside Hotpath's commands, as a checkpoint committed to a repository would be.
    const cwd = workspaceDir();
    const file = path.join(cwd, 'untrusted-batch.js');
    fs.writeFileSync(file, 'before\n');
    const store = defaultCheckpointStore(cwd);
    const cp = await createCheckpoint(store, [file], { root: cwd, label: 'untrusted test', git: false });
    fs.writeFileSync(file, 'after\n');
    markApplied(store, cp.id);
    // Automation cannot be asked: refused, as profiling is (interactively, a modal asks first).
    for (const arg of [{ id: cp.id }, { id: cp.id, force: true }, {}]) {
      assert.strictEqual(await vscode.commands.executeCommand('hotpath.rollback', arg), undefined, JSON.stringify(arg));
    }
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'after\n', 'nothing was rolled back');
    assert.strictEqual(loadCheckpoint(store, cp.id).state, 'applied');
  });

  it('a planted checkpoint naming a file outside the workspace writes nothing there', async () => {
    const cwd = workspaceDir();
    const outside = path.join(path.dirname(cwd), `planted-${process.pid}.sh`);
    const store = defaultCheckpointStore(cwd);
    const cp = await createCheckpoint(store, [path.join(cwd, 'main.js')], { root: cwd, label: 'planted', git: false });
    markApplied(store, cp.id);
    const meta = path.join(store, cp.id, 'checkpoint.json');
    const disk = JSON.parse(fs.readFileSync(meta, 'utf8'));
    fs.writeFileSync(path.join(store, cp.id, 'files', 'evil'), '#!/bin/sh\necho pwned\n');
    disk.files.push({ path: `../${path.basename(outside)}`, existed: true, sha256: createHash('sha256').update('#!/bin/sh\necho pwned\n').digest('hex'), size: 21, mode: 0o755, blob: 'evil', after: { exists: false, sha256: null } });
    fs.writeFileSync(meta, JSON.stringify(disk));
    try {
      assert.strictEqual(await vscode.commands.executeCommand('hotpath.rollback', { id: cp.id, force: true }), undefined);
      assert.strictEqual(fs.existsSync(outside), false, 'nothing written outside the workspace');
      // The core call the command makes refuses it too (trust aside), and the listing leaves it out.
      const r = await rollback(store, cp.id, { force: true, git: false });
      assert.strictEqual(r.ok, false);
      assert.match(r.error ?? '', /refused: .*planted-\d+\.sh is outside/);
      assert.strictEqual(fs.existsSync(outside), false);
      assert.ok(!listCheckpoints(store).checkpoints.some((c) => c.id === cp.id));
    } finally {
      fs.rmSync(path.join(store, cp.id), { recursive: true, force: true });
      fs.rmSync(outside, { force: true });
    }
  });

  it('Create Checkpoint works without running git; rolling it back by arguments is refused', async () => {
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
      assert.strictEqual(await vscode.commands.executeCommand('hotpath.rollback', { id: made.id, force: true }), undefined);
      assert.strictEqual(fs.readFileSync(file, 'utf8'), 'two\n', 'not rolled back without asking');
      assert.strictEqual(fs.existsSync(marker), false, 'Hotpath ran git in an untrusted folder');
    } finally {
      fs.rmSync(path.join(cwd, '.git'), { recursive: true, force: true });
      fs.rmSync(hook, { force: true });
    }
  });
});
