// Runs only in the untrusted pass (HOTPATH_VSCODE_ONLY=untrusted): Compare Profiles… only reads
// profile files, so it works in an untrusted workspace. A profile against itself: every change 0.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { workspaceDir } from './lib/helpers';

interface DiffResult { rendered?: number; kind: string; functions: { name: string; self: { delta: number; verdict: string } }[] }

describe('untrusted workspace: hotpath.compareProfiles', () => {
  let tmp: string;
  before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-untrusted-diff-')); });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('compares two profile files (here one with itself): every change 0, no verdict with one run per side, the panel drew them', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
    execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', tmp, '--cpu-prof-name', 'main.cpuprofile', 'main.js'], { cwd: workspaceDir(), env: { ...process.env, NODE_OPTIONS: '' } });
    const file = path.join(tmp, 'main.cpuprofile');
    const result = await vscode.commands.executeCommand<DiffResult>('hotpath.compareProfiles', file, file);
    assert.ok(result, 'the command resolved to a result');
    assert.strictEqual(result.kind, 'cpu');
    assert.ok(result.functions.some((f) => f.name === 'computePrimes'));
    for (const f of result.functions) {
      assert.strictEqual(f.self.delta, 0, f.name);
      assert.strictEqual(f.self.verdict, 'not tested', f.name);
    }
    assert.ok(result.rendered !== undefined && result.rendered > 0, `rendered ${result.rendered}`);
  });
});
