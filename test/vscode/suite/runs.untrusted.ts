// Runs only in the untrusted pass (HOTPATH_VSCODE_ONLY=untrusted). The Profile Runs view lists,
// opens and deletes stored runs (nothing runs), and Profile Again is refused like Profile… is:
// no process starts. The runs are recorded by the test itself (plain node --cpu-prof) and stored
// as run.json, since profiling through Hotpath is refused here: one in the extension's run store,
// one in the workspace's .hotpath/runs (where the CLI stores them), each under its group.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { createRunDir, type RunRecord } from '../../../src/core/history';
import type { RunStore } from '../../../src/extension/runs/runStore';
import type { RunsNode, RunsTree } from '../../../src/extension/runs/runsTree';
import { describeTop, extension, lineOf, processesWith, workspaceDir, type CommandResult } from './lib/helpers';

describe('untrusted workspace: Profile Runs', () => {
  it('lists and opens stored runs of both stores, refuses Profile Again (nothing starts), deletes the runs', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
    const ext = extension();
    if (!ext.isActive) await ext.activate();
    const { runsTree, runs } = ext.exports as { runsTree: RunsTree; runs: RunStore };
    const cwd = workspaceDir();
    const marker = `hotpath-runs-untrusted-${process.pid}-${Date.now()}`;
    // What Profile Again would run were it not refused: writes a file, stays alive 5 s with the marker.
    const command = `node -e "require('fs').writeFileSync('${marker}.txt', 'ran'); setTimeout(() => {}, 5000)" ${marker}`;

    const record = (storeDir: string): string => {
      const { id, dir } = createRunDir(storeDir);
      const started = Date.now();
      execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', 'main.cpuprofile', 'main.js'], { cwd, env: { ...process.env, NODE_OPTIONS: '' } });
      const wallMs = Date.now() - started;
      const rec: RunRecord = {
        version: 1, id, command, cwd, nodeVersion: process.version, startedAt: new Date(started).toISOString(), wallMs, exitCode: 0, signal: null,
        capture: { cpu: true, heap: false, imports: false }, engine: 'inspector', timedOut: false, cancelled: false, notes: [],
        processes: [{ pid: 1, ppid: 0, threadId: 0, commandLine: `${process.execPath} main.js`, argv: [process.execPath, 'main.js'], cwd, nodeVersion: process.version, wallMs, ending: 'exit', cpuProfile: 'main.cpuprofile' }],
      };
      fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(rec));
      return dir;
    };
    const cliStore = path.join(cwd, '.hotpath', 'runs');
    const dirs = [record(runs.storeDir), record(cliStore)];
    try {
      await vscode.commands.executeCommand('hotpath.runs.refresh');
      const top = runsTree.getChildren() as RunsNode[];
      assert.deepStrictEqual(top.map((n) => (n.kind === 'group' ? n.label : n.kind)), ['VS Code', 'CLI: .hotpath/runs'], 'one group per store');

      for (const [i, dir] of dirs.entries()) {
        const node = (runsTree.getChildren(top[i]) as RunsNode[]).find((n) => n.kind === 'run' && n.dir === dir);
        assert.ok(node && node.kind === 'run', `the view lists the stored run ${dir}`);
        const opened = await vscode.commands.executeCommand<CommandResult>('hotpath.runs.open', node);
        assert.ok(opened?.panelId, 'its flame panel opened');
        const hot = opened.topFunctions.find((f) => f.name === 'computePrimes');
        assert.ok(hot, describeTop(opened));
        assert.strictEqual(hot.line, lineOf(path.join(cwd, 'main.js'), 'function computePrimes('));

        let sawProcess = false;
        const watch = setInterval(() => { if (processesWith(marker).some((p) => p.cmdline.includes('node'))) sawProcess = true; }, 50);
        try {
          assert.strictEqual(await vscode.commands.executeCommand('hotpath.runs.profileAgain', node), undefined, 'refused');
          await new Promise((r) => setTimeout(r, 1500)); // time for a wrongly started process to show
        } finally {
          clearInterval(watch);
        }
        assert.strictEqual(sawProcess, false, 'no process with the marker ran');
        assert.strictEqual(fs.existsSync(path.join(cwd, `${marker}.txt`)), false, 'the command did not run');
      }

      const deleted = await vscode.commands.executeCommand<string[]>('hotpath.runs.delete', { dirs, confirmed: true });
      assert.deepStrictEqual([...deleted].sort(), [...dirs].sort());
      for (const dir of dirs) assert.strictEqual(fs.existsSync(dir), false);
      assert.ok(!runsTree.runs().some((n) => dirs.includes(n.dir)));
    } finally {
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
      // The workspace had no .hotpath before this test: leave none (other tests look at it).
      for (const d of [cliStore, path.dirname(cliStore)]) if (fs.existsSync(d) && !fs.readdirSync(d).length) fs.rmdirSync(d);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
