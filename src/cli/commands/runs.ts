// `hotpath runs [--json] [--limit N] [--dir DIR]`: the stored profile runs, newest first.
// `hotpath runs rm <id>... | --keep N [--dir DIR] [--json]`: deletes runs.
// The store: --dir, else .hotpath/runs of the current folder (where `hotpath profile` saves).
// JSON contracts (fields are added, never renamed or removed) are in HELP below and the README.
import * as fs from 'fs';
import * as path from 'path';
import { comparisonLabel, keepNewestRuns, listRuns, removeRuns, runEnding, runOutcome, shortCommit, formatWall, type RunRecord } from '../../core/history';
import { parseOrUsage } from '../usage';

const HELP = `Usage: hotpath runs [--json] [--limit N] [--dir DIR]
       hotpath runs rm <id>... [--force] [--dir DIR] [--json]
       hotpath runs rm --keep N [--dir DIR] [--json]

Lists the profile runs \`hotpath profile\` stored, newest first: id, start time, wall time,
how the run ended, number of Node.js processes profiled, git commit (+ "dirty" for uncommitted
changes), command. Wall times are one measurement each (no spread); \`hotpath bench\` measures
a command repeatedly. Folders whose run.json is missing or damaged (e.g. a run still being
recorded) are skipped and named as warnings on stderr.

\`runs rm <id>...\` deletes the named runs with their profiles; an id that is no run folder is an
error (exit 2) and then nothing is deleted; so is a run still being recorded (its Hotpath process
is running, its run.json not written yet), unless --force. \`runs rm --keep N\` deletes all but
the newest N readable runs; skipped (damaged or unfinished) folders are left alone.

VS Code's Profile Runs view (Hotpath side bar) shows these runs too, next to the runs profiled in
VS Code, which are kept in the editor's workspace storage: a run's tooltip there names its store
folder, and Reveal Profiles Folder on the view's "VS Code" group shows it; give that folder to
--dir to list or delete those runs here.

Options:
  --dir DIR     run store (default: .hotpath/runs in the current folder)
  --limit N     list only the newest N runs (total still counts all)
  --keep N      with rm: keep the newest N runs, delete the others
  --force       with rm <id>: also delete a run that is still being recorded
  --json        machine-readable output (on stdout; warnings also on stderr)

JSON (list): {store, total, runs: [{id, dir, startedAt, command, args, cwd, wallMs, exitCode,
  signal, timedOut, cancelled, outcome ('ok'|'failed'|'cancelled'), ending, processCount,
  processes: [{pid, ppid, threadId, commandLine, wallMs, ending}], git: {commit, dirty, branch}
  (null outside git; branch null when detached), nodeVersion, engine, capture: {cpu, heap,
  imports, intervalUs, heapIntervalBytes}, notes, comparison: {before, after, side, index, runs}}],
  warnings}. Paths are absolute; args, signal, exitCode, intervalUs and heapIntervalBytes are null
  when not recorded; comparison is null except for the profiled runs of \`compare --profile\`
  (the bench ids compared, this run's side, its index from 0 and the runs per side), which the
  table marks "[compare before 1/2]".
JSON (rm): {store, removed: [id], kept: [id], warnings} (kept: the runs still stored, newest first).

Exit code: 0 (also when there are none); 2 for bad usage, an unknown id (rm takes whole ids,
not prefixes), a run still being recorded (without --force) or a --dir that is not a folder.`;

interface Args {
  rm: boolean;
  ids: string[];
  keep?: number;
  limit?: number;
  dir?: string;
  json: boolean;
  force: boolean;
}

function count(name: string, value: string | undefined): number {
  if (value === undefined || !/^\d+$/.test(value)) throw new Error(`${name} needs a whole number >= 0, got ${value === undefined ? 'nothing' : `'${value}'`}`);
  return Number(value);
}

function parse(argv: string[]): Args {
  const a: Args = { rm: false, ids: [], json: false, force: false };
  let i = 0;
  if (argv[0] === 'rm') { a.rm = true; i = 1; }
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') a.json = true;
    else if (arg === '--dir') { a.dir = argv[++i]; if (!a.dir) throw new Error('--dir needs a value'); }
    else if (arg === '--limit' && !a.rm) a.limit = count('--limit', argv[++i]);
    else if (arg === '--keep' && a.rm) a.keep = count('--keep', argv[++i]);
    else if (arg === '--force' && a.rm) a.force = true;
    else if (a.rm && !arg.startsWith('-')) a.ids.push(arg);
    else throw new Error(`unknown argument ${arg}${!a.rm && !arg.startsWith('-') ? ' (to delete runs: hotpath runs rm <id>...)' : ''}`);
  }
  if (a.rm && a.keep === undefined && !a.ids.length) throw new Error('rm needs run ids or --keep N');
  if (a.rm && a.keep !== undefined && a.ids.length) throw new Error('give either run ids or --keep N, not both');
  return a;
}

function runJson(storeDir: string, r: RunRecord) {
  return {
    id: r.id, dir: path.join(storeDir, r.id), startedAt: r.startedAt, command: r.command, args: r.args ?? null, cwd: r.cwd,
    wallMs: r.wallMs, exitCode: r.exitCode ?? null, signal: r.signal ?? null, timedOut: r.timedOut, cancelled: r.cancelled,
    outcome: runOutcome(r), ending: runEnding(r), processCount: r.processes.length,
    processes: r.processes.map((p) => ({ pid: p.pid, ppid: p.ppid, threadId: p.threadId, commandLine: p.commandLine, wallMs: p.wallMs, ending: p.ending })),
    git: r.git ? { commit: r.git.commit, dirty: r.git.dirty, branch: r.git.branch ?? null } : null,
    nodeVersion: r.nodeVersion, engine: r.engine,
    capture: { cpu: r.capture.cpu, heap: r.capture.heap, imports: r.capture.imports, intervalUs: r.capture.intervalUs ?? null, heapIntervalBytes: r.capture.heapIntervalBytes ?? null },
    notes: r.notes,
    comparison: r.comparison ? { before: r.comparison.before, after: r.comparison.after, side: r.comparison.side, index: r.comparison.index, runs: r.comparison.runs } : null,
  };
}


function isFolder(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** "2026-11-25 23:10:01" in local time. */
function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd());
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrUsage('runs', HELP, argv, parse);
  if ('exit' in parsed) return parsed.exit;
  const a = parsed.args;
  const cwd = process.cwd();
  const store = path.resolve(a.dir ?? path.join(cwd, '.hotpath', 'runs'));
  const shown = path.relative(cwd, store) || '.';
  // A --dir that is no folder is a typo, not an empty store (the default store may not exist yet).
  if (a.dir !== undefined && !isFolder(store)) {
    console.error(`hotpath runs: --dir ${a.dir} is not a folder${fs.existsSync(store) ? '' : ' (it does not exist)'}.`);
    return 2;
  }

  if (a.rm) {
    let removed: string[];
    let warnings: string[] = [];
    if (a.keep !== undefined) {
      ({ removed, warnings } = await keepNewestRuns(store, a.keep));
    } else {
      const r = await removeRuns(store, a.ids, { force: a.force });
      if (r.recording.length && !a.force) {
        console.error(`hotpath runs rm: ${r.recording.map((x) => `run ${x.id} is still being recorded by Hotpath process ${x.pid}`).join('; ')}: deleting it would remove the profiles from under it. Nothing was deleted. Wait until it ends or stop it (Ctrl-C in its terminal, or \`kill ${r.recording[0].pid}\`), or add --force to delete it anyway.`);
        return 2;
      }
      if (r.recording.length) warnings.push(...r.recording.map((x) => `run ${x.id} was still being recorded by Hotpath process ${x.pid}; deleted (--force)`));
      if (r.unknown.length) {
        // rm takes whole ids only (a prefix never deletes); name the runs a prefix would have meant.
        const ids = listRuns(store).runs.map((x) => x.id);
        const hints = r.unknown.map((u) => ({ u, m: ids.filter((id) => id.startsWith(u)) })).filter((h) => h.m.length);
        const hint = hints.map((h) => ` '${h.u}' is the start of ${h.m.length} run id(s) (${h.m.slice(0, 3).join(', ')}${h.m.length > 3 ? ', ...' : ''}); rm needs whole ids.`).join('');
        console.error(`hotpath runs rm: no run ${r.unknown.map((id) => `'${id}'`).join(', ')} in ${shown}; nothing was deleted.${hint} \`hotpath runs\` lists the ids.`);
        return 2;
      }
      removed = r.removed;
    }
    for (const w of warnings) console.error(`warning: ${w}`);
    const kept = listRuns(store).runs.map((r) => r.id);
    if (a.json) console.log(JSON.stringify({ store, removed, kept, warnings }, null, 2));
    else {
      console.log(removed.length ? `Deleted ${removed.length} run(s) from ${shown}:` : `Nothing to delete in ${shown}.`);
      for (const id of removed) console.log(`  ${id}`);
      console.log(`${kept.length} run(s) left.`);
    }
    return 0;
  }

  const { runs, warnings } = listRuns(store);
  const listed = a.limit === undefined ? runs : runs.slice(0, a.limit);
  for (const w of warnings) console.error(`warning: ${w}`);
  if (a.json) {
    console.log(JSON.stringify({ store, total: runs.length, runs: listed.map((r) => runJson(store, r)), warnings }, null, 2));
    return 0;
  }
  if (!runs.length) {
    console.log(`No profile runs in ${shown}. \`hotpath profile -- <command>\` records one.`);
    return 0;
  }
  console.log(`Profile runs in ${shown}, newest first (${listed.length} of ${runs.length}):`);
  if (!listed.length) return 0; // --limit 0: the count only, no empty table
  const rows = [['ID', 'STARTED', 'WALL', 'ENDED', 'PROCS', 'COMMIT', 'COMMAND']];
  for (const r of listed) {
    const outcome = runOutcome(r);
    rows.push([r.id, localTime(r.startedAt), formatWall(r.wallMs), `${runEnding(r)}${outcome === 'failed' ? ' (failed)' : ''}`, String(r.processes.length), shortCommit(r.git) ?? '-', `${r.command}${comparisonLabel(r) ? `  [${comparisonLabel(r)}]` : ''}`]);
  }
  for (const line of table(rows)) console.log(line);
  return 0;
}
