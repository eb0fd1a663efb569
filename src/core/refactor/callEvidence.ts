// The memoize fix's evidence: one measured run of a command with a counting statement in every
// memoize candidate (dist/callcount.js, see src/core/runner/callCountPreload.ts), which counts
// calls, calls that would call through the cache, distinct argument keys and the hits of a cache
// like the fix's. Stored in `<repo top or folder>/.hotpath/calls/<id>.json`; the newest one is
// what `hotpath fixes` and the code actions read (per function, while its text is unchanged).
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { runTarget, withPreload } from '../runner/run';
import type { CallReport, CallSpec } from '../runner/callCountPreload';
import { checkpointStoreRoot } from '../checkpoint';
import { memoCallTargets } from './analyze';
import { MEMO_MAX } from './memoize';
import type { CallCounts, CountedFunction, ProjectLookup } from './types';
import { createProjectLookup } from './project';

/** Distinct argument keys are tracked up to this many per function and process (then "at least"). */
export const DISTINCT_CAP = 100_000;

export interface CountCallsOptions {
  /** Source files whose memoize candidates are counted. */
  files: string[];
  /** A shell command line, or the executable when `args` is given. */
  command: string;
  args?: string[];
  cwd: string;
  project?: ProjectLookup;
  timeoutMs?: number;
  signal?: AbortSignal;
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
  /** dist/callcount.js; found next to the bundle or in the source tree when absent. */
  preloadPath?: string;
}

export interface CountCallsResult {
  counts: CallCounts;
  /** The run failed or counted nothing: why (the counts are still returned). */
  notes: string[];
}

export function findCallCountPreload(): string {
  const candidates = [path.join(__dirname, 'callcount.js'), path.join(__dirname, '..', 'callcount.js'), path.resolve(__dirname, '../../../dist/callcount.js')];
  const found = candidates.find((f) => fs.existsSync(f));
  if (!found) throw new Error(`dist/callcount.js not found (looked in ${candidates.join(', ')}): run \`node esbuild.js --only preload\``);
  return found;
}

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

/** Runs the command once with every memoize candidate of `files` counted; nothing is stored (see saveCallCounts). */
export async function countCalls(opts: CountCallsOptions): Promise<CountCallsResult> {
  const project = opts.project ?? createProjectLookup();
  const spec: CallSpec = { outDir: '', memoMax: MEMO_MAX, distinctCap: DISTINCT_CAP, files: [] };
  const meta: { file: string; name: string; hash: string }[] = [];
  for (const file of opts.files) {
    let text: string;
    try { text = fs.readFileSync(file, 'utf8'); } catch { continue; }
    const { moduleKind, targets } = memoCallTargets(file, text, { project });
    if (targets.length === 0) continue;
    spec.files.push({
      file: path.resolve(file), fileHash: sha1(text), esm: moduleKind === 'esm' || moduleKind === 'ts-esm',
      targets: targets.map((t) => ({ id: meta.push({ file: path.resolve(file), name: t.name, hash: t.hash }) - 1, name: t.name, offset: t.offset, params: t.params })),
    });
  }
  const createdAt = new Date();
  const id = `${createdAt.toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
  const shown = opts.args ? [opts.command, ...opts.args].join(' ') : opts.command;
  const counts: CallCounts = { version: 1, id, createdAt: createdAt.toISOString(), command: shown, cwd: path.resolve(opts.cwd), wallMs: 0, exitCode: null, functions: [] };
  const notes: string[] = [];
  if (meta.length === 0) return { counts, notes: ['no memoize candidate to count (none is safe, or they take objects)'] };

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-calls-'));
  try {
    spec.outDir = path.join(tmp, 'calls');
    const specFile = path.join(tmp, 'spec.json');
    fs.writeFileSync(specFile, JSON.stringify(spec));
    const result = await runTarget({
      command: opts.command, args: opts.args, cwd: opts.cwd, outDir: path.join(tmp, 'run'),
      capture: { cpu: false, heap: false, imports: false, flushMs: 0 },
      env: { NODE_OPTIONS: withPreload(process.env.NODE_OPTIONS, opts.preloadPath ?? findCallCountPreload()), HOTPATH_CALLS_SPEC: specFile },
      timeoutMs: opts.timeoutMs, signal: opts.signal, onOutput: opts.onOutput,
    });
    counts.wallMs = Math.round(result.wallMs);
    counts.exitCode = result.exitCode;
    if (result.error) notes.push(result.error);
    else if (result.exitCode !== 0) notes.push(`the command exited with ${result.exitCode ?? result.signal}${result.timedOut ? ' (timed out)' : ''}: the counts cover what ran before that`);
    const reports: CallReport[] = [];
    for (const name of fs.existsSync(spec.outDir) ? fs.readdirSync(spec.outDir) : []) {
      if (!/^calls-\d+-\d+\.json$/.test(name)) continue;
      try { reports.push(JSON.parse(fs.readFileSync(path.join(spec.outDir, name), 'utf8')) as CallReport); } catch { notes.push(`${name}: unreadable (the process was killed while writing)`); }
    }
    if (reports.length === 0) notes.push('no Node.js process of the command wrote counts (is it a Node.js program? was it killed?)');
    counts.functions = meta.map((m, i) => aggregate(m, i, reports));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { counts, notes };
}

function aggregate(m: { file: string; name: string; hash: string }, id: number, reports: CallReport[]): CountedFunction {
  const out: CountedFunction = { ...m, instrumented: false, calls: 0, bypassed: 0, distinct: 0, distinctCapped: false, hits: 0, processes: 0 };
  const reasons = new Set<string>();
  for (const r of reports) {
    if (r.instrumented.some((x) => x.id === id)) out.instrumented = true;
    for (const x of r.missed) if (x.id === id) reasons.add(x.reason);
    const f = r.functions[id];
    if (!f) continue;
    out.calls += f.calls;
    out.bypassed += f.bypassed;
    out.hits += f.hits;
    // Keys are not sent between processes: the most distinct keys one process saw.
    out.distinct = Math.max(out.distinct, f.distinct);
    out.distinctCapped ||= f.distinctCapped;
    out.processes++;
  }
  if (!out.instrumented) out.reason = reasons.size ? [...reasons].join('; ') : `no process of the run loaded ${pathToFileURL(m.file).pathname}`;
  return out;
}

/** `<repository top, else folder>/.hotpath/calls`: one store per repository, as for checkpoints. */
export function callCountsStore(folder: string): string {
  return path.join(checkpointStoreRoot(folder), '.hotpath', 'calls');
}

export function saveCallCounts(folder: string, counts: CallCounts): string {
  const store = callCountsStore(folder);
  fs.mkdirSync(store, { recursive: true });
  const file = path.join(store, `${counts.id}.json`);
  fs.writeFileSync(file, JSON.stringify(counts, null, 2) + '\n');
  return file;
}

/**
 * The newest readable counts for files in `folder`: from every `.hotpath/calls` at or above it,
 * up to the repository's top (outside git: up to the file-system root). Unreadable files are skipped.
 */
export function loadCallCounts(folder: string): { counts: CallCounts; file: string } | undefined {
  let newest: { counts: CallCounts; file: string } | undefined;
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    const store = path.join(dir, '.hotpath', 'calls');
    let names: string[] = [];
    try { names = fs.readdirSync(store).filter((n) => n.endsWith('.json')); } catch { /* no store here */ }
    for (const n of names) {
      try {
        const c = JSON.parse(fs.readFileSync(path.join(store, n), 'utf8')) as CallCounts;
        if (c?.version !== 1 || !Array.isArray(c.functions) || typeof c.createdAt !== 'string') continue;
        if (!newest || c.createdAt > newest.counts.createdAt) newest = { counts: c, file: path.join(store, n) };
      } catch { /* a file being written or damaged: not evidence */ }
    }
    if (fs.existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) return newest;
  }
}
