// Injected with NODE_OPTIONS=--require into every Node process and worker thread of a profiled
// run (bundled to dist/preload.js, CommonJS, no dependencies). Configured by the HOTPATH_*
// variables in preloadEnv.ts. Writes `<pid>-<threadId>.{cpuprofile,heapprofile,imports.json,
// meta.json}` into HOTPATH_OUT_DIR when the process or thread exits.
//
// Ending paths: normal end and process.exit(n) run the 'exit' handler; SIGINT/SIGTERM/SIGHUP are
// caught (only when the program has no handler of its own), written, then re-raised so the
// process dies the way it would have. SIGKILL runs nothing: the profile is lost, but the meta
// file written at start (ending 'running') lets the runner say that the process was killed.
// Nothing is flushed periodically: restarting the CPU profiler would split the profile and
// costs more than the rare SIGKILL case is worth.
//
// Every failure in here is swallowed (the target must never break) and listed in meta.errors.
import { ENV, SUFFIX, fileBase, type MetaFile } from './preloadEnv';
import { DEFAULT_HEAP_INTERVAL_BYTES } from './types';
import { trackImports, type ImportTracker } from './preloadImports';

/* eslint-disable @typescript-eslint/no-var-requires */
const fs = require('fs');
const path = require('path');
const workerThreads = require('worker_threads');

function shouldRun(): boolean {
  const env = process.env;
  if (!env[ENV.outDir] || env[ENV.inLoader]) return false;
  // The ESM loader thread of Node 20: a worker without a parentPort.
  if (!workerThreads.isMainThread && !workerThreads.parentPort) return false;
  if (process.execArgv.includes('--prof-process')) return false;
  const script = process.argv[1] ? path.resolve(process.argv[1]) : '';
  const skip = [path.join(__dirname, 'cli.js'), ...(env[ENV.skipScripts] ?? '').split(path.delimiter).filter(Boolean)];
  return !skip.some((s) => script === path.resolve(s));
}

function writeAtomic(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.${workerThreads.threadId}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** In-process sessions answer synchronously on the thread that posts: needed inside 'exit'. */
function postSync(session: any, method: string, params?: object): any {
  let out: { err: Error | null; res: any } | undefined;
  session.post(method, params ?? {}, (err: Error | null, res: any) => { out = { err, res }; });
  if (!out) throw new Error(`${method} did not answer synchronously`);
  if (out.err) throw out.err;
  return out.res;
}

function start(): void {
  const env = process.env;
  const outDir = env[ENV.outDir] as string;
  const threadId: number = workerThreads.threadId;
  const base = path.join(outDir, fileBase(process.pid, threadId));
  const startedAt = Date.now();
  const startEpochUs = (performance.timeOrigin + performance.now()) * 1000;
  const want = { cpu: env[ENV.cpu] !== '0', heap: env[ENV.heap] === '1', imports: env[ENV.imports] === '1' };
  const meta: MetaFile = {
    version: 1, pid: process.pid, ppid: process.ppid, threadId, argv: process.argv.slice(), execArgv: process.execArgv.slice(),
    cwd: safeCwd(), nodeVersion: process.version, startedAt, wallMs: 0, ending: 'running', files: {}, errors: [],
  };
  const guard = (what: string, fn: () => void) => {
    try { fn(); } catch (err) { meta.errors.push(`${what}: ${(err as Error)?.message ?? String(err)}`); }
  };
  guard('out dir', () => fs.mkdirSync(outDir, { recursive: true }));
  guard('meta', () => writeAtomic(base + SUFFIX.meta, JSON.stringify(meta)));

  let session: any;
  guard('inspector', () => {
    const inspector = require('inspector');
    session = new inspector.Session();
    session.connect();
  });
  if (session && want.cpu) {
    guard('cpu start', () => {
      postSync(session, 'Profiler.enable');
      postSync(session, 'Profiler.setSamplingInterval', { interval: Number(env[ENV.intervalUs]) || 1000 });
      postSync(session, 'Profiler.start');
    });
  }
  if (session && want.heap) {
    guard('heap start', () => {
      postSync(session, 'HeapProfiler.enable');
      postSync(session, 'HeapProfiler.startSampling', {
        samplingInterval: Number(env[ENV.heapIntervalBytes]) || DEFAULT_HEAP_INTERVAL_BYTES,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    });
  }
  const startup = env[ENV.startupQuietMs] ? watchStartup(base, Number(env[ENV.startupQuietMs]), guard) : undefined;
  let imports: ImportTracker | undefined;
  // Startup mode needs to see module loads even when their timing is not captured.
  if (want.imports || startup) guard('imports', () => { imports = trackImports(startEpochUs, () => startup?.moduleLoaded(), meta.errors); });

  let finished = false;
  const finish = (ending: string) => {
    if (finished) return;
    finished = true;
    meta.ending = ending;
    meta.wallMs = Date.now() - startedAt;
    if (session && want.cpu) guard('cpu stop', () => {
      const { profile } = postSync(session, 'Profiler.stop');
      writeAtomic(base + SUFFIX.cpu, JSON.stringify(profile));
      meta.files.cpu = path.basename(base + SUFFIX.cpu);
    });
    if (session && want.heap) guard('heap stop', () => {
      const { profile } = postSync(session, 'HeapProfiler.stopSampling');
      writeAtomic(base + SUFFIX.heap, JSON.stringify(profile));
      meta.files.heap = path.basename(base + SUFFIX.heap);
    });
    if (imports && want.imports) guard('imports write', () => {
      const file = { version: 1, pid: process.pid, threadId, modules: imports!.records() };
      writeAtomic(base + SUFFIX.imports, JSON.stringify(file));
      meta.files.imports = path.basename(base + SUFFIX.imports);
    });
    guard('disconnect', () => session?.disconnect());
    guard('meta', () => writeAtomic(base + SUFFIX.meta, JSON.stringify(meta)));
  };
  process.on('exit', () => finish('exit'));
  if (workerThreads.isMainThread) for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) handleSignal(sig, finish);
}

function handleSignal(sig: NodeJS.Signals, finish: (ending: string) => void): void {
  const onSignal = () => {
    // The program has its own handler: it decides whether to exit; the 'exit' handler writes then.
    if (process.listenerCount(sig) > 1) return;
    finish(`signal:${sig}`);
    process.removeListener(sig, onSignal);
    process.kill(process.pid, sig);
  };
  process.on(sig, onSignal);
}

/**
 * Startup mode: tell the runner (through `<pid>-<tid>.startup`) that this process has finished
 * loading: `{"reason":"listening"}` once a server listens (final), `{"reason":"quiet"}` while no
 * module has loaded for `quietMs` (withdrawn when loading resumes). The runner stops on any
 * 'listening', or once every running process is quiet: a launcher such as npm, quiet while its
 * child is still loading, does not end the run on its own.
 */
function watchStartup(base: string, quietMs: number, guard: (what: string, fn: () => void) => void) {
  const file = base + SUFFIX.startup;
  let listening = false;
  let quiet = false;
  let timer: NodeJS.Timeout | undefined;
  const write = (reason: string) => guard('startup marker', () => writeAtomic(file, JSON.stringify({ reason, at: Date.now() })));
  const arm = () => {
    if (listening) return;
    if (quiet) {
      quiet = false;
      guard('startup marker', () => fs.rmSync(file, { force: true }));
    }
    if (timer) clearTimeout(timer);
    // Unref'd: it only fires while the program keeps the event loop alive for other reasons.
    timer = setTimeout(() => { quiet = true; write('quiet'); }, quietMs);
    timer.unref();
  };
  guard('listen hook', () => {
    const net = require('net');
    const origListen = net.Server.prototype.listen;
    // An object-literal method: its name survives minification (the profile model elides it).
    const wrappers = {
      hotpathListen(this: any, ...args: unknown[]) {
        this.once('listening', () => {
          if (listening) return;
          listening = true;
          if (timer) clearTimeout(timer);
          write('listening');
        });
        return origListen.apply(this, args);
      },
    };
    net.Server.prototype.listen = wrappers.hotpathListen;
  });
  arm();
  return { moduleLoaded: arm };
}

function safeCwd(): string {
  try { return process.cwd(); } catch { return ''; }
}

try {
  if (shouldRun()) start();
} catch {
  // Never break the target.
}
