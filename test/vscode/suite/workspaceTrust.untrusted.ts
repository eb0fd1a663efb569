// Runs only in the untrusted pass (HOTPATH_VSCODE_ONLY=untrusted: code-server keeps workspace
// trust on, so the fixture folder opens untrusted). Profiling executes workspace code and must be
// refused; opening an existing profile only reads a file and must still work.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { describeTop, lineOf, processesWith, workspaceDir, type CommandResult } from './lib/helpers';

describe('untrusted workspace', () => {
  let tmp: string;
  before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-untrusted-')); });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('opens the fixture folder untrusted', () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
  });

  it('hotpath.profile resolves to undefined and starts no process', async () => {
    const cwd = workspaceDir();
    const marker = `hotpath-untrusted-${process.pid}-${Date.now()}`;
    const ran = path.join(cwd, `${marker}.txt`);
    // Were it run, this would write a file and stay alive for 5 s with the marker on its command line.
    const command = `node -e "require('fs').writeFileSync('${marker}.txt', 'ran'); setTimeout(() => {}, 5000)" ${marker}`;
    let sawProcess = false;
    const watch = setInterval(() => { if (processesWith(marker).some((p) => p.cmdline.includes('node'))) sawProcess = true; }, 50);
    try {
      const result = await vscode.commands.executeCommand<CommandResult | undefined>('hotpath.profile', { command, cwd });
      assert.strictEqual(result, undefined, `refused in an untrusted workspace: ${describeTop(result)}`);
      await new Promise((r) => setTimeout(r, 1500)); // time for a wrongly started process to show
    } finally {
      clearInterval(watch);
    }
    assert.strictEqual(sawProcess, false, 'no process with the marker ran');
    assert.deepStrictEqual(processesWith(marker).filter((p) => p.cmdline.includes('node')), []);
    assert.strictEqual(fs.existsSync(ran), false, 'the command did not run');
  });

  it('hotpath.openProfile still opens a .cpuprofile', async () => {
    const cwd = workspaceDir();
    // Recorded by the test itself (plain node --cpu-prof), not through Hotpath.
    execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', tmp, '--cpu-prof-name', 'main.cpuprofile', 'main.js'], { cwd, env: { ...process.env, NODE_OPTIONS: '' } });
    const result = await vscode.commands.executeCommand<CommandResult>('hotpath.openProfile', path.join(tmp, 'main.cpuprofile'));
    assert.ok(result?.panelId, 'a flame panel was opened');
    const hot = result.topFunctions.find((f) => f.name === 'computePrimes');
    assert.ok(hot, `computePrimes in topFunctions: ${describeTop(result)}`);
    assert.strictEqual(hot.line, lineOf(path.join(cwd, 'main.js'), 'function computePrimes('));
  });
});
