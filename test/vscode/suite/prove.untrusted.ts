// Runs only in the untrusted pass (HOTPATH_VSCODE_ONLY=untrusted). Benchmarks execute workspace
// code and must be refused without starting anything; the benchmark history still opens and a
// checkpoint without later edits still rolls back (it only reads and writes files).
import * as assert from 'assert';
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
});
