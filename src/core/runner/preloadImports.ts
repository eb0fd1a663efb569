// Module load timing inside the profiled process. CommonJS: a `Module._load` wrapper gives
// inclusive and exclusive time and the parent. ESM: loader hooks (preloadEsm.ts) time resolve,
// load, compile and evaluation of every ES module. Hooks are registered where ESM is certain
// (see entryIsEsm), including worker threads whose entry is ESM (the Worker constructor is
// wrapped to tell them), or everywhere with HOTPATH_ESM_HOOKS=always. A process that evaluated
// ES modules without hooks (import() from CommonJS) says so in its imports file (`esmUntimed`),
// so the reader can name it.
import type { ImportEdge, ImportRecord, ImportsFile } from './types';
import { ENV } from './preloadEnv';
import { esmRecords, inThreadHooks, registerEsmHooks, type CjsSpan } from './preloadEsm';

/* eslint-disable @typescript-eslint/no-var-requires */
const Module = require('module');
const { performance } = require('perf_hooks');
const { fileURLToPath } = require('url');
// Required before Module._load is wrapped, so the preload's own requires are not recorded.
const workerThreads = require('worker_threads');
const { isMainThread } = workerThreads;
const fs = require('fs');
const path = require('path');

/** `hooksUs`: hooksUs (the ESM hooks' registration time so far) when the frame began. */
interface Frame { file: string | null; start: number; childUs: number; hooksUs: number }

export interface ImportTracker {
  /** All records so far (drains pending ESM messages first). */
  records(): ImportRecord[];
  /** Every importer -> module edge that ran, once each (cache hits too; see ImportEdge). */
  edges(): ImportEdge[];
  /** True when ES modules were evaluated (import(), an ESM worker) without load-time hooks. */
  untimedEsm(): boolean;
  /** When the ESM hooks were registered: how long that took (the profiler's cost) and whether it was on a CommonJS `import(` (lazy). */
  esmHooks(): ImportsFile['esmHooks'];
}

/** Environment data key the wrapped Worker constructor sets for a worker whose entry is ESM. */
const ESM_WORKER_KEY = 'hotpath:esm-worker';

/** Epoch-based microseconds, comparable across threads (the loader thread has its own timeOrigin). */
function epochUs(): number {
  return (performance.timeOrigin + performance.now()) * 1000;
}

export function trackImports(startEpochUs: number, onModule: () => void, errors: string[]): ImportTracker {
  const records: ImportRecord[] = [];
  const seenBuiltins = new Set<string>();
  const stack: Frame[] = [];
  let hooksUs = 0;
  /** CommonJS modules loaded with no CommonJS parent after the entry: the ESM loader ran them. */
  const noParent = new Set<string>();
  const add = (r: ImportRecord) => { records.push(r); onModule(); };
  // Every edge, not only first loads: a module deferred in one importer is still loaded at
  // startup by any other that requires it eagerly. Keyed by importer and specifier, so a
  // repeated require costs one map lookup; a cache hit is resolved once per new pair.
  const edges = new Map<string, ImportEdge>();
  // Modules whose top level is evaluating now (inside their Module.prototype.load).
  const evaluating = new Map<string, number>();
  const addEdge = (parent: { filename?: string } | null, parentFile: string, request: string, to: string | null) => {
    const key = `${parentFile}\0${request}`;
    const eager = evaluating.has(parentFile);
    const known = edges.get(key);
    if (known) {
      if (eager) known.eager = true;
      else known.late = true;
      return;
    }
    if (to === null) {
      try { to = Module._resolveFilename(request, parent, false) as string; } catch { return; }
      if (Module.isBuiltin?.(to) && !to.startsWith('node:')) to = `node:${to}`;
    }
    edges.set(key, { from: parentFile, to, request, eager, late: !eager });
  };

  const origLoad = Module._load;
  const origProtoLoad = Module.prototype.load;
  // The wrappers are object-literal methods: their names (which the profile model elides, see
  // src/core/profile/preloadFrames.ts) survive minification, function expression names do not.
  const wrappers = {
    hotpathLoad(this: unknown, request: string, parent: { filename?: string } | null) {
      const frame: Frame = { file: null, start: epochUs(), childUs: 0, hooksUs };
      stack.push(frame);
      try {
        // eslint-disable-next-line prefer-rest-params
        return origLoad.apply(this, arguments);
      } finally {
        stack.pop();
        // Registering the ESM hooks inside this load (see hotpathCompile) is the profiler's time, not the module's.
        const totalUs = epochUs() - frame.start - (hooksUs - frame.hooksUs);
        const outer = stack[stack.length - 1];
        const parentFile = parent && typeof parent.filename === 'string' ? parent.filename : null;
        if (parentFile !== null && typeof request === 'string') {
          const builtin = frame.file === null && Module.isBuiltin?.(request);
          try { addEdge(parent, parentFile, request, frame.file ?? (builtin ? (request.startsWith('node:') ? request : `node:${request}`) : null)); } catch { /* never break the target */ }
        }
        if (frame.file !== null) {
          if (outer) outer.childUs += totalUs;
          const kind = frame.file.endsWith('.json') ? 'json' : 'cjs';
          if (parentFile === null) noParent.add(frame.file);
          add({ file: frame.file, parent: parentFile, kind, request, startUs: Math.round(frame.start - startEpochUs), totalUs: Math.round(totalUs), selfUs: Math.round(totalUs - frame.childUs) });
        } else if (typeof request === 'string' && Module.isBuiltin?.(request)) {
          const name = request.startsWith('node:') ? request : `node:${request}`;
          if (!seenBuiltins.has(name)) {
            seenBuiltins.add(name);
            // A built-in's first load is a child like any other: its time is its own, not the parent's.
            if (outer) outer.childUs += totalUs;
            add({ file: name, parent: parentFile, kind: 'builtin', request, startUs: Math.round(frame.start - startEpochUs), totalUs: Math.round(totalUs), selfUs: Math.round(totalUs) });
          }
        }
        // Anything else was a cache hit: too cheap to matter, its time stays in the parent's self time.
      }
    },
    // `load` runs only for modules that are new, inside their own `_load` frame: it names the frame.
    hotpathProtoLoad(this: unknown, filename: string) {
      const top = stack[stack.length - 1];
      if (top && top.file === null) top.file = filename;
      evaluating.set(filename, (evaluating.get(filename) ?? 0) + 1);
      try {
        // eslint-disable-next-line prefer-rest-params
        return origProtoLoad.apply(this, arguments);
      } finally {
        const n = (evaluating.get(filename) ?? 1) - 1;
        if (n > 0) evaluating.set(filename, n);
        else evaluating.delete(filename);
      }
    },
  };
  Module._load = wrappers.hotpathLoad;
  Module.prototype.load = wrappers.hotpathProtoLoad;

  let hooksInfo: ImportsFile['esmHooks'];
  const register = (lazy: boolean) => {
    const t0 = epochUs();
    const hooks = registerEsmHooks(errors, onModule);
    const us = epochUs() - t0;
    if (hooks) hooksInfo = { atUs: Math.round(t0 - startEpochUs), registerUs: Math.round(us), lazy };
    return { hooks, us };
  };
  let esm = wantEsmHooks() ? register(false).hooks : undefined;
  if (!esm && process.env[ENV.noEsmHooks] !== '1') {
    // A CommonJS module whose source mentions import( may load ES modules: the hooks are
    // registered just before it is compiled (once; the wrapper then steps aside).
    const origCompile = Module.prototype._compile;
    const lazy = {
      hotpathCompile(this: unknown, content: unknown) {
        if (typeof content === 'string' && content.includes('import(')) {
          Module.prototype._compile = origCompile;
          const { hooks, us } = register(true);
          esm = hooks;
          hooksUs += us;
        }
        // eslint-disable-next-line prefer-rest-params
        return origCompile.apply(this, arguments);
      },
    };
    if (typeof origCompile === 'function') Module.prototype._compile = lazy.hotpathCompile;
  }
  try { wrapWorker(); } catch (err) { errors.push(`Worker wrapper: ${(err as Error).message}`); }
  return {
    records() {
      if (!esm) return withoutSkipped(records);
      // Times of CommonJS loads on this thread: the ES module timing leaves them to Module._load.
      const timed = records.filter((r) => r.totalUs >= 0);
      const spans: CjsSpan[] = timed.map((r) => {
        const s = startEpochUs + r.startUs;
        return { s, e: s + r.totalUs, separator: noParent.has(r.file) };
      });
      const esmRecs = esmRecords(esm.modules(), records, spans, startEpochUs, esm.idleSamples(), esm.inThread);
      // ES module time inside a CommonJS load (in-thread hooks) is the ES modules', not its self time.
      const taken = new Map(timed.map((r, i) => [r, spans[i].takenUs ?? 0]));
      const cjsRecs = records.map((r) => (taken.get(r)! > 0 && r.selfUs >= 0 ? { ...r, selfUs: Math.max(0, r.selfUs - Math.round(taken.get(r)!)) } : r));
      return withoutSkipped([...cjsRecs, ...esmRecs]);
    },
    edges() {
      const all = [...edges.values()];
      // The ES module loader's imports: it does not tell a static import from import(), so they are marked `esm`.
      for (const e of esm?.edges() ?? []) if (!edges.has(`${e.from}\0${e.request}`)) all.push(e);
      return withoutSkippedEdges(all, records);
    },
    // The ESM module job is loaded lazily, on the first ES module evaluation (import() or an ESM entry).
    untimedEsm: () => !esm && ((process as unknown as { moduleLoadList?: string[] }).moduleLoadList ?? []).includes('NativeModule internal/modules/esm/module_job'),
    esmHooks: () => hooksInfo,
  };
}

/**
 * The records without another profiler's own modules (ENV.skipModules: 0x's --require preloads)
 * and everything they loaded (their builtins: node:cluster, node:net), so a module table shows
 * the program's load time, not the profiler's.
 */
function withoutSkipped(records: ImportRecord[]): ImportRecord[] {
  const skipped = skippedFiles(records);
  return skipped.size ? records.filter((r) => !skipped.has(r.file)) : records;
}

function withoutSkippedEdges(edges: ImportEdge[], records: ImportRecord[]): ImportEdge[] {
  const skipped = skippedFiles(records);
  return skipped.size ? edges.filter((e) => !skipped.has(e.from) && !skipped.has(e.to)) : edges;
}

function skippedFiles(records: ImportRecord[]): Set<string> {
  const dirs = (process.env[ENV.skipModules] ?? '').split(path.delimiter).filter(Boolean).map((d) => d.endsWith(path.sep) ? d : d + path.sep);
  if (!dirs.length) return new Set();
  const skipped = new Set(records.filter((r) => dirs.some((d) => r.file.startsWith(d))).map((r) => r.file));
  if (!skipped.size) return skipped;
  for (let grew = true; grew;) {
    grew = false;
    for (const r of records) {
      if (!skipped.has(r.file) && r.parent !== null && skipped.has(r.parent)) { skipped.add(r.file); grew = true; }
    }
  }
  return skipped;
}

/** Whether this process or worker registers the ESM hooks at its start (HOTPATH_ESM_HOOKS, in-thread hooks, else entryIsEsm). */
function wantEsmHooks(): boolean {
  if (process.env[ENV.noEsmHooks] === '1') return false;
  return process.env[ENV.esmHooks] === 'always' || inThreadHooks() || entryIsEsm();
}

/**
 * Registering hooks starts a loader thread and blocks until it is up: 30 to 500 ms measured here,
 * paid by every process. So hooks go at start only where ESM is certain to be used: an ESM entry
 * point (.mjs, or .js under "type": "module"), an explicit --import/--loader, or a worker thread
 * started on an ES module file; and later in a process whose CommonJS code mentions `import(`
 * (see trackImports). Not covered unless HOTPATH_ESM_HOOKS=always: ES modules loaded by code that
 * never went through Module.prototype._compile (vm, eval'd strings), reported as `esmUntimed`.
 */
function entryIsEsm(): boolean {
  const flags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  if (/--(import|loader|experimental-loader)\b/.test(flags)) return true;
  if (!isMainThread) {
    // Set by the parent's wrapped Worker constructor; cleared so this worker's own workers decide for themselves.
    const esmWorker = workerThreads.getEnvironmentData?.(ESM_WORKER_KEY) === true;
    if (esmWorker) workerThreads.setEnvironmentData(ESM_WORKER_KEY, undefined);
    return esmWorker;
  }
  return !!process.argv[1] && isEsmFile(path.resolve(process.argv[1]));
}

/** An .mjs file, or a .js file under a package.json with "type": "module". */
function isEsmFile(entry: string): boolean {
  if (/\.(mjs|mts)$/.test(entry)) return true;
  if (/\.(cjs|cts|json|node)$/.test(entry)) return false;
  for (let dir = path.dirname(entry); ; dir = path.dirname(dir)) {
    try {
      return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).type === 'module';
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return false;
    }
    if (path.dirname(dir) === dir) return false;
  }
}

/**
 * Wraps worker_threads.Worker so that a worker started from an ES module file (a path or file:
 * URL, .mjs or under "type": "module") finds ESM_WORKER_KEY in its environment data and
 * registers the hooks. The key is set only around the constructor call: the worker copies the
 * environment data when it is created.
 */
function wrapWorker(): void {
  const Orig = workerThreads.Worker;
  if (typeof workerThreads.setEnvironmentData !== 'function' || (Orig as { hotpathWrapped?: boolean }).hotpathWrapped) return;
  const esmEntry = (filename: unknown, options: { eval?: boolean } | undefined): boolean => {
    if (options?.eval) return false;
    try {
      const file = filename instanceof URL || (typeof filename === 'string' && filename.startsWith('file:')) ? fileURLToPath(filename as string) : filename;
      return typeof file === 'string' && isEsmFile(path.resolve(file));
    } catch {
      return false;
    }
  };
  // A named class: `Worker.name`, instanceof and subclassing behave as before.
  const Worker = class Worker extends Orig {
    constructor(filename: unknown, options?: { eval?: boolean }) {
      const mark = esmEntry(filename, options);
      if (mark) workerThreads.setEnvironmentData(ESM_WORKER_KEY, true);
      try {
        super(filename, options);
      } finally {
        if (mark) workerThreads.setEnvironmentData(ESM_WORKER_KEY, undefined);
      }
    }
  };
  Object.defineProperty(Worker, 'hotpathWrapped', { value: true });
  workerThreads.Worker = Worker;
  // `import { Worker } from 'node:worker_threads'` reads the builtin's ESM facade: update it too.
  Module.syncBuiltinESMExports?.();
}
