// Module load timing inside the profiled process. CommonJS: a `Module._load` wrapper gives
// inclusive and exclusive time and the parent. ESM: loader hooks (module.register, Node >= 20.6)
// run on a separate loader thread and report resolve/load timing and parentURL over a
// MessagePort; evaluation time of ESM modules is left to the CPU profile's top-level frames.
// Hooks are registered where ESM is certain (see entryIsEsm), including worker threads whose
// entry is ESM (the Worker constructor is wrapped to tell them), or everywhere with
// HOTPATH_ESM_HOOKS=always. A process that evaluated ES modules without hooks (import() from
// CommonJS) says so in its imports file (`esmUntimed`), so the reader can name it.
import type { ImportRecord } from './types';
import { ENV } from './preloadEnv';

/* eslint-disable @typescript-eslint/no-var-requires */
const Module = require('module');
const { performance } = require('perf_hooks');
const { fileURLToPath } = require('url');
// Required before Module._load is wrapped, so the preload's own requires are not recorded.
const workerThreads = require('worker_threads');
const { MessageChannel, receiveMessageOnPort, isMainThread } = workerThreads;
const fs = require('fs');
const path = require('path');

interface Frame { file: string | null; start: number; childUs: number }

export interface ImportTracker {
  /** All records so far (drains pending ESM messages first). */
  records(): ImportRecord[];
  /** True when ES modules were evaluated (import(), an ESM worker) without load-time hooks. */
  untimedEsm(): boolean;
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
  const byFile = new Map<string, ImportRecord>();
  const stack: Frame[] = [];
  const add = (r: ImportRecord) => { records.push(r); byFile.set(r.file, r); onModule(); };

  const origLoad = Module._load;
  const origProtoLoad = Module.prototype.load;
  // The wrappers are object-literal methods: their names (which the profile model elides, see
  // src/core/profile/preloadFrames.ts) survive minification, function expression names do not.
  const wrappers = {
    hotpathLoad(this: unknown, request: string, parent: { filename?: string } | null) {
      const frame: Frame = { file: null, start: epochUs(), childUs: 0 };
      stack.push(frame);
      try {
        // eslint-disable-next-line prefer-rest-params
        return origLoad.apply(this, arguments);
      } finally {
        stack.pop();
        const totalUs = epochUs() - frame.start;
        const outer = stack[stack.length - 1];
        const parentFile = parent && typeof parent.filename === 'string' ? parent.filename : null;
        if (frame.file !== null) {
          if (outer) outer.childUs += totalUs;
          const kind = frame.file.endsWith('.json') ? 'json' : 'cjs';
          add({ file: frame.file, parent: parentFile, kind, request, startUs: Math.round(frame.start - startEpochUs), totalUs: Math.round(totalUs), selfUs: Math.round(totalUs - frame.childUs) });
        } else if (typeof request === 'string' && Module.isBuiltin?.(request)) {
          const name = request.startsWith('node:') ? request : `node:${request}`;
          if (!seenBuiltins.has(name)) {
            seenBuiltins.add(name);
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
      // eslint-disable-next-line prefer-rest-params
      return origProtoLoad.apply(this, arguments);
    },
  };
  Module._load = wrappers.hotpathLoad;
  Module.prototype.load = wrappers.hotpathProtoLoad;

  const esm = registerEsmHooks(startEpochUs, errors, (r) => {
    const known = byFile.get(r.file);
    if (!known) add(r);
    else if (known.parent === null && r.parent !== null) known.parent = r.parent;
  });
  try { wrapWorker(); } catch (err) { errors.push(`Worker wrapper: ${(err as Error).message}`); }
  return {
    records() { esm.drain(); return withoutSkipped(records); },
    // The ESM module job is loaded lazily, on the first ES module evaluation (import() or an ESM entry).
    untimedEsm: () => !esm.registered && ((process as unknown as { moduleLoadList?: string[] }).moduleLoadList ?? []).includes('NativeModule internal/modules/esm/module_job'),
  };
}

/**
 * The records without another profiler's own modules (ENV.skipModules: 0x's --require preloads)
 * and everything they loaded (their builtins: node:cluster, node:net), so a module table shows
 * the program's load time, not the profiler's.
 */
function withoutSkipped(records: ImportRecord[]): ImportRecord[] {
  const dirs = (process.env[ENV.skipModules] ?? '').split(path.delimiter).filter(Boolean).map((d) => d.endsWith(path.sep) ? d : d + path.sep);
  if (!dirs.length) return records;
  const skipped = new Set(records.filter((r) => dirs.some((d) => r.file.startsWith(d))).map((r) => r.file));
  if (!skipped.size) return records;
  for (let grew = true; grew;) {
    grew = false;
    for (const r of records) {
      if (!skipped.has(r.file) && r.parent !== null && skipped.has(r.parent)) { skipped.add(r.file); grew = true; }
    }
  }
  return records.filter((r) => !skipped.has(r.file));
}

const HOOKS = `
let port;
const now = () => (performance.timeOrigin + performance.now()) * 1000;
export async function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const s = now();
  const r = await next(specifier, context);
  port.postMessage({ t: 'r', specifier, parent: context.parentURL ?? null, url: r.url, s, e: now() });
  return r;
}
export async function load(url, context, next) {
  const s = now();
  const r = await next(url, context);
  port.postMessage({ t: 'l', url, format: r.format ?? null, s, e: now() });
  return r;
}`;

type Msg = { t: 'r'; specifier: string; parent: string | null; url: string; s: number; e: number } | { t: 'l'; url: string; format: string | null; s: number; e: number };

function toFile(url: string): string {
  if (url.startsWith('file:')) return fileURLToPath(url);
  if (!url.includes(':')) return `node:${url}`;
  return url;
}

function kindOf(format: string | null, url: string): ImportRecord['kind'] {
  if (format === 'builtin' || url.startsWith('node:')) return 'builtin';
  if (format === 'commonjs') return 'cjs';
  if (format === 'json') return 'json';
  if (format === 'wasm') return 'wasm';
  return 'esm';
}

/**
 * Registering hooks starts a loader thread and blocks until it is up: 30 to 400 ms measured here,
 * paid by every process. So hooks go only where ESM is certain to be used: an ESM entry point
 * (.mjs, or .js under "type": "module"), an explicit --import/--loader, or a worker thread
 * started on an ES module file. Not covered unless HOTPATH_ESM_HOOKS=always: ESM loaded by
 * import() from a CommonJS program (reported as `esmUntimed`). Those modules' evaluation time
 * still shows in the CPU profile (their top-level frames).
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

/** Registers the hooks when ESM is expected; `drain` synchronously reads what the loader thread reported so far. */
function registerEsmHooks(startEpochUs: number, errors: string[], emit: (r: ImportRecord) => void): { drain: () => void; registered: boolean } {
  const none = { drain: () => undefined, registered: false };
  if (typeof Module.register !== 'function' || process.env[ENV.noEsmHooks] === '1') return none;
  if (process.env[ENV.esmHooks] !== 'always' && !entryIsEsm()) return none;
  const { port1, port2 } = new MessageChannel();
  try {
    // The loader thread inherits the environment and NODE_OPTIONS: this flag makes its copy of
    // the preload stand down instead of registering hooks for itself (which deadlocks).
    process.env[ENV.inLoader] = '1';
    Module.register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { port: port2 }, transferList: [port2] });
  } catch (err) {
    errors.push(`ESM hooks: ${(err as Error).message}`);
    return none;
  } finally {
    delete process.env[ENV.inLoader];
  }
  const pending = new Map<string, { specifier: string; parent: string | null; s: number; resolveUs: number }>();
  const handle = (m: Msg) => {
    if (m.t === 'r') {
      if (!pending.has(m.url)) pending.set(m.url, { specifier: m.specifier, parent: m.parent, s: m.s, resolveUs: m.e - m.s });
      return;
    }
    const r = pending.get(m.url);
    if (!r || (r as { done?: boolean }).done) return;
    (r as { done?: boolean }).done = true;
    emit({
      file: toFile(m.url), parent: r.parent ? toFile(r.parent) : null, kind: kindOf(m.format, m.url), request: r.specifier,
      startUs: Math.round(r.s - startEpochUs), totalUs: -1, selfUs: -1, loadUs: Math.round(r.resolveUs + (m.e - m.s)),
    });
  };
  port1.on('message', handle);
  port1.unref();
  return {
    registered: true,
    drain: () => {
      for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) handle(m.message as Msg);
    },
  };
}
