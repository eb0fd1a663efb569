// What the "Profile Runs" view shows, as plain data: one entry per stored run (label, description,
// tooltip Markdown, outcome, processes) and one for the damaged folders of a store; with runs in
// more than one store (the extension's and a workspace folder's .hotpath/runs), one group per
// store. No `vscode` here, so the unit tests check it on real stored runs; runsTree.ts only turns
// entries into TreeItems.
import * as path from 'path';
import { comparisonLabel, describeCapture, formatWall, runEnding, runOutcome, shortCommit, type ListResult, type RunOutcome, type RunRecord } from '../../core/history';
import type { RunStoreRef } from './runStores';

export interface ProcessEntry {
  /** "pid 1234" or "pid 1234 · thread 2". */
  label: string;
  /** "node main.js · 812 ms". */
  description: string;
  tooltip: string;
}

export interface RunEntry {
  kind: 'run';
  id: string;
  /** The run's folder (what Open, Delete and Compare take). */
  dir: string;
  record: RunRecord;
  label: string;
  description: string;
  /** Markdown. */
  tooltip: string;
  outcome: RunOutcome;
  processes: ProcessEntry[];
  /** The store it is in (when the caller named it). */
  store?: RunStoreRef;
}

export interface DamagedEntry {
  kind: 'damaged';
  label: string;
  /** Markdown: one reason per skipped folder. */
  tooltip: string;
  warnings: string[];
}

export interface GroupEntry {
  kind: 'group';
  store: RunStoreRef;
  /** The store's name ("VS Code", "CLI: .hotpath/runs"). */
  label: string;
  /** "3 runs" (and ", 1 damaged" when folders were skipped). */
  description: string;
  /** Markdown: where the store is and who writes it. */
  tooltip: string;
  /** Its runs newest first, then its damaged-folders entry. */
  children: (RunEntry | DamagedEntry)[];
}

export type RunsViewEntry = RunEntry | DamagedEntry | GroupEntry;

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago"; a future time (clock change) says "in the future". */
export function relativeTime(when: Date, now: Date): string {
  const s = Math.round((now.getTime() - when.getTime()) / 1000);
  if (!Number.isFinite(s)) return 'unknown time';
  if (s < -60) return 'in the future';
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** Escapes text for Markdown (command lines hold `*`, `_`, backticks, brackets...). */
export function escapeMarkdown(text: string): string {
  // Inline text only (never a line start): these are the characters that change its meaning.
  return text.replace(/[\\`*_[\]<>|~]/g, '\\$&').replace(/\r?\n/g, ' ');
}

function processEntry(p: RunRecord['processes'][number]): ProcessEntry {
  const thread = p.threadId ? ` · thread ${p.threadId}` : '';
  return {
    label: `pid ${p.pid}${thread}`,
    description: `${p.commandLine} · ${formatWall(p.wallMs)}`,
    tooltip: `pid ${p.pid}${thread} (parent ${p.ppid})\n${p.commandLine}\nwall ${formatWall(p.wallMs)}, ended: ${p.ending}${p.writeMs !== undefined ? `, writing profiles ${Math.round(p.writeMs)} ms` : ''}`,
  };
}

function tooltip(r: RunRecord, started: Date, store?: RunStoreRef): string {
  const line = (k: string, v: string) => `- **${k}:** ${v}`;
  const lines = [
    `**${escapeMarkdown(r.command)}**`,
    '',
    line('Started', escapeMarkdown(started.toLocaleString())),
    line('Folder', escapeMarkdown(r.cwd)),
    line('Wall time', `${formatWall(r.wallMs)} (one measurement, no spread)`),
    line('Ended', escapeMarkdown(runEnding(r))),
    ...(r.timedOut ? [line('Timed out', 'yes')] : []),
    ...(r.cancelled ? [line('Cancelled', 'yes (stopped or cancelled)')] : []),
    line('Node.js', escapeMarkdown(r.nodeVersion)),
    line('Engine', escapeMarkdown(r.engine)),
    line('Captured', escapeMarkdown(describeCapture(r.capture))),
    line('Processes', String(r.processes.length)),
    line('Commit', r.git ? escapeMarkdown(`${r.git.commit.slice(0, 12)}${r.git.dirty ? ' (uncommitted changes)' : ''}${r.git.branch ? ` on ${r.git.branch}` : ''}`) : 'not in a git repository'),
    ...(store ? [line('Stored in', `${escapeMarkdown(store.label)} (${escapeMarkdown(store.dir)})`)] : []),
  ];
  if (r.notes.length) lines.push('', '**Notes**', '', ...r.notes.map((n) => `- ${escapeMarkdown(n)}`));
  return lines.join('\n');
}

/** One store's entries: runs newest first (as listed), then one entry for damaged folders. */
export function runsViewEntries(list: ListResult, storeDir: string, now = new Date(), store?: RunStoreRef): (RunEntry | DamagedEntry)[] {
  const entries: (RunEntry | DamagedEntry)[] = list.runs.map((r): RunEntry => {
    const started = new Date(r.startedAt);
    const commit = shortCommit(r.git);
    return {
      kind: 'run', id: r.id, dir: path.join(storeDir, r.id), record: r,
      label: r.command.replace(/\s+/g, ' ').trim() || '(no command)',
      description: [relativeTime(started, now), formatWall(r.wallMs), ...(commit ? [commit] : []), ...(comparisonLabel(r) ? [comparisonLabel(r)!] : [])].join(' · '),
      tooltip: tooltip(r, started, store),
      outcome: runOutcome(r),
      processes: r.processes.map(processEntry),
      ...(store ? { store } : {}),
    };
  });
  if (list.warnings.length) {
    const n = list.warnings.length;
    entries.push({
      kind: 'damaged',
      label: `${n} damaged or unfinished run${n > 1 ? 's' : ''} skipped`,
      tooltip: [`**Skipped run folders**${store ? ` in ${escapeMarkdown(store.dir)}` : ''}`, '', ...list.warnings.map((w) => `- ${escapeMarkdown(w)}`)].join('\n'),
      warnings: list.warnings,
    });
  }
  return entries;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function storeTooltip(store: RunStoreRef): string {
  const who = store.kind === 'extension'
    ? `Runs of **Hotpath: Profile…** in VS Code, kept in the workspace storage (the newest \`hotpath.history.maxRuns\`). List them with the CLI: \`hotpath runs --dir "${store.dir.replace(/`/g, '')}"\`.`
    : `Runs of \`hotpath profile\` and \`hotpath compare --profile\`${store.folder ? ` in the workspace folder ${escapeMarkdown(store.folder)}` : ''}, listed by \`hotpath runs\`.`;
  return [`**${escapeMarkdown(store.label)}**`, '', escapeMarkdown(store.dir), '', who].join('\n');
}

/**
 * The view's top level over several stores (in the given order): the entries of the one store
 * that has any, flat as with one store; with entries in two or more stores, one group per such
 * store (runs newest first, then its damaged folders), with counts. No store with entries: [].
 */
export function runsViewTree(stores: readonly { store: RunStoreRef; list: ListResult }[], now = new Date()): RunsViewEntry[] {
  const withEntries = stores.filter((s) => s.list.runs.length || s.list.warnings.length);
  if (withEntries.length === 1) {
    const only = withEntries[0];
    return runsViewEntries(only.list, only.store.dir, now, only.store);
  }
  return withEntries.map(({ store, list }): GroupEntry => ({
    kind: 'group', store, label: store.label,
    description: [plural(list.runs.length, 'run'), ...(list.warnings.length ? [`${list.warnings.length} damaged`] : [])].join(', '),
    tooltip: storeTooltip(store),
    children: runsViewEntries(list, store.dir, now, store),
  }));
}

/** Every run entry of the view, groups flattened, in view order. */
export function runEntriesOf(entries: readonly RunsViewEntry[]): RunEntry[] {
  return entries.flatMap((e): RunEntry[] => (e.kind === 'run' ? [e] : e.kind === 'group' ? e.children.filter((c): c is RunEntry => c.kind === 'run') : []));
}
