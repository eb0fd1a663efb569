// Reads what the preloads left in the out dir into ProcessRecords, and explains an empty result.
import * as fs from 'fs';
import * as path from 'path';
import { SUFFIX, type MetaFile } from './preloadEnv';
import { childrenByParent, isNodeExe } from './procTree';
import type { ProcessRecord, RunResult } from './types';

/** Meta files of processes that started at or after `sinceEpochMs` (older files belong to earlier runs). */
/**
 * The processes whose meta files are in `outDir`, started at or after `sinceEpochMs`. With `runId`,
 * only that run's (a folder reused by several runs keeps the earlier runs' files; meta files
 * written before runId was recorded are kept by time alone).
 */
export function collectProcesses(outDir: string, sinceEpochMs: number, runId?: string): { processes: ProcessRecord[]; notes: string[] } {
  const notes: string[] = [];
  let names: string[] = [];
  try {
    names = fs.readdirSync(outDir).filter((n) => n.endsWith(SUFFIX.meta));
  } catch (err) {
    notes.push(`Could not read the output folder ${outDir}: ${(err as Error).message}`);
  }
  const metas: MetaFile[] = [];
  for (const name of names) {
    try {
      const meta = JSON.parse(fs.readFileSync(path.join(outDir, name), 'utf8')) as MetaFile;
      if (meta.startedAt >= sinceEpochMs && (!runId || !meta.runId || meta.runId === runId)) metas.push(meta);
    } catch (err) {
      notes.push(`Skipped unreadable ${name}: ${(err as Error).message}`);
    }
  }
  metas.sort((a, b) => a.startedAt - b.startedAt || a.pid - b.pid || a.threadId - b.threadId);
  const file = (f?: string) => (f && fs.existsSync(path.join(outDir, f)) ? path.join(outDir, f) : undefined);
  const processes = metas.map((m): ProcessRecord => ({
    pid: m.pid, ppid: m.ppid, threadId: m.threadId,
    commandLine: m.threadId > 0 ? `worker thread ${m.threadId} of ${m.pid}` : [m.argv[0], ...m.execArgv, ...m.argv.slice(1)].join(' '),
    argv: m.argv, cwd: m.cwd, nodeVersion: m.nodeVersion, wallMs: m.wallMs,
    cpuProfile: file(m.files.cpu), heapProfile: file(m.files.heap), importsFile: file(m.files.imports),
    ...(file(m.files.leaks ?? `${m.pid}-${m.threadId}${SUFFIX.leaks}`) ? { leaksFile: file(m.files.leaks ?? `${m.pid}-${m.threadId}${SUFFIX.leaks}`) } : {}),
    ...(m.files.coverage ? { coverageFile: file(m.files.coverage) } : {}),
    ...(file(`${m.pid}-${m.threadId}${SUFFIX.live}`) ? { liveFile: file(`${m.pid}-${m.threadId}${SUFFIX.live}`) } : {}),
    // 'running' means the exit handler never ran: SIGKILL, an out-of-memory kill or a fatal runtime error.
    ending: m.ending === 'running' ? 'killed' : m.ending,
    ...(m.ending === 'running' && m.flush ? { flushedMs: m.flush.coveredMs } : {}),
    ...(m.threadTime ? { threadTime: m.threadTime } : {}),
    ...(m.finishMs !== undefined || m.flush ? { writeMs: Math.round(((m.finishMs ?? 0) + (m.flush?.costMs ?? 0)) * 10) / 10 } : {}),
  }));
  for (const m of metas) for (const e of m.errors) notes.push(`pid ${m.pid}${m.threadId ? ` thread ${m.threadId}` : ''}: ${e}`);
  return { processes, notes };
}

/**
 * Why there is nothing (or less than expected) to show. `sigkilled`: pids known to have been
 * killed with SIGKILL (the root's exit signal, or the runner's own SIGKILL at a stop).
 */
export function explain(processes: ProcessRecord[], sigkilled: ReadonlySet<number> = new Set(), exitCode?: number | null): string[] {
  if (!processes.length && exitCode === 127) {
    return ['No Node.js process was started: the shell could not find the command (exit code 127). Check its spelling, that it is installed, and that it is on PATH (or in node_modules/.bin for an npm script).'];
  }
  if (!processes.length) {
    return ['No Node.js process was started by this command (is it a Node program? Shell scripts, Python and other runtimes cannot be profiled).'];
  }
  const notes: string[] = [];
  const how = (p: ProcessRecord) => (sigkilled.has(p.pid) ? 'was killed (SIGKILL)' : 'ended without running its exit handlers (SIGKILL, out of memory or a fatal error)');
  const kept = (p: ProcessRecord) => {
    const what = [p.cpuProfile && 'CPU', p.heapProfile && 'heap', p.importsFile && 'module timing'].filter(Boolean).join(', ');
    return `the profile (${what || 'nothing'}) holds the first ${(p.flushedMs! / 1000).toFixed(1)} s that were flushed (it is shown partial)`;
  };
  for (const p of processes.filter((x) => x.ending === 'killed' && x.threadId === 0 && x.flushedMs !== undefined)) {
    notes.push(`Process ${p.pid} ${how(p)}: ${kept(p)}.`);
  }
  const lost = processes.filter((p) => p.ending === 'killed' && p.threadId === 0 && p.flushedMs === undefined);
  if (lost.length) {
    const all = lost.every((p) => sigkilled.has(p.pid));
    notes.push(`${lost.length} Node process(es) (${lost.map((p) => p.pid).join(', ')}) ${all ? 'were killed (SIGKILL)' : 'ended without running exit handlers (killed with SIGKILL, out of memory, or a fatal error)'} before their first periodic flush: their profiles were not written.`);
  }
  // A worker still busy when its process exits is torn down without an 'exit' event.
  for (const p of processes.filter((x) => x.ending === 'killed' && x.threadId > 0 && x.flushedMs !== undefined)) {
    notes.push(`Worker thread ${p.threadId} of process ${p.pid} was still running when its process ended: ${kept(p)}.`);
  }
  const workers = processes.filter((p) => p.ending === 'killed' && p.threadId > 0 && p.flushedMs === undefined);
  if (workers.length) {
    notes.push(`${workers.length} worker thread(s) (${workers.map((p) => `${p.pid}/thread ${p.threadId}`).join(', ')}) were still running when their process ended: their profiles were not written.`);
  }
  return notes;
}

/**
 * Startup mode: a server listens in some process, or every running Node process has settled:
 * it is quiet (no module loaded for a while) and so is everything it started. The second part
 * keeps a launcher (npm, a shell script) that idles while its child loads from ending the run.
 */
export function startupReached(outDir: string, sinceEpochMs: number): boolean {
  let names: string[];
  try {
    names = fs.readdirSync(outDir);
  } catch {
    return false;
  }
  const quiet = new Set<number>();
  for (const n of names.filter((x) => x.endsWith(SUFFIX.startup))) {
    try {
      const reason = JSON.parse(fs.readFileSync(path.join(outDir, n), 'utf8')).reason;
      if (reason === 'listening') return true;
      if (n.endsWith(`-0${SUFFIX.startup}`)) quiet.add(Number(n.split('-')[0]));
    } catch { /* being replaced: look again on the next poll */ }
  }
  const running: number[] = [];
  for (const n of names.filter((x) => x.endsWith(`-0${SUFFIX.meta}`))) {
    try {
      const meta = JSON.parse(fs.readFileSync(path.join(outDir, n), 'utf8')) as MetaFile;
      if (meta.startedAt >= sinceEpochMs && meta.ending === 'running') running.push(meta.pid);
    } catch {
      return false;
    }
  }
  if (!running.length) return false;
  const node = new Set(running);
  const children = childrenByParent();
  // A Node child whose preload has not written its meta yet is still starting: not settled.
  const settled = (pid: number, depth = 0): boolean =>
    depth < 50 && (node.has(pid) ? quiet.has(pid) : !isNodeExe(pid)) && (children.get(pid) ?? []).every((c) => settled(c, depth + 1));
  return running.every((pid) => settled(pid));
}

/**
 * A folder of profiles written by `hotpath profile --out DIR` (its meta files) as a runner result,
 * or undefined when no process in it wrote a profile.
 */
export function profileFolderResult(dir: string): RunResult | undefined {
  const { processes, notes } = collectProcesses(dir, 0);
  if (!processes.some((p) => p.cpuProfile || p.heapProfile || p.importsFile)) return undefined;
  return { exitCode: null, signal: null, wallMs: 0, timedOut: false, cancelled: false, completed: true, outDir: dir, processes, notes, outputTail: '' };
}
