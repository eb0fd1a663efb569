// The "Optimization Potential" tree: ranked modules (score, risk) -> factors (score,
// measured/estimated) and recommended patterns -> evidence and sites (click opens file:line).
import * as vscode from 'vscode';
import type { Factor, FactorName, ModuleRank, Pattern, Risk, Skipped } from '../../core/rank/types';
import type { RankingModel } from './rankingModel';

export const FACTOR_LABELS: Record<FactorName, string> = {
  startupImpact: 'Startup impact',
  heavyDependencies: 'Heavy dependencies',
  memory: 'Memory',
  initComplexity: 'Initialization',
  cpu: 'CPU',
};

type Node =
  | { kind: 'module'; module: ModuleRank }
  | { kind: 'factor'; module: ModuleRank; name: FactorName; factor: Factor }
  | { kind: 'pattern'; module: ModuleRank; pattern: Pattern }
  | { kind: 'site'; module: ModuleRank; line: number; text: string }
  | { kind: 'skippedGroup'; skipped: Skipped[] }
  | { kind: 'skipped'; skipped: Skipped }
  | { kind: 'empty' };

/** Evidence that names a line ("line 12: ...") becomes a clickable site. */
const LINE_IN_EVIDENCE = /\bline (\d+)\b/;

function openAt(path: string, line: number): vscode.Command {
  const pos = new vscode.Position(Math.max(0, line - 1), 0);
  return { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.file(path), { selection: new vscode.Range(pos, pos) }] };
}

/**
 * A module's icon says the risk of changing it (the score is in the description): a warning only
 * for high risk, never on a low-risk module.
 */
export function riskIcon(risk: Risk): vscode.ThemeIcon {
  if (risk === 'high') return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  if (risk === 'medium') return new vscode.ThemeIcon('info');
  return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
}

export class RankingTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly model: RankingModel) {
    this.sub = model.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      const result = this.model.result;
      if (!result) return [];
      const modules: Node[] = result.modules.map((m) => ({ kind: 'module', module: m }));
      if (result.skipped.length) modules.push({ kind: 'skippedGroup', skipped: result.skipped });
      return modules.length ? modules : [{ kind: 'empty' }];
    }
    switch (node.kind) {
      case 'module': {
        const m = node.module;
        const factors = (Object.keys(FACTOR_LABELS) as FactorName[])
          .map((name): Node => ({ kind: 'factor', module: m, name, factor: m.factors[name] }))
          .sort((a, b) => (b as { factor: Factor }).factor.score - (a as { factor: Factor }).factor.score);
        return [...m.patterns.map((p): Node => ({ kind: 'pattern', module: m, pattern: p })), ...factors];
      }
      case 'factor':
        return node.factor.evidence.map((text) => ({ kind: 'site', module: node.module, line: Number(LINE_IN_EVIDENCE.exec(text)?.[1] ?? 0), text }));
      case 'pattern':
        return node.pattern.sites.map((s) => ({ kind: 'site', module: node.module, line: s.line, text: `line ${s.line}: ${s.detail}` }));
      case 'skippedGroup':
        return node.skipped.map((s) => ({ kind: 'skipped', skipped: s }));
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'module': {
        const m = node.module;
        const item = new vscode.TreeItem(m.file, C.Collapsed);
        const measured = Object.values(m.factors).some((f) => f.measured);
        item.description = `${m.score.toFixed(1)} · ${m.risk} risk${measured ? '' : ' · estimated'}${m.role && m.role !== 'product' ? ` · ${m.role}` : ''}`;
        item.tooltip = new vscode.MarkdownString(`**${m.file}**: score ${m.score.toFixed(1)} / 10, ${m.risk} risk\n\n${m.riskReasons.map((r) => `- ${r}`).join('\n')}`);
        item.resourceUri = vscode.Uri.file(m.path);
        item.iconPath = riskIcon(m.risk);
        item.command = openAt(m.path, 1);
        item.contextValue = 'hotpath.rankedModule';
        return item;
      }
      case 'factor': {
        const f = node.factor;
        const item = new vscode.TreeItem(FACTOR_LABELS[node.name], f.evidence.length ? C.Collapsed : C.None);
        item.description = f.notCaptured ? `not captured (estimate ${f.score.toFixed(1)})` : `${f.score.toFixed(1)} · ${f.measured ? 'measured' : 'estimated'}`;
        item.iconPath = new vscode.ThemeIcon(f.measured ? 'pulse' : 'lightbulb');
        return item;
      }
      case 'pattern': {
        const item = new vscode.TreeItem(`Recommended: ${node.pattern.kind}`, C.Collapsed);
        item.description = `${node.pattern.sites.length} site${node.pattern.sites.length > 1 ? 's' : ''}`;
        item.iconPath = new vscode.ThemeIcon('tools');
        return item;
      }
      case 'site': {
        const item = new vscode.TreeItem(node.text, C.None);
        item.tooltip = node.text;
        if (node.line > 0) item.command = openAt(node.module.path, node.line);
        return item;
      }
      case 'skippedGroup': {
        const item = new vscode.TreeItem(`Skipped (${node.skipped.length})`, C.Collapsed);
        item.iconPath = new vscode.ThemeIcon('circle-slash');
        return item;
      }
      case 'skipped': {
        const item = new vscode.TreeItem(node.skipped.file, C.None);
        item.description = node.skipped.reason;
        item.tooltip = `${node.skipped.file}: ${node.skipped.reason}`;
        return item;
      }
      case 'empty':
        return new vscode.TreeItem('No JavaScript or TypeScript modules found', C.None);
    }
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
