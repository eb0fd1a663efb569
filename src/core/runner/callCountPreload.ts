// The call-counting preload of `hotpath fixes --calls` (dist/callcount.js, injected with
// NODE_OPTIONS=--require beside the profiling preload, so every process and worker thread runs it).
// It inserts one counting statement at the start of each memoize candidate's body as the file is
// compiled (CommonJS: Module.prototype._compile; ES modules: a `load` hook), and counts each
// call's arguments the way the memoize fix's cache would key them: calls, calls that call through
// (objects, functions, -0; symbols with several parameters), distinct keys, and the hits of a
// simulated cache of the same size, cleared when full as the fix's is. At exit each process or
// thread writes `calls-<pid>-<threadId>.json` into the spec's folder. No dependencies.
import { createHash } from 'crypto';
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { threadId } from 'worker_threads';
import { COUNTER, instrumentSource, type InjectTarget } from './callCountInject';

export const CALLS_ENV = {
  /** Path of the JSON spec (CallSpec). Unset: the preload does nothing. */
  spec: 'HOTPATH_CALLS_SPEC',
  /** Set while this preload registers its ESM hook, so the loader thread's copy stands down. */
  inLoader: 'HOTPATH_CALLS_IN_LOADER',
} as const;

export interface CallSpecTarget { id: number; name: string; offset: number; params: number }
export interface CallSpecFile { file: string; fileHash: string; esm: boolean; targets: CallSpecTarget[] }
export interface CallSpec { outDir: string; memoMax: number; distinctCap: number; files: CallSpecFile[] }

/** What one process or thread writes. */
export interface CallReport {
  pid: number;
  threadId: number;
  argv: string[];
  functions: Record<string, { calls: number; bypassed: number; hits: number; distinct: number; distinctCapped: boolean }>;
  instrumented: { id: number; how: 'offset' | 'search' }[];
  missed: { id: number; reason: string }[];
}

interface Counter { params: number; calls: number; bypassed: number; hits: number; cache: Map<unknown, true>; distinct: Set<unknown>; capped: boolean }

function start(): void {
  const specFile = process.env[CALLS_ENV.spec];
  if (!specFile || process.env[CALLS_ENV.inLoader] === '1' || process.env.HOTPATH_IN_LOADER === '1') return;
  let spec: CallSpec;
  try { spec = JSON.parse(fs.readFileSync(specFile, 'utf8')) as CallSpec; } catch { return; }
  const counters = new Map<number, Counter>();
  for (const f of spec.files) for (const t of f.targets) counters.set(t.id, { params: t.params, calls: 0, bypassed: 0, hits: 0, cache: new Map(), distinct: new Set(), capped: false });
  const report: CallReport = { pid: process.pid, threadId, argv: process.argv, functions: {}, instrumented: [], missed: [] };

  // The key of the memoize wrapper (memoize.ts memoEdits): one parameter keys by value; several
  // by a type-tagged, length-prefixed string. Counted at entry, from `arguments`.
  const count = (id: number, args: IArguments): void => {
    const c = counters.get(id);
    if (!c) return;
    c.calls++;
    let key: unknown;
    if (c.params === 1) {
      const a = args[0];
      if ((typeof a === 'object' ? a !== null : typeof a === 'function') || (a === 0 && 1 / a < 0)) { c.bypassed++; return; }
      key = a;
    } else {
      let k = '';
      for (let i = 0; i < c.params; i++) {
        const a = args[i];
        if ((typeof a === 'object' ? a !== null : typeof a === 'function') || typeof a === 'symbol' || (a === 0 && 1 / a < 0)) { c.bypassed++; return; }
        k += (i ? '|' : '') + (typeof a === 'string' ? `s${a.length}:${a}` : `${typeof a}:${String(a)}`);
      }
      key = k;
    }
    if (c.cache.has(key)) c.hits++;
    else {
      if (c.cache.size >= spec.memoMax) c.cache.clear();
      c.cache.set(key, true);
    }
    if (!c.capped) {
      c.distinct.add(key);
      if (c.distinct.size >= spec.distinctCap) { c.capped = true; }
    }
  };
  Object.defineProperty(globalThis, COUNTER, { value: count, configurable: true, writable: true });

  const byPath = new Map(spec.files.map((f) => [path.resolve(f.file), f]));
  const note = (r: { done: { id: number; how: 'offset' | 'search' }[]; missed: { id: number; reason: string }[] }) => {
    report.instrumented.push(...r.done);
    report.missed.push(...r.missed);
  };
  const targetsOf = (f: CallSpecFile): InjectTarget[] => f.targets.map((t) => ({ id: t.id, name: t.name, offset: t.offset, fileHash: f.fileHash }));
  const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

  type Compile = (this: unknown, content: string, filename: string) => unknown;
  const proto = (Module as unknown as { prototype: { _compile: Compile } }).prototype;
  const compile = proto._compile;
  proto._compile = function (this: unknown, content: string, filename: string) {
    const f = typeof filename === 'string' ? byPath.get(path.resolve(filename)) : undefined;
    if (f && typeof content === 'string') {
      const r = instrumentSource(content, sha1(content) === f.fileHash, targetsOf(f), COUNTER);
      note(r);
      content = r.code;
    }
    return compile.call(this, content, filename);
  };

  const esm = spec.files.filter((f) => f.esm);
  const register = (Module as unknown as { register?: (url: string, opts: unknown) => void }).register;
  if (esm.length && typeof register === 'function') {
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (m: { done: { id: number; how: 'offset' | 'search' }[]; missed: { id: number; reason: string }[] }) => note(m));
    port1.unref();
    const files = Object.fromEntries(esm.map((f) => [pathToFileURL(path.resolve(f.file)).href, { fileHash: f.fileHash, targets: targetsOf(f) }]));
    try {
      process.env[CALLS_ENV.inLoader] = '1';
      register(`data:text/javascript,${encodeURIComponent(hooksSource())}`, { data: { port: port2, files, counter: COUNTER }, transferList: [port2] });
    } catch (err) {
      for (const f of esm) for (const t of f.targets) report.missed.push({ id: t.id, reason: `ES module hooks could not be registered: ${(err as Error).message}` });
    } finally {
      delete process.env[CALLS_ENV.inLoader];
    }
  }

  process.on('exit', () => {
    for (const [id, c] of counters) {
      if (c.calls) report.functions[id] = { calls: c.calls, bypassed: c.bypassed, hits: c.hits, distinct: c.distinct.size, distinctCapped: c.capped };
    }
    try {
      fs.mkdirSync(spec.outDir, { recursive: true });
      fs.writeFileSync(path.join(spec.outDir, `calls-${process.pid}-${threadId}.json`), JSON.stringify(report));
    } catch { /* the run reports the process as not counted */ }
  });
}

/** The ES module load hook: instruments the listed file: URLs on the loader thread and reports back. */
function hooksSource(): string {
  return `import { createHash } from 'node:crypto';
const instrumentSource = ${instrumentSource.toString()};
let files = {}, port, counter;
export async function initialize(data) { files = data.files; port = data.port; counter = data.counter; }
export async function load(url, context, nextLoad) {
  const r = await nextLoad(url, context);
  const f = files[url];
  if (!f || r.format !== 'module' || r.source == null) return r;
  const code = typeof r.source === 'string' ? r.source : new TextDecoder().decode(r.source);
  const exact = createHash('sha1').update(code).digest('hex') === f.fileHash;
  const out = instrumentSource(code, exact, f.targets, counter);
  port.postMessage({ done: out.done, missed: out.missed });
  return { ...r, source: out.code };
}
`;
}

start();
