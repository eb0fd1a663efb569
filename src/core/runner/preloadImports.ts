// Module load timing inside the profiled process. CommonJS: a `Module._load` wrapper gives
// inclusive and exclusive time and the parent. ESM: loader hooks (module.register, Node >= 20.6)
// run on a separate loader thread and report resolve/load timing and parentURL over a
// MessagePort; evaluation time of ESM modules is left to the CPU profile's top-level frames.
import type { ImportRecord } from './types';
import { ENV } from './preloadEnv';

/* eslint-disable @typescript-eslint/no-var-requires */
const Module = require('module');
const { performance } = require('perf_hooks');
const { fileURLToPath } = require('url');
// Required before Module._load is wrapped, so the preload's own requires are not recorded.
const { MessageChannel, receiveMessageOnPort, isMainThread } = require('worker_threads');
const fs = require('fs');
const path = require('path');

interface Frame { file: string | null; start: number; childUs: number }

export interface ImportTracker {
  /** All records so far (drains pending ESM messages first). */
  records(): ImportRecord[];
}

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

  const drainEsm = registerEsmHooks(startEpochUs, errors, (r) => {
    const known = byFile.get(r.file);
    if (!known) add(r);
    else if (known.parent === null && r.parent !== null) known.parent = r.parent;
  });
  return { records() { drainEsm(); return records; } };
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
 * (.mjs, or .js under "type": "module") or an explicit --import/--loader. Not covered: ESM
 * loaded by import() from a CommonJS program, and worker threads (their entry is not visible
 * from the preload). Those modules' evaluation still shows in the CPU profile.
 */
function entryIsEsm(): boolean {
  const flags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  if (/--(import|loader|experimental-loader)\b/.test(flags)) return true;
  if (!isMainThread || !process.argv[1]) return false;
  const entry = path.resolve(process.argv[1]);
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

/** Returns a function that synchronously drains what the loader thread reported so far. */
function registerEsmHooks(startEpochUs: number, errors: string[], emit: (r: ImportRecord) => void): () => void {
  if (typeof Module.register !== 'function' || process.env[ENV.noEsmHooks] === '1' || !entryIsEsm()) return () => undefined;
  const { port1, port2 } = new MessageChannel();
  try {
    // The loader thread inherits the environment and NODE_OPTIONS: this flag makes its copy of
    // the preload stand down instead of registering hooks for itself (which deadlocks).
    process.env[ENV.inLoader] = '1';
    Module.register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { port: port2 }, transferList: [port2] });
  } catch (err) {
    errors.push(`ESM hooks: ${(err as Error).message}`);
    return () => undefined;
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
  return () => {
    for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) handle(m.message as Msg);
  };
}
