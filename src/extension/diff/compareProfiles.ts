// "Hotpath: Compare Profiles…": diffs two profiles (stored runs or profile files) and shows the
// result in a panel: totals, the noise label, and a sortable, filterable table of functions and
// modules; a row opens its source. Reads files only, so it works in untrusted workspaces too.
//
// Arguments (other commands and tests): (before?: string | Uri | string[], after?: same), where a
// string is a run folder (the extension's run store or a `hotpath profile --out` folder) or a
// profile file; a list gives several runs per side. Without arguments: quick picks.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunRecord } from '../../core/history';
import { diffProfiles, DiffError, type DiffKind, type ProfileDiff } from '../../core/profile/diff';
import { readRunFolder, ProfileInputError } from '../../core/profile/diffInput';
import type { ProfileModel } from '../../core/profile/types';
import type { FlameGraphData } from '../../protocol/flame';
import { parseFromDiff, isDiffPageState, isDiffSource, type DiffPageState, type DiffSource, type ToDiffMessage } from '../../protocol/diff';
import { launcherNotes, proofStory } from '../../core/bench';
import { LAUNCHER_NOTE_PREFIX } from '../../core/profile/open';
import { isLauncher } from '../../core/runner/launchers';
import { Settings, Views } from '../contributions';
import { setting } from '../services';
import { openSource } from '../panels/openSource';
import { setPanelPage, webviewOptions } from '../panels/flamePage';
import { fromFile, fromRun } from '../runs/profileSource';
import { errorMessage, rootFor } from '../runs/reload';
import { storedRuns } from '../runs/runStores';
import type { Services } from '../services';
import { diffView } from './diffModel';
import { panelColumn } from '../panels/column';

/** What the command resolves to (automation and tests). */
export interface CompareProfilesResult {
  panelId: string;
  title: string;
  /** The kind of the first table (cpu when both sides have CPU samples), and every kind shown. */
  kind: DiffKind;
  kinds: DiffKind[];
  method: ProfileDiff['method'];
  noiseLabel: string;
  runs: ProfileDiff['runs'];
  totals: ProfileDiff['totals'];
  /** The story sentence (when the runs' comparison was given and its profiled totals disagree with the verdict). */
  story?: string;
  /** Launcher processes: in the diff, and whether any were left out. */
  launchers: { included: boolean; leftOut: boolean };
  /** Rows the panel's table drew (reported by the page; undefined if it did not answer within 15 s). */
  rendered: number | undefined;
  /** The first table's rows, largest |Δ self| first (at most 100 functions and 50 modules). */
  functions: ProfileDiff['functions'];
  modules: ProfileDiff['modules'];
  notes: string[];
}

const panels = new Map<string, DiffPanel>();

/** Open diff panels (tests and automation read their state). */
export function diffPanels(): { id: string; title: string; rendered: number | undefined; visible: boolean }[] {
  return [...panels.values()].map((p) => ({ id: p.id, title: p.panel.title, rendered: p.rendered, visible: p.panel.visible }));
}

/** Closes every diff panel (when the extension is disposed). */
export function disposePanels(): void {
  for (const p of panels.values()) p.panel.dispose();
  panels.clear();
}

class DiffPanel {
  readonly id = randomBytes(6).toString('hex');
  rendered: number | undefined;
  private ready = false;
  private waiting: ((rows: number | undefined) => void)[] = [];
  private message: ToDiffMessage | undefined;

  constructor(private readonly services: Services, readonly panel: vscode.WebviewPanel) {
    setPanelPage(panel, services.extensionUri, 'diff');
    panels.set(this.id, this);
    const subs: vscode.Disposable[] = [];
    panel.webview.onDidReceiveMessage((raw) => this.onMessage(raw), undefined, subs);
    panel.onDidChangeViewState((e) => { if (!e.webviewPanel.visible) this.ready = false; }, undefined, subs);
    panel.onDidDispose(() => { panels.delete(this.id); for (const s of subs) s.dispose(); }, undefined, subs);
  }

  show(message: ToDiffMessage): void {
    this.message = message;
    this.rendered = undefined;
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  /** Rows the page drew for the last data sent, once it reports them (undefined after `timeoutMs`). */
  whenRendered(timeoutMs: number): Promise<number | undefined> {
    if (this.rendered !== undefined) return Promise.resolve(this.rendered);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      this.waiting.push((rows) => { clearTimeout(timer); resolve(rows); });
    });
  }

  private onMessage(raw: unknown): void {
    const msg = parseFromDiff(raw);
    if (!msg) {
      this.services.output.appendLine('[diff panel] ignored a malformed message');
      return;
    }
    if (msg.type === 'ready') {
      this.ready = true;
      if (this.message) void this.panel.webview.postMessage(this.message);
    } else if (msg.type === 'state') {
      this.rendered = msg.rendered;
      for (const w of this.waiting.splice(0)) w(msg.rendered);
    } else if (msg.type === 'open') {
      // Only files the diff shows may be opened from the page.
      const view = this.message?.type === 'show' ? this.message.view : undefined;
      const known = view?.tables.some((t) => [...t.functions, ...t.modules, ...(t.flame?.frames ?? [])].some((r) => r.path === msg.path));
      if (known) void openSource(msg.path, msg.line, 0, this.panel.viewColumn);
    } else if (msg.type === 'launchers') {
      const source = this.message?.type === 'show' ? this.message.state?.source : undefined;
      if (source) void run(this.services, { ...source, includeLaunchers: msg.include }, this.panel);
    } else {
      this.services.output.appendLine(`[diff panel] ${msg.message}`);
    }
  }
}

type Side = { label: string; load(root: string): Promise<{ model: ProfileModel; graphs: FlameGraphData[] }>; ref: string; record?: RunRecord };

/** One input: a run folder (stored run or --out folder) or a profile file. */
function sideOf(input: string, launchers: 'include' | 'exclude'): Side {
  const abs = path.resolve(input);
  if (!fs.existsSync(abs)) throw new ProfileInputError(`${abs} does not exist (give a run folder or a profile file).`);
  if (fs.statSync(abs).isDirectory()) {
    const { result, record } = readRunFolder(abs);
    const label = record ? runLabel(record) : path.basename(abs);
    return { label, ref: abs, record, load: (root) => fromRun(result, abs, root, label, undefined, launchers) };
  }
  return { label: path.basename(abs), ref: abs, load: (root) => fromFile(abs, root) };
}

function runLabel(r: RunRecord): string {
  const when = new Date(r.startedAt);
  const time = Number.isNaN(when.getTime()) ? r.startedAt : when.toLocaleString();
  return `${r.command} (${time}${r.git ? `, ${r.git.commit.slice(0, 7)}${r.git.dirty ? '*' : ''}` : ''})`;
}

function asInputs(arg: unknown): string[] | undefined {
  if (typeof arg === 'string' && arg) return [arg];
  if (arg instanceof vscode.Uri) return [arg.fsPath];
  if (Array.isArray(arg) && arg.length && arg.every((a) => (typeof a === 'string' && a) || a instanceof vscode.Uri)) return arg.map((a) => (a instanceof vscode.Uri ? a.fsPath : a));
  return undefined;
}

async function pick(services: Services, which: 'before' | 'after', exclude?: string): Promise<string | undefined> {
  type Item = vscode.QuickPickItem & { dir?: string; file?: boolean };
  // The stores the Profile Runs view lists (runs/runStores.ts): the extension's and the folders' .hotpath/runs.
  const items: Item[] = storedRuns(services.runs.stores()).filter((r) => r.dir !== exclude).map(({ record, dir, store }) => {
    const when = new Date(record.startedAt);
    const kinds = [record.capture?.cpu && 'CPU', record.capture?.heap && 'heap'].filter(Boolean).join(' + ');
    return {
      label: record.command,
      description: `${Number.isNaN(when.getTime()) ? record.startedAt : when.toLocaleString()}${record.git ? ` · ${record.git.commit.slice(0, 7)}${record.git.dirty ? '*' : ''}` : ''}`,
      detail: `${kinds || 'no CPU/heap'} · ${Math.round(record.wallMs)} ms wall · ${record.id} · ${store.label}`,
      dir,
    };
  });
  items.push({ label: '$(file) Open a profile file…', file: true, alwaysShow: true });
  const chosen = await vscode.window.showQuickPick(items, {
    title: `Hotpath: Compare Profiles (${which === 'before' ? '1/2: before' : '2/2: after'})`,
    placeHolder: which === 'before' ? 'The profile before the change (stored runs, newest first)' : 'The profile after the change',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!chosen) return undefined;
  if (chosen.dir) return chosen.dir;
  const files = await vscode.window.showOpenDialog({
    canSelectMany: false, openLabel: `Use as ${which}`, title: `Hotpath: profile ${which} the change`,
    filters: { 'Profiles': ['cpuprofile', 'heapprofile', 'json'], 'All files': ['*'] },
  });
  return files?.[0]?.fsPath;
}

/** The third argument of hotpath.compareProfiles: the timed comparison (story sentence) and the launchers switch. */
function optionsOf(arg: unknown): Pick<DiffSource, 'timed' | 'includeLaunchers'> {
  const o = typeof arg === 'object' && arg !== null ? arg as Record<string, unknown> : {};
  const probe = { before: ['x'], after: ['x'], root: '', ...(o.timed !== undefined ? { timed: o.timed } : {}), ...(typeof o.includeLaunchers === 'boolean' ? { includeLaunchers: o.includeLaunchers } : {}) };
  return isDiffSource(probe) ? { ...(probe.timed ? { timed: probe.timed } : {}), ...(probe.includeLaunchers !== undefined ? { includeLaunchers: probe.includeLaunchers } : {}) } : {};
}

export async function compare(services: Services, beforeArg: unknown, afterArg: unknown, optionsArg?: unknown): Promise<CompareProfilesResult | undefined> {
  let before = asInputs(beforeArg);
  let after = asInputs(afterArg);
  if (!before) {
    const b = await pick(services, 'before');
    if (!b) return undefined;
    before = [b];
  }
  if (!after) {
    const a = await pick(services, 'after', before[0]);
    if (!a) return undefined;
    after = [a];
  }
  const root = rootFor(after[0]);
  return run(services, { before, after, root, ...optionsOf(optionsArg) }, undefined);
}

async function computeView(source: DiffSource): Promise<{ diffs: ProfileDiff[]; beforeLabel: string; afterLabel: string; afterGraphs: FlameGraphData[]; story?: string; launchers: { included: boolean; leftOut: boolean } }> {
  const include = source.includeLaunchers ?? setting<boolean>(Settings.diffIncludeLaunchers, vscode.Uri.file(source.root)) ?? false;
  const launchers = include ? 'include' : 'exclude';
  const bs = source.before.map((s) => sideOf(s, launchers));
  const as = source.after.map((s) => sideOf(s, launchers));
  const load = (sides: Side[]) => Promise.all(sides.map((s) => s.load(source.root)));
  const [bl, al] = await Promise.all([load(bs), load(as)]);
  const bm = bl.map((x) => x.model);
  const am = al.map((x) => x.model);
  const sources = { before: source.before, after: source.after };
  const first = diffProfiles(bm, am, { sources });
  first.notes = launcherNotes(first.notes);
  const diffs = [first];
  const other: DiffKind = first.kind === 'cpu' ? 'heap' : 'cpu';
  // The other kind too, when both sides hold it (a run with CPU and heap).
  if (first.totals[other]) diffs.push(diffProfiles(bm, am, { kind: other, sources }));
  const label = (sides: Side[]) => (sides.length === 1 ? sides[0].label : `${sides.length} runs: ${sides.map((s) => s.label).join(', ')}`);
  // The same sentence as the prove panel and `hotpath compare --profile` (core/bench/story.ts).
  const loads = (sides: Side[]) => sides.map((s) => s.record?.comparison?.loadAverage).filter((x): x is number => x !== undefined);
  const story = source.timed && first.kind === 'cpu' ? proofStory(source.timed, first, { before: loads(bs), after: loads(as) }).sentence : undefined;
  // Whether a launcher was left out (the switch matters) or is in (it can be taken out again).
  const leftOut = include ? [...bs, ...as].some((s) => s.record?.processes.some((p) => p.threadId === 0 && isLauncher(p.argv))) : first.notes.some((n) => n.startsWith(LAUNCHER_NOTE_PREFIX));
  // The differential flame graph shows the after side's first run.
  return { diffs, beforeLabel: label(bs), afterLabel: label(as), afterGraphs: al[0].graphs, ...(story ? { story } : {}), launchers: { included: include, leftOut } };
}

async function run(services: Services, source: DiffSource, panel: vscode.WebviewPanel | undefined): Promise<CompareProfilesResult | undefined> {
  let computed: Awaited<ReturnType<typeof computeView>>;
  try {
    computed = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Hotpath: comparing profiles' },
      () => computeView(source),
    );
  } catch (err) {
    const known = err instanceof ProfileInputError || err instanceof DiffError || (err instanceof Error && /Profile(Load)?Error/.test(err.name));
    services.output.appendLine(`Compare profiles ${source.before.join(', ')} -> ${source.after.join(', ')}: ${errorMessage(err)}`);
    if (panel) void panel.webview.postMessage({ type: 'error', message: `The profiles could not be compared again: ${errorMessage(err)}` } satisfies ToDiffMessage);
    void vscode.window.showErrorMessage(`Hotpath cannot compare these profiles: ${errorMessage(err)}${known ? '' : ' (see the Hotpath output)'}`);
    return undefined;
  }
  const { diffs, beforeLabel, afterLabel, afterGraphs, story, launchers } = computed;
  const title = `Hotpath Diff: ${shortLabel(source.before)} → ${shortLabel(source.after)}`;
  const host = panel ? [...panels.values()].find((p) => p.panel === panel) ?? new DiffPanel(services, panel)
    : new DiffPanel(services, vscode.window.createWebviewPanel(Views.diffPanel, title, panelColumn(), webviewOptions(services.extensionUri)));
  const state: DiffPageState = { kind: diffs[0].kind, table: 'functions', sort: { key: 'deltaSelf', desc: true }, filter: '', source };
  host.show({ type: 'show', view: { ...diffView(title, beforeLabel, afterLabel, diffs, undefined, afterGraphs), ...(story ? { story } : {}), launchers }, state });
  const d = diffs[0];
  const rendered = await host.whenRendered(15_000);
  return {
    panelId: host.id, title: host.panel.title, rendered, kind: d.kind, kinds: diffs.map((x) => x.kind), method: d.method, noiseLabel: d.noiseLabel, runs: d.runs,
    totals: d.totals, functions: d.functions.slice(0, 100), modules: d.modules.slice(0, 50), notes: d.notes, ...(story ? { story } : {}), launchers,
  };
}

function shortLabel(inputs: string[]): string {
  const one = (p: string) => {
    const base = path.basename(p);
    // Stored run folders are named <ISO time>-<random>: the time part is enough.
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})/.exec(base);
    return m ? `${m[1]} ${m[2]}:${m[3]}:${m[4]}` : base;
  };
  return inputs.length === 1 ? one(inputs[0]) : `${inputs.length} runs`;
}

export async function restore(services: Services, panel: vscode.WebviewPanel, state: unknown): Promise<void> {
  const host = new DiffPanel(services, panel);
  if (!isDiffPageState(state) || !state.source) {
    host.show({ type: 'error', message: 'Hotpath no longer knows which profiles this panel compared. Run "Hotpath: Compare Profiles…" again.' });
    return;
  }
  await run(services, state.source, panel);
}
