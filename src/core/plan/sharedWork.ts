// Where a module's load time went, from the CPU profile of the same run: for each module whose
// top level was running (its load, less the loads of the modules it required), the sampled time
// per file of the code that ran, the innermost function of a loaded module on the stack. A
// leaving module's time in code of modules that stay (a shared dependency's compiler, a cache it
// fills) is work the staying modules are likely to redo once it is gone: measured on eslint, the
// schema compilation `eslintrc-universal.cjs` ran in ajv moved to `eslintrc.cjs` (bench/PAYOFF.md).
import { fileURLToPath } from 'url';

interface CallFrame { functionName: string; url: string; lineNumber: number; columnNumber: number }
interface RawNode { id: number; callFrame: CallFrame; children?: number[] }
export interface RawCpuProfile { nodes: RawNode[]; samples?: number[]; timeDeltas?: number[] }

/** Module (absolute path) -> file whose code ran while its top level ran -> sampled µs. */
export type ModuleWork = Map<string, Map<string, number>>;

// A load in progress below the top level: its time is the loaded module's, not its importer's.
const LOADERS = new Set(['Module._load', 'hotpathLoad']);

function fileOf(url: string): string | undefined {
  if (url.startsWith('file://')) {
    try { return fileURLToPath(url); } catch { return undefined; }
  }
  return url.startsWith('/') || /^[A-Za-z]:[\\/]/.test(url) ? url : undefined;
}

/**
 * `modules`: the files the run loaded (from its import timing); frames of other files (the
 * profiler's preload, eval'd code) count for the nearest loaded module's frame below them.
 * Samples outside any module's top level (after startup, garbage collection alone) are left out.
 */
export function moduleWork(profile: RawCpuProfile, modules: Set<string>): ModuleWork {
  const out: ModuleWork = new Map();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (!Array.isArray(profile.nodes) || !samples.length) return out;
  const parent = new Map<number, number>();
  const byId = new Map<number, RawNode>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  // Per node: [owner module, file that ran] or null; computed once per node, not per sample.
  const memo = new Map<number, [string, string] | null>();
  const attribute = (leaf: number): [string, string] | null => {
    let ran: string | undefined;
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id)!.callFrame;
      if (LOADERS.has(f.functionName)) return null;
      const file = fileOf(f.url);
      if (file === undefined || !modules.has(file)) continue;
      if (f.functionName === '' && f.lineNumber === 0 && f.columnNumber === 0) return [file, ran ?? file];
      ran ??= file;
    }
    return null;
  };
  for (let i = 0; i < samples.length; i++) {
    const us = deltas[i + 1] ?? 0;
    if (us <= 0) continue;
    let a = memo.get(samples[i]);
    if (a === undefined) { a = attribute(samples[i]); memo.set(samples[i], a); }
    if (!a) continue;
    const [owner, ran] = a;
    let m = out.get(owner);
    if (!m) out.set(owner, (m = new Map()));
    m.set(ran, (m.get(ran) ?? 0) + us);
  }
  return out;
}

/** The sampled µs a module's top level spent in code of files `stays` says stay (never its own). */
export function sharedUs(work: ModuleWork | undefined, module: string, stays: (file: string) => boolean): number {
  let us = 0;
  for (const [file, t] of work?.get(module) ?? []) if (file !== module && stays(file)) us += t;
  return us;
}

/**
 * The share (0..1) of a module's sampled top-level time spent in code of modules that stay; 0
 * without samples. A share, applied to the measured load time, not the sampled µs themselves: on
 * a busy machine a process waits for a core most of its wall time (schedstat: 400-1,500 ms of
 * 900-2,000 ms for nodemon --version at load 13-15), and the samples catch a varying part of it.
 */
export function sharedShare(work: ModuleWork | undefined, module: string, stays: (file: string) => boolean): number {
  let all = 0;
  for (const t of work?.get(module)?.values() ?? []) all += t;
  return all > 0 ? sharedUs(work, module, stays) / all : 0;
}
