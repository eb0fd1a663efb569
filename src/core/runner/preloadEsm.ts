// ES module load and evaluation timing inside the profiled process (part of the preload; no
// imports at run time). Loader hooks time resolve and load (read) of every module: on Node 24
// in-thread hooks (module.registerHooks, synchronous, main thread), before that module.register
// hooks on Node's loader thread, which report over a MessagePort (Node >= 20.6).
// The load hook also appends two lines to the source of every ES module (never prepends: line
// and column positions, source maps and stack traces stay as they were):
//
//   import "hotpath:compiled";                                  (a shared empty module)
//   ;globalThis[Symbol.for("hotpath.esm.evaluated")]?.(<id>);   (the module's evaluation ended)
//
// - Compile: Node compiles a module on the main thread as soon as its source arrives, then at
//   once asks the loader to resolve all its imports, in source order; the appended import makes
//   sure there is one. The first of these resolve calls (with the module as parentURL) to reach
//   the loader thread marks the end of the compile (the loader may be late to take it up: the
//   mark is when it did).
//   Compile = from the load hook's answer (or the previous module's compile end: the main thread
//   compiles one module at a time) to that mark. It includes the message latency between the
//   threads and the work of other loader hooks (e.g. tsx's transform) that run after ours.
// - Evaluation: the main thread evaluates one module body at a time, and a static module graph
//   in one synchronous pass, in post-order; the end marker of each module runs when its body is
//   done. So a module's evaluation started where the previous event ended: the previous end
//   marker, a CommonJS module the graph imports (timed by Module._load), or, for the first module
//   of a graph, the last compile before it. A module with top-level await ends later: its span
//   then includes the time it awaited, of which only the main thread's busy share is charged.
// - Attribution (`attribute`): the wall time is split so that the modules' self times add up to
//   what loading them cost the main thread: while the main thread compiles or evaluates a
//   module, that module is charged; while it waits for the loader, the modules whose resolve or
//   load is in progress share the time; stretches where neither thread works on a module (the
//   hooks' own message passing, which a run without hooks does not pay) are charged to nobody.
//   Whether the main thread waited comes from the event loop's idle time, sampled each time a
//   message from the loader is handled: within a compile or evaluation span only the busy share
//   is that module's (a compile mark the loader took up late, an awaited timer, are not).
//   While a CommonJS module is being loaded (Module._load), its own measured time stands and
//   no ES module is charged.
// - Not measured (selfUs/totalUs -1): an ES module whose evaluation has not ended (a flush while
//   it loads, or it threw). A body that called process.exit() ends at the exit (evalEndedByExit). JSON modules imported from ESM: their parse runs in the evaluation
//   pass without a marker and is charged to the next module of the pass.
import type { ImportEdge, ImportRecord } from './types';
import { ENV } from './preloadEnv';

/* eslint-disable @typescript-eslint/no-var-requires */
const Module = require('module');
const { performance } = require('perf_hooks');
const { fileURLToPath } = require('url');
const { MessageChannel, receiveMessageOnPort } = require('worker_threads');

/** The specifier of the shared empty module appended to every ES module (its resolve marks the compile end). */
export const COMPILED_MARK = 'hotpath:compiled';
/** The global (a symbol key) the evaluation end marker calls. */
export const EVALUATED_KEY = 'hotpath.esm.evaluated';

/**
 * The hooks' logic, shared by both ways of registering them: on Node's loader thread
 * (module.register; this function's source text runs there, so it names nothing outside itself)
 * and in-thread (module.registerHooks, synchronous). `next` returns a promise on the loader
 * thread and a value in-thread: both are handled.
 */
function makeHooks(post: (m: Msg) => void, mark: string, evaluatedKey: string) {
  let nextId = 0;
  // globalThis: the bundle renames the module-level `performance`, which the loader thread lacks.
  const perf = globalThis.performance;
  const now = () => (perf.timeOrigin + perf.now()) * 1000;
  const decoder = new TextDecoder();
  const then = <T, U>(r: T | Promise<T>, f: (v: T) => U): U | Promise<U> => (r && typeof (r as Promise<T>).then === 'function' ? (r as Promise<T>).then(f) : f(r as T));
  return {
    resolve(specifier: string, context: { parentURL?: string }, next: (s: string, c: unknown) => { url: string } | Promise<{ url: string }>) {
      if (specifier === mark) {
        post({ t: 'c', parent: context.parentURL ?? null, s: now() });
        return { url: mark, shortCircuit: true };
      }
      const s = now();
      return then(next(specifier, context), (r) => {
        post({ t: 'r', specifier, parent: context.parentURL ?? null, url: r.url, s, e: now() });
        return r;
      });
    },
    load(url: string, context: unknown, next: (u: string, c: unknown) => LoadResult | Promise<LoadResult>) {
      if (url === mark) return { format: 'module', source: '', shortCircuit: true };
      const s = now();
      return then(next(url, context), (r) => {
        const e = now();
        let id = -1;
        if ((r.format === 'module' || r.format === 'module-typescript') && r.source != null) {
          try {
            const text = typeof r.source === 'string' ? r.source : decoder.decode(r.source as Uint8Array);
            id = nextId++;
            r.source = `${text}\nimport ${JSON.stringify(mark)};\n;globalThis[Symbol.for(${JSON.stringify(evaluatedKey)})]?.(${id});\n`;
          } catch {
            id = -1;
          }
        }
        post({ t: 'l', url, id, format: r.format ?? null, s, e, x: now() });
        return r;
      });
    },
  };
}

interface LoadResult { format?: string | null; source?: string | ArrayBuffer | Uint8Array | null }

/** The loader-thread module for module.register: makeHooks posting over the MessagePort it is given. */
const HOOKS = `
const makeHooks = ${makeHooks.toString()};
let hooks;
export async function initialize(data) { hooks = makeHooks((m) => data.port.postMessage(m), ${JSON.stringify(COMPILED_MARK)}, ${JSON.stringify(EVALUATED_KEY)}); }
export async function resolve(specifier, context, next) { return hooks.resolve(specifier, context, next); }
export async function load(url, context, next) { return hooks.load(url, context, next); }
`;

type Msg =
  | { t: 'r'; specifier: string; parent: string | null; url: string; s: number; e: number }
  | { t: 'l'; url: string; id: number; format: string | null; s: number; e: number; x: number }
  | { t: 'c'; parent: string | null; s: number };

/** What the loader thread and the end markers said about one module (epoch µs). */
export interface EsmModule {
  url: string;
  specifier: string;
  parent: string | null;
  format?: string | null;
  /** First resolve: start and end. */
  rs: number;
  re: number;
  /** Load: start, end, and when the (marked) source was handed back. */
  ls?: number;
  le?: number;
  x?: number;
  /** Compile end: the first resolve request from this module (its imports or the appended mark). */
  c?: number;
  /** Evaluation end (the end marker). */
  ee?: number;
  /** The evaluation ended with process.exit called from this module's body (no end marker). */
  exitEnd?: boolean;
}

/** A main-thread interval of CommonJS loading (Module._load), epoch µs; `separator`: loaded by the ESM loader (no CommonJS parent). */
export interface CjsSpan {
  s: number; e: number; separator: boolean;
  /**
   * Set by attribute(): main-thread ES module time (in-thread hooks) charged while this was the
   * innermost CommonJS load, which its own Module._load time also holds (µs).
   */
  takenUs?: number;
}

export interface EsmTiming { selfUs: number; compileUs?: number; evalUs?: number; evalEndUs?: number; endedByExit?: boolean }

export interface EsmHooks {
  registered: boolean;
  /** Reads what the loader thread reported so far (synchronously). */
  drain(): void;
  /** Resolve and load ran on the main thread (module.registerHooks), not on a loader thread. */
  inThread: boolean;
  /** The modules seen so far, in order of first resolve. */
  modules(): EsmModule[];
  /** Main-thread samples: pairs of [epoch µs, cumulative event-loop idle µs], in time order. */
  idleSamples(): number[];
  /** Every importer -> module resolve seen so far, once per importer and specifier. */
  edges(): ImportEdge[];
}

function toFile(url: string): string {
  if (url.startsWith('file:')) return fileURLToPath(url);
  if (!url.includes(':')) return `node:${url}`;
  return url;
}

export function kindOf(format: string | null | undefined, url: string): ImportRecord['kind'] {
  if (format === 'builtin' || url.startsWith('node:')) return 'builtin';
  if (format === 'commonjs') return 'cjs';
  if (format === 'json') return 'json';
  if (format === 'wasm') return 'wasm';
  return 'esm';
}

/**
 * In-thread hooks (module.registerHooks) where verified here (Node 24): no loader thread to
 * start (registering took 0.6 ms against 30-1,300 ms for module.register), no messages; resolve
 * and load run on the main thread. Cheap enough to register in every process at its start.
 */
export function inThreadHooks(): boolean {
  return typeof Module.registerHooks === 'function' && Number(process.versions.node.split('.')[0]) >= 24;
}

/**
 * Registers the hooks and the end marker. Registering starts the loader thread and blocks until
 * it is up (30 to 500 ms measured here, more on a busy machine), so the caller decides when.
 */
export function registerEsmHooks(errors: string[], onModule: () => void): EsmHooks | undefined {
  if (typeof Module.register !== 'function' || process.env[ENV.noEsmHooks] === '1') return undefined;
  const byUrl = new Map<string, EsmModule>();
  const byId = new Map<number, EsmModule>();
  const marks: number[] = [];
  const evaluated = (id: number) => { marks.push(id, (performance.timeOrigin + performance.now()) * 1000); };
  // process.exit() called from inside a module's body (a CLI's `--version`): that body never
  // reaches its end marker. The outermost top-level frame of an ES module on the exit's stack
  // whose evaluation has not ended is the body that was running: its evaluation ends at the exit.
  // (A body suspended at a top-level await is not on the stack, a callback it set up is called by
  // something else than the loader: it stays not measured.)
  const exitEnded = new Set<number>();
  const onExit = () => {
    try {
      const at = (performance.timeOrigin + performance.now()) * 1000;
      drain();
      const limit = Error.stackTraceLimit, prepare = Error.prepareStackTrace;
      let sites: NodeJS.CallSite[] = [];
      try {
        Error.stackTraceLimit = Infinity;
        Error.prepareStackTrace = (_e, s) => s;
        sites = new Error().stack as unknown as NodeJS.CallSite[];
      } finally {
        Error.stackTraceLimit = limit;
        Error.prepareStackTrace = prepare;
      }
      const ended = new Set<number>();
      for (let i = 0; i < marks.length; i += 2) ended.add(marks[i]);
      const idOf = new Map<string, number>();
      for (const [id, m] of byId) if (!ended.has(id)) idOf.set(m.url, id);
      for (let i = (Array.isArray(sites) ? sites.length : 0) - 1; i >= 0; i--) {
        const id = idOf.get(sites[i].getFileName() ?? '');
        // A module body is called by Node's ES module loader (or resumed from an await: no caller);
        // an anonymous callback of the module (a timer's) is called by something else.
        const caller = sites[i + 1]?.getFileName() ?? '';
        if (id !== undefined && sites[i].getFunctionName() === null && (!caller || caller.startsWith('node:internal/modules/esm/'))) {
          marks.push(id, at);
          exitEnded.add(id);
          break;
        }
      }
    } catch { /* no figure: the module stays not measured */ }
  };
  process.prependListener('exit', onExit);
  // Installed before any ES module can be evaluated; not enumerable, a symbol key.
  Object.defineProperty(globalThis, Symbol.for(EVALUATED_KEY), { value: evaluated, configurable: true, writable: false, enumerable: false });
  // The first request the loader saw from each module (its imports, then the mark).
  const compiled = new Map<string, number>();
  const requested = (parent: string | null, s: number) => {
    if (parent !== null && !(compiled.get(parent)! <= s)) compiled.set(parent, s);
  };
  const edges = new Map<string, ImportEdge>();
  const handle = (m: Msg) => {
    if (m.t === 'r') {
      if (!byUrl.has(m.url)) byUrl.set(m.url, { url: m.url, specifier: m.specifier, parent: m.parent, rs: m.s, re: m.e });
      // Static import or import(): the loader does not say; the reader decides from the importer's source.
      const key = `${m.parent}\0${m.specifier}`;
      if (m.parent && !edges.has(key)) edges.set(key, { from: toFile(m.parent), to: toFile(m.url), request: m.specifier, eager: true, late: false, esm: true });
      requested(m.parent, m.s);
      return;
    }
    if (m.t === 'c') {
      requested(m.parent, m.s);
      return;
    }
    const r = byUrl.get(m.url);
    if (!r || r.ls !== undefined) return;
    Object.assign(r, { ls: m.s, le: m.e, x: m.x, format: m.format });
    if (m.id >= 0) byId.set(m.id, r);
    onModule();
  };
  // Main-thread samples: [epoch µs, event-loop idle µs so far], taken between tasks (a message
  // from the loader thread handled) or at each in-thread hook call. Between two samples, the
  // idle share says how much of a stretch the main thread waited rather than compiled or evaluated.
  const idle: number[] = [];
  const sample = () => idle.push((performance.timeOrigin + performance.now()) * 1000, performance.eventLoopUtilization().idle * 1000);
  let drain = () => undefined as void;
  const inThread = inThreadHooks();
  let port2: unknown;
  try {
    // The loader thread inherits the environment and NODE_OPTIONS: this flag makes its copy of
    // the preload stand down instead of registering hooks for itself (which deadlocks).
    process.env[ENV.inLoader] = '1';
    // Object-literal methods: their names survive minification, and the profile model folds
    // their whole subtree (Node's loader thread start-up, waitForWorker) into (hotpath profiler).
    const profiler = {
      hotpathRegisterHooks() {
        if (inThread) {
          const hooks = makeHooks((m) => { sample(); handle(m); }, COMPILED_MARK, EVALUATED_KEY);
          // require() calls go through these hooks too: Module._load times them, so they pass through.
          type Ctx = { conditions?: string[]; parentURL?: string };
          const byRequire = (c: Ctx) => !!c?.conditions?.includes('require');
          Module.registerHooks({
            resolve: (s: string, c: Ctx, n: (s: string, c: Ctx) => { url: string }) => (byRequire(c) ? n(s, c) : hooks.resolve(s, c, n as never)),
            load: (u: string, c: Ctx, n: (u: string, c: Ctx) => LoadResult) => (byRequire(c) ? n(u, c) : hooks.load(u, c, n as never)),
          });
          return;
        }
        const channel = new MessageChannel();
        port2 = channel.port2;
        Module.register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { port: port2 }, transferList: [port2] });
        channel.port1.on('message', (m: Msg) => { sample(); handle(m); });
        channel.port1.unref();
        drain = () => {
          for (let m = receiveMessageOnPort(channel.port1); m; m = receiveMessageOnPort(channel.port1)) handle(m.message as Msg);
        };
      },
    };
    profiler.hotpathRegisterHooks();
  } catch (err) {
    errors.push(`ESM hooks: ${(err as Error).message}`);
    return undefined;
  } finally {
    delete process.env[ENV.inLoader];
  }
  return {
    registered: true,
    inThread,
    drain: () => drain(),
    modules() {
      drain();
      for (const [url, c] of compiled) {
        const r = byUrl.get(url);
        // Only a module the mark was appended to: others (CommonJS) send no requests right after compiling.
        if (r && r.ls !== undefined && kindOf(r.format, r.url) === 'esm') r.c = c;
      }
      for (let i = 0; i < marks.length; i += 2) {
        const r = byId.get(marks[i]);
        if (r && r.ee === undefined) {
          r.ee = marks[i + 1];
          if (exitEnded.has(marks[i])) r.exitEnd = true;
        }
      }
      return [...byUrl.values()];
    },
    edges() {
      drain();
      return [...edges.values()];
    },
    idleSamples: () => idle,
  };
}

interface Span { s: number; e: number; mod?: EsmModule; kind: 'cjs' | 'main' | 'loader'; cjs?: CjsSpan }

/**
 * Per-module self time (µs) of ES modules, with its compile and evaluation parts (see the
 * header). `cjs`: the CommonJS loads of the same thread (main-thread busy, already measured).
 */
export function attribute(mods: EsmModule[], cjs: CjsSpan[], idleSamples: number[] = [], inThread = false): Map<EsmModule, EsmTiming> {
  const spans: Span[] = cjs.map((c) => ({ s: c.s, e: c.e, kind: 'cjs', cjs: c }));
  // Compile: the main thread compiles one module at a time, in the order of the marks.
  const compiles = mods.filter((m) => m.c !== undefined && m.x !== undefined).sort((a, b) => a.c! - b.c!);
  const compileEnds: number[] = [];
  let prev = -Infinity;
  const compileSpan = new Map<EsmModule, Span>();
  for (const m of compiles) {
    const span: Span = { s: Math.min(m.c!, Math.max(m.x!, prev)), e: m.c!, mod: m, kind: 'main' };
    compileSpan.set(m, span);
    spans.push(span);
    compileEnds.push(m.c!);
    prev = m.c!;
  }
  // Evaluation: one body at a time; separators are CommonJS modules the ESM loader ran.
  const separators = cjs.filter((c) => c.separator).map((c) => c.e).sort((a, b) => a - b);
  const lastBefore = (sorted: number[], t: number) => {
    let lo = 0, hi = sorted.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (sorted[mid] <= t) lo = mid + 1; else hi = mid; }
    return lo > 0 ? sorted[lo - 1] : -Infinity;
  };
  const evaluated = mods.filter((m) => m.ee !== undefined).sort((a, b) => a.ee! - b.ee!);
  const evalSpan = new Map<EsmModule, Span>();
  let last: EsmModule | undefined;
  for (const m of evaluated) {
    const bounds = [lastBefore(compileEnds, m.ee!), lastBefore(separators, m.ee!), m.c ?? -Infinity, last?.ee ?? -Infinity];
    const s = Math.min(m.ee!, Math.max(...bounds));
    if (Number.isFinite(s)) {
      const span: Span = { s, e: m.ee!, mod: m, kind: 'main' };
      evalSpan.set(m, span);
      spans.push(span);
    }
    last = m;
  }
  // Resolve and load: the loader thread's work (the main thread waits meanwhile), or with in-thread hooks the main thread's.
  const fetchKind = inThread ? 'main' : 'loader';
  for (const m of mods) {
    if (m.re > m.rs) spans.push({ s: m.rs, e: m.re, mod: m, kind: fetchKind });
    if (m.ls !== undefined && m.le! > m.ls) spans.push({ s: m.ls, e: m.le!, mod: m, kind: fetchKind });
  }
  // Sweep: each stretch goes to CommonJS (nobody here), else to the module(s) the main thread
  // compiles or evaluates, for the share of it the main thread was busy; the rest (it waited) to
  // the modules the loader is resolving or reading, else to nobody (the hooks' messages).
  const charged = new Map<EsmModule, number>();
  const chargedBy = new Map<Span, number>();
  const charge = (who: Set<Span>, us: number) => {
    for (const sp of who) {
      charged.set(sp.mod!, (charged.get(sp.mod!) ?? 0) + us / who.size);
      chargedBy.set(sp, (chargedBy.get(sp) ?? 0) + us / who.size);
    }
  };
  const points: { t: number; span?: Span; open: boolean }[] = [];
  for (const sp of spans) if (sp.e > sp.s) points.push({ t: sp.s, span: sp, open: true }, { t: sp.e, span: sp, open: false });
  for (let i = 0; i < idleSamples.length; i += 2) points.push({ t: idleSamples[i], open: false });
  points.sort((a, b) => a.t - b.t || Number(a.open) - Number(b.open));
  // Idle share of the main thread from sample k to k + 1 (0 outside the sampled stretch: busy).
  let k = -2;
  const idleShare = (at: number) => {
    while (k + 2 < idleSamples.length && idleSamples[k + 2] <= at) k += 2;
    if (k < 0 || k + 2 >= idleSamples.length) return 0;
    const dt = idleSamples[k + 2] - idleSamples[k];
    return dt > 0 ? Math.min(1, Math.max(0, (idleSamples[k + 3] - idleSamples[k + 1]) / dt)) : 0;
  };
  const open = { cjs: new Set<Span>(), main: new Set<Span>(), loader: new Set<Span>() };
  let t = points.length ? points[0].t : 0;
  // With in-thread hooks, an import() from a CommonJS module resolves, reads and compiles the ES
  // module graph synchronously inside that module's Module._load: the ES modules' main-thread work
  // is theirs, and is taken out of the innermost CommonJS load's own time (takenUs).
  const innermost = () => {
    let inner: Span | undefined;
    for (const sp of open.cjs) if (!inner || sp.s > inner.s) inner = sp;
    return inner;
  };
  for (const p of points) {
    const d = p.t - t;
    if (d > 0 && open.cjs.size === 0) {
      const waited = open.main.size ? d * idleShare(t) : d;
      if (open.main.size) charge(open.main, d - waited);
      if (open.loader.size && waited > 0) charge(open.loader, waited);
    } else if (d > 0 && inThread && open.main.size) {
      // Only ES module work that began inside the CommonJS load (not a require() from an ES
      // module's body, where the CommonJS load is inside the ES module's span: that is its own).
      const inner = innermost()!;
      const nested = new Set([...open.main].filter((sp) => sp.s >= inner.s));
      if (nested.size) {
        charge(nested, d);
        inner.cjs!.takenUs = (inner.cjs!.takenUs ?? 0) + d;
      }
    }
    t = p.t;
    if (p.span) {
      if (p.open) open[p.span.kind].add(p.span);
      else open[p.span.kind].delete(p.span);
    }
  }
  const out = new Map<EsmModule, EsmTiming>();
  for (const m of mods) {
    const evalS = evalSpan.get(m);
    const compileS = compileSpan.get(m);
    // An ES module whose evaluation was not seen has no complete figure.
    if (kindOf(m.format, m.url) === 'esm' && !evalS) { out.set(m, { selfUs: -1 }); continue; }
    out.set(m, {
      selfUs: charged.get(m) ?? 0,
      ...(compileS ? { compileUs: chargedBy.get(compileS) ?? 0 } : {}),
      ...(evalS ? { evalUs: chargedBy.get(evalS) ?? 0, evalEndUs: m.ee, ...(m.exitEnd ? { endedByExit: true } : {}) } : {}),
    });
  }
  return out;
}

/** ImportRecords for the ES modules (times relative to `startEpochUs`), inclusive times over the first-load tree. */
export function esmRecords(mods: EsmModule[], cjsRecords: ImportRecord[], cjsSpans: CjsSpan[], startEpochUs: number, idleSamples: number[] = [], inThread = false): ImportRecord[] {
  const timing = attribute(mods, cjsSpans, idleSamples, inThread);
  const known = new Map(cjsRecords.map((r) => [r.file, r]));
  const out: ImportRecord[] = [];
  for (const m of mods) {
    const file = toFile(m.url);
    const parent = m.parent ? toFile(m.parent) : null;
    const cjs = known.get(file);
    if (cjs) {
      // A CommonJS module the ESM loader ran: Module._load timed it, the hooks know its importer.
      if (cjs.parent === null && parent !== null) cjs.parent = parent;
      continue;
    }
    const t = timing.get(m)!;
    const rec: ImportRecord = {
      file, parent, kind: kindOf(m.format, m.url), request: m.specifier,
      startUs: Math.round(m.rs - startEpochUs), totalUs: -1, selfUs: t.selfUs < 0 ? -1 : Math.round(t.selfUs),
      loadUs: Math.round(m.re - m.rs + (m.le !== undefined ? m.le - m.ls! : 0)),
    };
    if (t.compileUs !== undefined) rec.compileUs = Math.round(t.compileUs);
    if (t.evalUs !== undefined) rec.evalUs = Math.round(t.evalUs);
    if (t.evalEndUs !== undefined) rec.evalEndUs = Math.round(t.evalEndUs - startEpochUs);
    if (t.endedByExit) rec.evalEndedByExit = true;
    out.push(rec);
  }
  inclusiveTotals(out, known);
  return out;
}

/**
 * totalUs of each ES module record: its self time plus the inclusive time of every module it
 * loaded first (CommonJS children keep their own measured totals). Not measured (-1) when its
 * own time was not.
 */
function inclusiveTotals(esm: ImportRecord[], cjs: Map<string, ImportRecord>): void {
  const children = new Map<string, ImportRecord[]>();
  for (const r of [...esm, ...cjs.values()]) {
    if (r.parent === null) continue;
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const esmFiles = new Set(esm.map((r) => r.file));
  // Children start after their parent: latest first, so every child's total is known.
  for (const r of [...esm].sort((a, b) => b.startUs - a.startUs)) {
    if (r.selfUs < 0) continue;
    let total = r.selfUs;
    for (const c of children.get(r.file) ?? []) {
      if (c.startUs < r.startUs || (esmFiles.has(c.file) && c.totalUs < 0)) continue;
      total += Math.max(0, c.totalUs);
    }
    r.totalUs = total;
  }
}
