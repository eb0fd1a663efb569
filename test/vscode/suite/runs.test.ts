// The "Profile Runs" view in a real VS Code: after "Hotpath: Profile…" on the fixture, the view's
// data provider lists the run (newest first, with its processes); its item opens the run's flame
// panel; Compare with… hands both folders (older first) to hotpath.compareProfiles; Profile Again
// runs the same command; damaged folders become one item; Delete removes the folder. A run the
// CLI records into the workspace's .hotpath/runs shows up (the folder is watched) under its own
// group next to the extension's runs, opens, compares with an extension run, and is deleted.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunStore } from '../../../src/extension/runs/runStore';
import type { RunsNode, RunsTree } from '../../../src/extension/runs/runsTree';
import { describeTop, extension, waitFor, workspaceDir, type CommandResult } from './lib/helpers';

type RunNode = Extract<RunsNode, { kind: 'run' }>;
type GroupNode = Extract<RunsNode, { kind: 'group' }>;

async function api(): Promise<{ runsTree: RunsTree; runs: RunStore }> {
  const ext = extension();
  if (!ext.isActive) await ext.activate();
  const exports = ext.exports as { runsTree?: RunsTree; runs?: RunStore };
  assert.ok(exports.runsTree && exports.runs, 'activate returns the runs view provider and the run store');
  return exports as { runsTree: RunsTree; runs: RunStore };
}

/** The extension's runs (top level, or its group's children when another store has runs too). */
function runNodes(tree: RunsTree): RunNode[] {
  const top = tree.getChildren() as RunsNode[];
  const group = top.find((n): n is GroupNode => n.kind === 'group' && n.store.kind === 'extension');
  return (group ? (tree.getChildren(group) as RunsNode[]) : top).filter((n): n is RunNode => n.kind === 'run' && n.store?.kind !== 'workspace');
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

  it('a run the CLI stored in the workspace\'s .hotpath/runs: its own group (watched), opens, Compare with… an extension run, Delete', async () => {
    const { runsTree } = await api();
    const ws = workspaceDir();
    const store = path.join(ws, '.hotpath', 'runs');
    const cli = path.join(extension().extensionPath, 'dist', 'cli.js');
    // No store yet is the hard case for watchers (the CLI makes .hotpath/runs and the run folder at once).
    if (fs.existsSync(store) && !fs.readdirSync(store).length) fs.rmdirSync(store);
    const had = new Set(fs.existsSync(store) ? fs.readdirSync(store) : []);
    const extRuns = runNodes(runsTree);
    assert.ok(extRuns.length >= 2, 'the runs of the tests above');
    let changes = 0;
    const sub = runsTree.onDidChangeTreeData(() => changes++);
    execFileSync(process.execPath, [cli, 'profile', '--cpu', '--', process.execPath, 'main.js'], { cwd: ws, env: { ...process.env, NODE_OPTIONS: '' }, stdio: 'ignore', timeout: 120_000 });
    const mine = fs.readdirSync(store).filter((id) => !had.has(id));
    try {
      assert.strictEqual(mine.length, 1, 'hotpath profile stored one run');
      const dir = path.join(store, mine[0]);
      // Written by another process, not through the extension: only the watcher can tell the view.
      await waitFor('the view to refresh after the CLI stored a run in .hotpath/runs', () => changes > 0, 15_000).finally(() => sub.dispose());
      const top = runsTree.getChildren() as RunsNode[];
      assert.ok(top.every((n) => n.kind === 'group'), `two stores with runs: groups at the top: ${top.map((n) => n.kind)}`);
      const groups = top as GroupNode[];
      const cliRuns = fs.readdirSync(store).filter((id) => fs.existsSync(path.join(store, id, 'run.json'))).length;
      assert.deepStrictEqual(groups.map((g) => g.label), ['VS Code', 'CLI: .hotpath/runs']);
      assert.strictEqual(groups[0].description, `${extRuns.length} runs`);
      assert.strictEqual(groups[1].description, `${cliRuns} run${cliRuns === 1 ? '' : 's'}`);
      const groupItem = runsTree.getTreeItem(groups[1]);
      assert.strictEqual(groupItem.contextValue, 'hotpath.runsGroup');
      assert.strictEqual(groupItem.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
      const children = runsTree.getChildren(groups[1]) as RunsNode[];
      const node = children.find((n): n is RunNode => n.kind === 'run' && n.dir === dir);
      assert.ok(node, `the CLI run is in its group: ${children.map((c) => c.kind === 'run' ? c.dir : c.kind)}`);
      assert.strictEqual((children[0] as RunNode).dir, dir, 'newest first');
      assert.deepStrictEqual((runsTree.getChildren(groups[0]) as RunNode[]).map((n) => n.dir), extRuns.map((n) => n.dir), 'the extension\'s runs in their group, as before');
      assert.match(node.label, /main\.js/);
      assert.ok(runsTree.getTreeItem(node).tooltip instanceof vscode.MarkdownString);

      await closeAllPanels();
      const item = runsTree.getTreeItem(node);
      const opened = await vscode.commands.executeCommand<CommandResult>(item.command!.command, ...(item.command!.arguments ?? []));
      assert.ok(opened?.panelId, 'the CLI run opened in a flame panel');
      assert.ok(opened.topFunctions.some((f) => f.name === 'computePrimes'), describeTop(opened));

      // Compare with… across stores: the extension's newest run (older) is "before".
      const ext = extRuns[0];
      const r = await vscode.commands.executeCommand<{ panelId?: string; title?: string; functions?: { name: string }[] } | undefined>('hotpath.runs.compareWith', node, ext.dir);
      const time = (d: string) => /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})/.exec(path.basename(d))!.slice(1).join(':').replace(/^(\d{4}-\d{2}-\d{2}):/, '$1 ');
      assert.ok(r?.panelId, `a diff panel opened: ${JSON.stringify(r)?.slice(0, 300)}`);
      assert.strictEqual(r.title, `Hotpath Diff: ${time(ext.dir)} → ${time(dir)}`, 'the older (extension) run first');
      assert.ok(r.functions?.some((f) => f.name === 'computePrimes'), 'both profiles of main.js were diffed');
      await closeAllPanels();

      const deleted = await vscode.commands.executeCommand<string[]>('hotpath.runs.delete', { dirs: [dir], confirmed: true });
      assert.deepStrictEqual(deleted, [dir]);
      assert.strictEqual(fs.existsSync(dir), false, 'Delete removed the CLI run folder');
      const after = runsTree.getChildren() as RunsNode[];
      if (cliRuns === 1) assert.ok(after.every((n) => n.kind === 'run'), 'one store with runs again: a flat list');
      assert.ok(!runsTree.runs().some((n) => n.dir === dir));
    } finally {
      sub.dispose();
      for (const id of mine) fs.rmSync(path.join(store, id), { recursive: true, force: true });
    }
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
