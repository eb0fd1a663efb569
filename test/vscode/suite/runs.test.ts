// The "Profile Runs" view in a real VS Code: after "Hotpath: Profile…" on the fixture, the view's
// data provider lists the run (newest first, with its processes); its item opens the run's flame
// panel; Compare with… hands both folders (older first) to hotpath.compareProfiles; Profile Again
// runs the same command; damaged folders become one item; Delete removes the folder.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunStore } from '../../../src/extension/runs/runStore';
import type { RunsNode, RunsTree } from '../../../src/extension/runs/runsTree';
import { describeTop, extension, waitFor, workspaceDir, type CommandResult } from './lib/helpers';

type RunNode = Extract<RunsNode, { kind: 'run' }>;

async function api(): Promise<{ runsTree: RunsTree; runs: RunStore }> {
  const ext = extension();
  if (!ext.isActive) await ext.activate();
  const exports = ext.exports as { runsTree?: RunsTree; runs?: RunStore };
  assert.ok(exports.runsTree && exports.runs, 'activate returns the runs view provider and the run store');
  return exports as { runsTree: RunsTree; runs: RunStore };
}

function runNodes(tree: RunsTree): RunNode[] {
  return (tree.getChildren() as RunsNode[]).filter((n): n is RunNode => n.kind === 'run');
}

async function closeAllPanels(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('Profile Runs view', function () {
  this.timeout(240_000);
  let first: RunNode;

  it('lists a run right after hotpath.profile saved it, newest first, with its processes', async () => {
    const { runsTree } = await api();
    let changes = 0;
    const sub = runsTree.onDidChangeTreeData(() => changes++);
    const before = new Set(runNodes(runsTree).map((n) => n.dir));
    const result = await vscode.commands.executeCommand<CommandResult>('hotpath.profile', { command: 'node main.js', cwd: workspaceDir() });
    sub.dispose();
    assert.ok(result?.panelId, 'profiled');
    assert.ok(changes >= 1, 'the view was told to refresh when the run was saved');
    const nodes = runNodes(runsTree);
    first = nodes[0];
    assert.ok(!before.has(first.dir), 'the newest item is the new run');
    assert.strictEqual(first.label, 'node main.js');
    assert.ok(fs.existsSync(path.join(first.dir, 'run.json')), first.dir);
    const item = runsTree.getTreeItem(first);
    assert.strictEqual(item.label, 'node main.js');
    assert.match(String(item.description), /^(just now|\d+ s ago) · \d+ ms/);
    assert.strictEqual(item.contextValue, 'hotpath.run');
    assert.strictEqual(first.outcome, 'ok');
    assert.ok(item.tooltip instanceof vscode.MarkdownString && item.tooltip.value.includes('**Engine:** inspector'));
    assert.strictEqual(item.command?.command, 'hotpath.runs.open');
    const children = runsTree.getChildren(first) as RunsNode[];
    assert.strictEqual(children.length, result.processes);
    const child = children[0];
    assert.ok(child.kind === 'process' && /^pid \d+$/.test(child.process.label) && child.process.description.includes('main.js'), JSON.stringify(child));
  });

  it('clicking the item opens the run in a new flame panel', async () => {
    const { runsTree } = await api();
    await closeAllPanels();
    const item = runsTree.getTreeItem(first);
    const opened = await vscode.commands.executeCommand<CommandResult>(item.command!.command, ...(item.command!.arguments ?? []));
    assert.ok(opened?.panelId, 'a flame panel was opened');
    assert.ok(opened.topFunctions.some((f) => f.name === 'computePrimes'), describeTop(opened));
    const again = await vscode.commands.executeCommand<CommandResult>('hotpath.runs.open', first.dir);
    assert.strictEqual(again?.panelId, opened.panelId, 'opening it again reveals the same panel');
    await closeAllPanels();
  });

  it('Compare with… passes both run folders, the older first, to hotpath.compareProfiles', async () => {
    const { runsTree } = await api();
    const second = await vscode.commands.executeCommand<CommandResult>('hotpath.runs.profileAgain', first);
    assert.ok(second?.panelId, 'Profile Again profiled the same command');
    const nodes = runNodes(runsTree);
    const newest = nodes[0];
    assert.notStrictEqual(newest.dir, first.dir);
    assert.strictEqual(newest.label, first.label);
    assert.strictEqual(newest.record.cwd, first.record.cwd);
    const calls: unknown[][] = [];
    const exists = (await vscode.commands.getCommands(true)).includes('hotpath.compareProfiles');
    // Stand-in while the real command is not built yet; with it, only check the call returns.
    const stub = exists ? undefined : vscode.commands.registerCommand('hotpath.compareProfiles', (...args: unknown[]) => { calls.push(args); return 'compared'; });
    try {
      const r = await vscode.commands.executeCommand('hotpath.runs.compareWith', newest, first.dir);
      if (!stub) {
        // The real command opens a diff panel titled "Hotpath Diff: <before> → <after>" (run start times).
        const time = (dir: string) => /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})/.exec(path.basename(dir))!.slice(1).join(':').replace(/^(\d{4}-\d{2}-\d{2}):/, '$1 ');
        const result = r as { panelId?: string; title?: string } | undefined;
        assert.ok(result?.panelId, `hotpath.compareProfiles opened a panel: ${JSON.stringify(result)?.slice(0, 300)}`);
        assert.strictEqual(result.title, `Hotpath Diff: ${time(first.dir)} → ${time(newest.dir)}`, 'older run first');
      }
      if (stub) {
        assert.strictEqual(r, 'compared');
        assert.deepStrictEqual(calls, [[first.dir, newest.dir]], 'older run first');
        // Two runs selected in the view (the menu passes the clicked node and the selection).
        const firstNode = runNodes(runsTree).find((n) => n.dir === first.dir)!;
        await vscode.commands.executeCommand('hotpath.runs.compareWith', firstNode, [newest, firstNode]);
        assert.deepStrictEqual(calls[1], [first.dir, newest.dir], 'the two selected runs, older first');
      }
    } finally {
      stub?.dispose();
    }
    if (stub) {
      const r = await vscode.commands.executeCommand('hotpath.runs.compareWith', newest, first.dir);
      assert.strictEqual(r, undefined, 'without hotpath.compareProfiles nothing is called and nothing throws');
    }
    await closeAllPanels();
  });

  it('shows damaged run folders as one item and never throws', async () => {
    const { runsTree, runs } = await api();
    const broken = path.join(runs.storeDir, '0000-damaged-by-test');
    let changes = 0;
    const sub = runsTree.onDidChangeTreeData(() => changes++);
    fs.mkdirSync(broken, { recursive: true });
    fs.writeFileSync(path.join(broken, 'run.json'), '{"version":1,"id":');
    try {
      // Written outside Hotpath's commands (as another window would): the store is watched.
      await waitFor('the view to refresh after a run.json appeared in the store', () => changes > 0, 15_000).finally(() => sub.dispose());
      const all = runsTree.getChildren() as RunsNode[];
      const last = all[all.length - 1];
      assert.ok(last.kind === 'damaged', JSON.stringify(last));
      assert.match(last.label, /^1 damaged or unfinished run skipped$/);
      assert.match(last.tooltip, /0000-damaged-by-test/);
      assert.strictEqual(runsTree.getTreeItem(last).contextValue, 'hotpath.runsDamaged');
    } finally {
      fs.rmSync(broken, { recursive: true, force: true });
    }
  });

  it('Delete Run removes the folder and the item; Delete All empties the view', async () => {
    const { runsTree } = await api();
    let changes = 0;
    const sub = runsTree.onDidChangeTreeData(() => changes++);
    const deleted = await vscode.commands.executeCommand<string[]>('hotpath.runs.delete', { dirs: [first.dir], confirmed: true });
    assert.deepStrictEqual(deleted, [first.dir]);
    assert.ok(!fs.existsSync(first.dir), 'the run folder is gone');
    assert.ok(changes >= 1, 'the view refreshed');
    assert.ok(!runNodes(runsTree).some((n) => n.dir === first.dir), 'and no longer lists it');
    const left = runNodes(runsTree).map((n) => n.dir);
    assert.ok(left.length >= 1);
    const all = await vscode.commands.executeCommand<string[]>('hotpath.runs.deleteAll', { confirmed: true });
    sub.dispose();
    assert.deepStrictEqual([...all].sort(), [...left].sort());
    for (const d of left) assert.ok(!fs.existsSync(d), d);
    assert.deepStrictEqual(runsTree.getChildren(), [], 'empty: the welcome view with "Profile…" shows');
  });
});
