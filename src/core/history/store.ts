// The run store: one folder per run under `storeDir`, holding the raw profiles and a run.json.
// run.json is written atomically (temp file + rename) and last, so a folder without a valid
// run.json is an unfinished or damaged run: listing skips it with a warning instead of failing.
import * as fs from 'fs';
import * as path from 'path';
import type { CaptureOptions, Engine, ProcessRecord, RunResult } from '../runner/types';
import { gitState } from './git';
import { ensureStoreDir } from '../hotpathDir';
import { listStore } from '../storeList';
import { currentOwner, ownerAlive, type Owner } from './owner';

export interface RunRecord {
  version: 1;
  /** Folder name inside the store; sortable by time. */
  id: string;
  command: string;
  args?: string[];
  cwd: string;
  nodeVersion: string;
  git?: { commit: string; dirty: boolean; branch?: string };
  /** ISO time the run started. */
  startedAt: string;
  wallMs: number;
  exitCode: number | null;
  signal: string | null;
  capture: CaptureOptions;
  engine: Engine;
  stopWhen?: 'exit' | 'startup';
  durationMs?: number;
  timedOut: boolean;
  cancelled: boolean;
  /** Processes with their profile files relative to the run folder. */
  processes: ProcessRecord[];
  notes: string[];
  /** Set on a profiled run recorded by `compare --profile` / Compare Before/After: the two bench ids, its side, its index among the side's runs. */
  /** `loadAverage`: the 1-minute load average when the run started (what the proof's story compares). */
  comparison?: { before: string; after: string; side: 'before' | 'after'; index: number; runs: number; loadAverage?: number };
}

export interface ListResult {
  runs: RunRecord[];
  /** One line per skipped entry (corrupt or unreadable run.json). */
  warnings: string[];
}

const RUN_FILE = 'run.json';

/** In a run folder until its run.json is written: who records it (see recordingOwner). */
export const RECORDING_FILE = '.recording';

/**
 * A new, empty run folder: `<storeDir>/<time>-<random>`. Profile into it, then call saveRun. It
 * holds a `.recording` file naming this process until saveRun, so that `runs rm` and the view
 * can tell a run still being recorded from one left unfinished.
 */
export function createRunDir(storeDir: string, now = new Date()): { id: string; dir: string } {
  const id = `${now.toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
  const dir = path.join(storeDir, id);
  ensureStoreDir(dir);
  try { fs.writeFileSync(path.join(dir, RECORDING_FILE), JSON.stringify(currentOwner())); } catch { /* the folder still works */ }
  return { id, dir };
}

/** The live process recording the run folder `dir` (no run.json yet, its recorder running), else undefined. */
export function recordingOwner(dir: string): Owner | undefined {
  if (fs.existsSync(path.join(dir, RUN_FILE))) return undefined;
  try {
    const o = JSON.parse(fs.readFileSync(path.join(dir, RECORDING_FILE), 'utf8')) as Owner;
    return ownerAlive(o) ? o : undefined;
  } catch {
    return undefined;
  }
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/**
 * Stores a run. Profile files outside the run folder are copied in; paths in the stored record
 * are relative to the run folder. Fills `git` from the cwd when it is a repository and not given.
 */
export async function saveRun(storeDir: string, record: Omit<RunRecord, 'version' | 'git'> & { git?: RunRecord['git'] }): Promise<RunRecord> {
  const dir = path.join(storeDir, record.id);
  ensureStoreDir(dir);
  const keep = (file?: string) => {
    if (!file) return undefined;
    const abs = path.resolve(dir, file);
    if (path.dirname(abs) !== dir) fs.copyFileSync(abs, path.join(dir, path.basename(abs)));
    return path.basename(abs);
  };
  const processes = record.processes.map((p) => ({ ...p, cpuProfile: keep(p.cpuProfile), heapProfile: keep(p.heapProfile), importsFile: keep(p.importsFile), ...(p.coverageFile ? { coverageFile: keep(p.coverageFile) } : {}) }));
  const stored: RunRecord = { ...record, version: 1, processes, git: record.git ?? (await gitState(record.cwd)) };
  writeAtomic(path.join(dir, RUN_FILE), JSON.stringify(stored, null, 2));
  fs.rmSync(path.join(dir, RECORDING_FILE), { force: true });
  return stored;
}

function readRecord(storeDir: string, id: string): RunRecord {
  const text = fs.readFileSync(path.join(storeDir, id, RUN_FILE), 'utf8');
  const rec = JSON.parse(text) as RunRecord;
  if (rec?.version !== 1 || typeof rec.id !== 'string' || !Array.isArray(rec.processes)) throw new Error('not a Hotpath run record');
  // Profile files are stored by name inside the run folder (saveRun copies them in): a path that
  // leads elsewhere is never opened, whatever run.json says.
  for (const p of rec.processes) {
    for (const f of [p?.cpuProfile, p?.heapProfile, p?.importsFile, p?.coverageFile]) {
      if (f !== undefined && f !== null && !(typeof f === 'string' && f && f === path.basename(f) && f !== '.' && f !== '..' && !/[\\/]/.test(f))) {
        throw new Error(`run.json names a profile file ${JSON.stringify(f)} that is not a file inside the run folder`);
      }
    }
  }
  // The folder name is the id: what listing, opening and deleting go by. A run folder copied or
  // renamed keeps working, and an id in run.json can never point a deletion at another folder.
  rec.id = id;
  return rec;
}

/** All readable runs, newest first; damaged entries are reported in `warnings`. */
export function listRuns(storeDir: string): ListResult {
  const r = listStore(storeDir, { what: 'run', entries: 'dirs', read: (id) => readRecord(storeDir, id), missing: 'no run.json (unfinished run)' });
  // A folder whose recorder is still running is being recorded, not left unfinished: say who.
  const warnings = r.warnings.map((w) => {
    const m = /^Skipped run (\S+): no run\.json \(unfinished run\)$/.exec(w);
    const owner = m ? recordingOwner(path.join(storeDir, m[1])) : undefined;
    return owner ? `Skipped run ${m![1]}: still being recorded (by Hotpath process ${owner.pid})` : w;
  });
  return { runs: r.items, warnings };
}

/** One run with profile paths made absolute, or an error message. */
export function loadRunRecord(storeDir: string, id: string): { record?: RunRecord; error?: string } {
  try {
    const rec = readRecord(storeDir, id);
    const dir = path.join(storeDir, id);
    const abs = (f?: string) => (f ? path.join(dir, f) : undefined);
    rec.processes = rec.processes.map((p) => ({ ...p, cpuProfile: abs(p.cpuProfile), heapProfile: abs(p.heapProfile), importsFile: abs(p.importsFile), ...(p.coverageFile ? { coverageFile: abs(p.coverageFile) } : {}) }));
    return { record: rec };
  } catch (err) {
    return { error: `Run ${id} cannot be read: ${(err as Error).message}` };
  }
}

/** A stored run as the runner's result (what loadRun reads); profile paths stay relative to `dir`. */
export function runResultOf(record: RunRecord, dir: string): RunResult {
  return {
    exitCode: record.exitCode, signal: record.signal, wallMs: record.wallMs, timedOut: record.timedOut, cancelled: record.cancelled,
    completed: !record.timedOut && !record.cancelled, outDir: dir, processes: record.processes, outputTail: '', notes: [],
    ...(Number.isFinite(Date.parse(record.startedAt)) ? { startedAt: Date.parse(record.startedAt) } : {}),
  };
}
