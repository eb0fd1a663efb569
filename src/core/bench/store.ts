// The bench store: one JSON file per benchmark, `<storeDir>/<id>.json` (default
// `<workspace>/.hotpath/bench`), written atomically (temp file + rename). Ids sort by time.
// Listing skips unreadable or corrupt files with a warning instead of failing.
import * as fs from 'fs';
import * as path from 'path';
import { compareSamples, type CompareOptions, type Comparison } from '../stats';
import type { CpuSource } from './measure';
import type { AbOrder, BenchSample, BenchStats } from './run';
import { listStore } from '../storeList';
import { ensureStoreDir } from '../hotpathDir';

export interface BenchRecord {
  version: 1;
  /** File name without .json; sortable by time. */
  id: string;
  label?: string;
  /** The command as one shell line. */
  command: string;
  /** The argv form when the command was given as words. */
  args?: string[];
  /** Where it ran (for a git ref: the temporary worktree, already removed). */
  cwd: string;
  /** The workspace folder the benchmark was started from. */
  workspace: string;
  /** `node --version` in the cwd. */
  nodeVersion: string;
  platform: string;
  /** The code measured: commit, and whether the working tree had uncommitted changes. */
  git?: { commit: string; dirty: boolean; branch?: string };
  /** Set when the code measured was a git ref checked out into a temporary worktree. */
  ref?: string;
  /** ISO time the benchmark started. */
  createdAt: string;
  runs: number;
  warmup: number;
  timeoutMs?: number;
  /** Exit codes counted as a successful run, when not only 0 (`--ok-exit`). */
  okExit?: number[];
  cpuSource: CpuSource;
  /** Resolution of cpuMs (10 ms on Linux); null when CPU time is not measured. */
  cpuResolutionMs: number | null;
  /** Every run, warm-ups and failures included, in the order they ran. */
  samples: BenchSample[];
  stats: BenchStats;
  /** The build run once in this record's tree before its runs (compare --build): command and wall ms. */
  build?: { command: string; ms: number };
  /** os.loadavg() (1, 5, 15 min) when the benchmark started and ended: a busy machine widens the spread. Absent on Windows. */
  loadAverage?: { start: number[]; end: number[] };
  /** Set for the two halves of an interleaved A/B run. */
  pair?: { role: 'before' | 'after'; other: string; order: AbOrder };
}

export interface BenchListResult {
  records: BenchRecord[];
  /** One line per skipped entry. */
  warnings: string[];
}

/** `<time>-<random>`, sortable by time (same form as run ids). */
export function newBenchId(now = new Date()): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
}

function check(rec: BenchRecord): BenchRecord {
  if (rec?.version !== 1 || typeof rec.id !== 'string' || !Array.isArray(rec.samples) || typeof rec.stats !== 'object' || rec.stats === null) {
    throw new Error('not a Hotpath bench record');
  }
  return rec;
}

export function saveBench(storeDir: string, record: BenchRecord): string {
  ensureStoreDir(storeDir);
  const file = path.join(storeDir, `${record.id}.json`);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(record, null, 2));
  fs.renameSync(tmp, file);
  return file;
}

export function readBenchFile(file: string): BenchRecord {
  return check(JSON.parse(fs.readFileSync(file, 'utf8')) as BenchRecord);
}

/** Readable records, newest first; damaged entries are reported in `warnings`. */
export function listBench(storeDir: string): BenchListResult {
  const r = listStore(storeDir, { what: 'bench', entries: 'json', read: (name) => readBenchFile(path.join(storeDir, name)) });
  return { records: r.items, warnings: r.warnings };
}

/**
 * A record by reference: `last` (newest), `previous` (second newest), an id in the store, or a
 * path to a bench JSON file.
 */
export function resolveBench(storeDir: string, ref: string): { record?: BenchRecord; error?: string; warnings: string[] } {
  if (ref === 'last' || ref === 'previous') {
    const { records, warnings } = listBench(storeDir);
    const record = records[ref === 'last' ? 0 : 1];
    return record ? { record, warnings } : { error: `no ${ref} benchmark in ${storeDir} (${records.length} stored)`, warnings };
  }
  const candidates = [path.join(storeDir, `${ref}.json`), path.resolve(ref)];
  const file = candidates.find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
  if (!file) return { error: `no benchmark '${ref}' (not an id in ${storeDir}, nor a file)`, warnings: [] };
  try {
    return { record: readBenchFile(file), warnings: [] };
  } catch (err) {
    return { error: `${file} cannot be read: ${(err as Error).message}`, warnings: [] };
  }
}

export type Metric = 'wall' | 'cpu';

/** The successful, measured values of one metric (warm-ups and failures left out). */
export function metricValues(record: Pick<BenchRecord, 'samples'>, metric: Metric): number[] {
  const good = record.samples.filter((s) => s.ok && !s.warmup);
  if (metric === 'wall') return good.map((s) => s.wallMs);
  return good.every((s) => s.cpuMs !== null) ? good.map((s) => s.cpuMs as number) : [];
}

/** Compares two stored benchmarks (before, after) on one metric; failures make it inconclusive. */
export function compareBench(before: BenchRecord, after: BenchRecord, metric: Metric = 'wall', options: Omit<CompareOptions, 'failed'> = {}): Comparison {
  return compareSamples(metricValues(before, metric), metricValues(after, metric), {
    ...options, failed: { before: before.stats.failed, after: after.stats.failed },
  });
}
