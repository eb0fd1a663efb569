// Open flame panels (several at once, one per run) and what each needs to come back after a
// window reload. VS Code restores a panel's title but only the webview's own state, so the
// source of each panel is also remembered here, keyed by its title.
import * as vscode from 'vscode';
import type { FlameViewState } from '../../protocol/flame';
import type { ProfileRef } from '../runs/profileSource';
import type { FlamePanel } from './flamePanel';

export interface PanelRecord {
  ref: ProfileRef;
  title: string;
  root: string;
  viewState?: FlameViewState;
}

const RECORDS_KEY = 'hotpath.panels';
/** Enough for any realistic set of open panels; older records are dropped. */
const MAX_RECORDS = 50;

export class PanelRegistry implements vscode.Disposable {
  private readonly open = new Map<string, FlamePanel>();
  private lastActive: string | undefined;
  private counter = 0;

  constructor(private readonly memento: vscode.Memento) {}

  nextId(): string {
    return `hotpath-flame-${Date.now().toString(36)}-${++this.counter}`;
  }

  add(panel: FlamePanel): void {
    this.open.set(panel.id, panel);
    this.lastActive = panel.id;
  }

  remove(id: string): void {
    this.open.delete(id);
    if (this.lastActive === id) this.lastActive = [...this.open.keys()].pop();
  }

  markActive(id: string): void {
    if (this.open.has(id)) this.lastActive = id;
  }

  get(id: string): FlamePanel | undefined {
    return this.open.get(id);
  }

  /** The panel the user looked at last, for "reveal in flame graph" links. */
  latest(): FlamePanel | undefined {
    return this.lastActive ? this.open.get(this.lastActive) : undefined;
  }

  all(): FlamePanel[] {
    return [...this.open.values()];
  }

  record(title: string): PanelRecord | undefined {
    return this.records()[title];
  }

  async saveRecord(record: PanelRecord): Promise<void> {
    const records = this.records();
    delete records[record.title];
    records[record.title] = record;
    const keys = Object.keys(records);
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_RECORDS))) delete records[old];
    await this.memento.update(RECORDS_KEY, records);
  }

  async deleteRecord(title: string): Promise<void> {
    const records = this.records();
    if (!(title in records)) return;
    delete records[title];
    await this.memento.update(RECORDS_KEY, records);
  }

  private records(): Record<string, PanelRecord> {
    return { ...this.memento.get<Record<string, PanelRecord>>(RECORDS_KEY, {}) };
  }

  // Panels are not closed here: on a window reload they must survive to be restored.
  dispose(): void {
    this.open.clear();
  }
}
