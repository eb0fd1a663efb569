// The "Profile Runs" view: stored runs newest first (runsModel.ts decides what each shows), their
// processes as children, and one item for damaged folders; with runs in more than one store (the
// extension's and a workspace folder's .hotpath/runs), one group per store. Refreshes when the
// store changes (registerRuns.ts also watches the stores' folders).
import * as vscode from 'vscode';
import type { ListResult } from '../../core/history';
import { Commands } from '../contributions';
import type { RunStore } from './runStore';
import { runEntriesOf, runsViewTree, type DamagedEntry, type GroupEntry, type ProcessEntry, type RunEntry, type RunsViewEntry } from './runsModel';
import { listStore } from './runStores';

export type RunsNode = RunsViewEntry | { kind: 'process'; run: RunEntry; process: ProcessEntry };

const ICONS: Record<RunEntry['outcome'], vscode.ThemeIcon> = {
  ok: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  cancelled: new vscode.ThemeIcon('circle-slash'),
};

export class RunsTree implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subs: vscode.Disposable[] = [];
  private loggedWarnings = new Set<string>();

  constructor(private readonly store: RunStore, private readonly output: vscode.OutputChannel) {
    this.subs.push(store.onDidChangeRuns(() => this.refresh()));
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** The runs as listed now (every store, in view order: each store newest first), without the damaged-folders entries. */
  runs(): RunEntry[] {
    return runEntriesOf(this.entries());
  }

  /** The view's top level: runs (one store with runs) or one group per store with runs. */
  groups(): GroupEntry[] {
    return this.entries().filter((e): e is GroupEntry => e.kind === 'group');
  }

  private entries(): RunsViewEntry[] {
    const lists = this.store.stores().map((store) => {
      let list: ListResult;
      try {
        list = listStore(store);
      } catch (err) {
        // One unreadable store (permissions) must not hide the others' runs.
        list = { runs: [], warnings: [`${store.dir} cannot be read: ${err instanceof Error ? err.message : String(err)}`] };
      }
      return { store, list };
    });
    // Each skipped folder is logged once, so the reasons are in the output channel too.
    for (const w of lists.flatMap((l) => l.list.warnings)) {
      if (this.loggedWarnings.has(w)) continue;
      this.loggedWarnings.add(w);
      this.output.appendLine(`Profile Runs: ${w}`);
    }
    return runsViewTree(lists);
  }

  getChildren(node?: RunsNode): RunsNode[] {
    if (!node) {
      try {
        return this.entries();
      } catch (err) {
        // Never throw into the view: say what went wrong as its one item.
        const message = err instanceof Error ? err.message : String(err);
        const damaged: DamagedEntry = { kind: 'damaged', label: 'The run store cannot be read', tooltip: message, warnings: [message] };
        return [damaged];
      }
    }
    if (node.kind === 'run') return node.processes.map((p) => ({ kind: 'process', run: node, process: p }));
    if (node.kind === 'group') return node.children;
    return [];
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'run': {
        const item = new vscode.TreeItem(node.label, node.processes.length ? C.Collapsed : C.None);
        item.id = node.dir;
        item.description = node.description;
        item.tooltip = new vscode.MarkdownString(node.tooltip);
        item.iconPath = ICONS[node.outcome];
        item.contextValue = 'hotpath.run';
        item.command = { title: 'Open Run', command: Commands.openRun, arguments: [node] };
        item.accessibilityInformation = { label: `${node.label}, ${node.outcome === 'ok' ? 'succeeded' : node.outcome}, ${node.description}` };
        return item;
      }
      case 'process': {
        const item = new vscode.TreeItem(node.process.label, C.None);
        item.id = `${node.run.dir}#${node.process.label}`;
        item.description = node.process.description;
        item.tooltip = node.process.tooltip;
        item.iconPath = new vscode.ThemeIcon('server-process');
        item.contextValue = 'hotpath.runProcess';
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(node.label, C.Expanded);
        item.id = `store:${node.store.dir}`;
        item.description = node.description;
        item.tooltip = new vscode.MarkdownString(node.tooltip);
        item.iconPath = new vscode.ThemeIcon(node.store.kind === 'extension' ? 'vscode' : 'terminal');
        item.contextValue = 'hotpath.runsGroup';
        item.accessibilityInformation = { label: `${node.label}, ${node.description}` };
        return item;
      }
      case 'damaged': {
        const item = new vscode.TreeItem(node.label, C.None);
        item.tooltip = new vscode.MarkdownString(node.tooltip);
        item.iconPath = new vscode.ThemeIcon('warning');
        item.contextValue = 'hotpath.runsDamaged';
        return item;
      }
    }
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.changed.dispose();
  }
}
