// The facts a startup plan is computed from, read from one or more measured runs of the startup
// command (`hotpath profile --plan`): per process, the modules loaded with their measured load
// times, every import edge that ran (not only first loads), and which functions ran (V8 precise
// coverage). No TypeScript here: the solver and the edits are in solve.ts and plan.ts.
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import type { CoverageFile, ImportEdge, ImportRecord, ImportsFile } from '../runner/types';
import { moduleWork, type ModuleWork, type RawCpuProfile } from './sharedWork';

export interface ModuleFacts {
  file: string;
  kind: ImportRecord['kind'];
  /** Measured µs; -1 when not measured (an ES module whose evaluation was not timed). */
  selfUs: number;
  totalUs: number;
  /** The first loader (the import tree's parent); null for an entry point. */
  parent: string | null;
}

export interface CoverageFunction { name: string; start: number; end: number; count: number }

export interface ProcessFacts {
  /** `<pid>-<threadId>` of the files it was read from. */
  id: string;
  commandLine?: string;
  modules: Map<string, ModuleFacts>;
  edges: ImportEdge[];
  /** False for an imports file written before edges were recorded. */
  hasEdges: boolean;
  /** Per file (absolute path): its functions and how often each ran; undefined without coverage. */
  coverage?: Map<string, CoverageFunction[]>;
  esmUntimed: boolean;
  /** From the run's CPU profile: where each module's top-level time went; undefined without one. */
  work?: ModuleWork;
}

export interface RunFacts {
  /** The run folder. */
  dir: string;
  /** From run.json when the folder is a stored run: what to run again to verify a plan. */
  command?: { command: string; args?: string[]; cwd: string; stopWhen?: 'exit' | 'startup' };
  /**
   * The measured wall time of the startup (ms): the run's (run.json), else its longest process's,
   * less the profiler's own measured time (its start before the first module loaded: the CPU
   * profiler and coverage; writing profiles at the end; starting the ES module loader thread);
   * undefined when neither is known.
   */
  wallMs?: number;
  processes: ProcessFacts[];
}

export class PlanInputError extends Error {}

function readJson<T>(file: string, what: string): T {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (err) {
    throw new PlanInputError(`${file}: not a readable ${what} (${(err as Error).message}).`);
  }
}

function coverageOf(file: CoverageFile): Map<string, CoverageFunction[]> {
  const out = new Map<string, CoverageFunction[]>();
  for (const s of file.scripts ?? []) {
    let abs: string;
    try { abs = fileURLToPath(s.url); } catch { continue; }
    const fns: CoverageFunction[] = [];
    for (const f of s.functions ?? []) {
      const r = f.ranges?.[0];
      if (r) fns.push({ name: f.functionName, start: r.startOffset, end: r.endOffset, count: r.count });
    }
    // A file compiled twice (two processes' workers, or a cache miss) adds its counts.
    out.set(abs, mergeFunctions(out.get(abs) ?? [], fns));
  }
  return out;
}

/** The two lists of one file's functions as one (same range: counts added). */
export function mergeFunctions(a: CoverageFunction[], b: CoverageFunction[]): CoverageFunction[] {
  if (!a.length) return b;
  const byRange = new Map(a.map((f) => [`${f.start}:${f.end}`, { ...f }]));
  for (const f of b) {
    const known = byRange.get(`${f.start}:${f.end}`);
    if (known) known.count += f.count;
    else byRange.set(`${f.start}:${f.end}`, { ...f });
  }
  return [...byRange.values()];
}

/**
 * Reads one run folder: a stored run (`.hotpath/runs/<id>`, with run.json) or a runner output
 * folder (`hotpath profile --out DIR`). Throws PlanInputError with what to do when it holds
 * nothing a plan can use.
 */
export function readRunFacts(dir: string): RunFacts {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new PlanInputError(`${dir}: no such run folder.`);
  const names = fs.readdirSync(dir);
  const importFiles = names.filter((n) => n.endsWith('.imports.json')).sort();
  if (!importFiles.length) {
    throw new PlanInputError(`${dir} holds no module load times (*.imports.json): profile the startup command with \`hotpath profile --plan -- <command>\`.`);
  }
  let command: RunFacts['command'];
  let runWallMs: number | undefined;
  let longestMs: number | undefined;
  // The longest main thread's time before its first module load: the preload starting the profilers.
  let setupMs = 0;
  let finishMs = 0;
  let hooksMs = 0;
  if (names.includes('run.json')) {
    const rec = readJson<{ command?: string; args?: string[]; cwd?: string; stopWhen?: 'exit' | 'startup'; wallMs?: number }>(path.join(dir, 'run.json'), 'run record');
    if (typeof rec.wallMs === 'number') runWallMs = rec.wallMs;
    if (rec.command && rec.cwd) {
      // run.json keeps the whole command line in `command` and the argv split in `args`.
      const exe = rec.args?.length ? rec.command.slice(0, rec.command.length - rec.args.join(' ').length).trim() : rec.command;
      command = { command: rec.args?.length ? exe : rec.command, args: rec.args, cwd: rec.cwd, stopWhen: rec.stopWhen };
    }
  }
  const processes: ProcessFacts[] = [];
  for (const name of importFiles) {
    const id = name.slice(0, -'.imports.json'.length);
    const imports = readJson<ImportsFile>(path.join(dir, name), 'module timing file');
    // Registering the ES module hooks starts a loader thread (30-700 ms measured): the profiler's time.
    if (typeof imports.esmHooks?.registerUs === 'number') hooksMs += imports.esmHooks.registerUs / 1000;
    if (!Array.isArray(imports.modules)) throw new PlanInputError(`${path.join(dir, name)}: not a Hotpath module timing file (no modules list).`);
    const modules = new Map<string, ModuleFacts>();
    for (const r of imports.modules) {
      if (!modules.has(r.file)) modules.set(r.file, { file: r.file, kind: r.kind, selfUs: r.selfUs, totalUs: r.totalUs, parent: r.parent });
    }
    const covName = `${id}.coverage.json`;
    const coverage = names.includes(covName) ? coverageOf(readJson<CoverageFile>(path.join(dir, covName), 'coverage file')) : undefined;
    let commandLine: string | undefined;
    const metaName = `${id}.meta.json`;
    if (names.includes(metaName)) {
      try {
        const meta = JSON.parse(fs.readFileSync(path.join(dir, metaName), 'utf8')) as { argv?: string[]; threadId?: number; wallMs?: number; finishMs?: number };
        commandLine = meta.threadId ? `worker thread ${meta.threadId}` : meta.argv?.join(' ');
        if (!meta.threadId && typeof meta.wallMs === 'number' && meta.wallMs > (longestMs ?? -1)) {
          longestMs = meta.wallMs;
          setupMs = Math.max(0, Math.min(...imports.modules.map((r) => r.startUs).filter((u) => typeof u === 'number' && u >= 0), Infinity) / 1000);
          if (!Number.isFinite(setupMs)) setupMs = 0;
        }
        if (typeof meta.finishMs === 'number') finishMs += meta.finishMs;
      } catch { /* the command line is only shown */ }
    }
    const cpuName = `${id}.cpuprofile`;
    // Read only for runs a plan can use (profiled with --plan, with coverage): others may hold a long recording.
    const work = coverage && names.includes(cpuName) ? moduleWork(readJson<RawCpuProfile>(path.join(dir, cpuName), 'CPU profile'), new Set(modules.keys())) : undefined;
    processes.push({
      id, commandLine, modules, edges: Array.isArray(imports.edges) ? imports.edges : [], hasEdges: Array.isArray(imports.edges),
      coverage, esmUntimed: !!imports.esmUntimed, ...(work ? { work } : {}),
    });
  }
  // A process's own wall time (meta) ends before it writes its profiles; the run's includes that.
  const wallMs = runWallMs !== undefined ? Math.max(0, runWallMs - finishMs - hooksMs - setupMs) : longestMs !== undefined ? Math.max(0, longestMs - hooksMs - setupMs) : undefined;
  return { dir, command, processes, ...(wallMs !== undefined ? { wallMs } : {}) };
}
