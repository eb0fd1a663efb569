// Runs a target command with the preload injected into every Node process it starts, and
// collects what the preloads wrote. Stopping (timeout, duration, startup, cancel) always ends
// the whole process tree: a graceful signal first so the preloads flush, then SIGKILL.
import { spawn, type ChildProcess } from 'child_process';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { collectProcesses, explain, startupReached } from './collect';
import { convert0xOutput, nodeArgv, zeroXCli } from './engine0x';
import { ENV, FLUSH_REQUEST_FILE, SUFFIX, fileBase, type MetaFile } from './preloadEnv';
import { commandLineOf, endRun, isAlive, runProcesses, signalRun } from './procTree';
import { DEFAULT_CPU_INTERVAL_US, DEFAULT_HEAP_INTERVAL_BYTES, DEFAULT_LIVE_MS, type RunOptions, type RunResult } from './types';
import { collectOutput } from './output';
import { guardTree, startGuard } from './guard';

const TAIL_CHARS = 8000;
/** How long stopped processes get to write their profiles before SIGKILL. */
const GRACE_MS = 3000;
const STARTUP_QUIET_MS = 500;
/** After the main process exits, how long its output may stay open (held by a daemon) before the rest of the run is ended. */
const OUTPUT_GRACE_MS = 2000;
/**
 * Default periodic flush interval of the preload (ms): what a process killed from outside
 * (SIGKILL, the OOM killer) keeps; stops and timeouts ask for a flush first (requestFlush).
 * bench/flush.bench.ts, tsc type-checking @ts-morph/common (cpu+heap+imports, load 7-9 on 2
 * cores): one flush took 0.5-1.5 s inside the process (CPU chunk + merge + heap profile), 4.7 %
 * of the wall time of 18-27 s runs at a 10 s interval; whole-tree CPU time 0.997x (0.98-1.07).
 * At 30 s, processes shorter than that pay nothing, and the 1 % per-kind budget in the preload
 * bounds later flushes.
 */
export const DEFAULT_FLUSH_MS = 30_000;
/** Before a stop, how long to wait for every running process to acknowledge its flush request. */
const FLUSH_REQUEST_WAIT_MS = 2000;

type StopReason = 'timeout' | 'duration' | 'startup' | 'cancel';

/** dist/preload.js next to the bundle (dist/cli.js, dist/extension.js) or from the source tree. */
export function findPreload(): string {
  const candidates = [path.join(__dirname, 'preload.js'), path.resolve(__dirname, '../../../dist/preload.js')];
  const found = candidates.find((f) => fs.existsSync(f));
  if (!found) throw new Error(`dist/preload.js not found (looked in ${candidates.join(', ')}): run \`node esbuild.js --only preload\``);
  return found;
}

/** NODE_OPTIONS with `--require <preload>` appended; the path is quoted for NODE_OPTIONS' own parser. */
export function withPreload(existing: string | undefined, preload: string): string {
  const quoted = `"${preload.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return [existing?.trim(), `--require ${quoted}`].filter(Boolean).join(' ');
}

export async function runTarget(options: RunOptions): Promise<RunResult> {
  const outDir = path.resolve(options.cwd, options.outDir);
  fs.mkdirSync(outDir, { recursive: true });
  const runId = randomUUID();
  const runTag = `${ENV.runId}=${runId}`;
  const engine = options.engine ?? 'inspector';
  const base = { cancelled: false, timedOut: false, completed: false, outDir, processes: [], outputTail: '' };
  const startedAt = Date.now();
  const flushMs = engine === '0x' ? 0 : options.capture.flushMs ?? DEFAULT_FLUSH_MS;
  fs.rmSync(path.join(outDir, FLUSH_REQUEST_FILE), { force: true });

  let file = options.command;
  let args = options.args;
  const env: NodeJS.ProcessEnv = {
    ...process.env, ...options.env,
    [ENV.outDir]: outDir, [ENV.runId]: runId,
    [ENV.cpu]: options.capture.cpu && engine === 'inspector' ? '1' : '0',
    [ENV.heap]: options.capture.heap ? '1' : '0',
    [ENV.imports]: options.capture.imports ? '1' : '0',
    [ENV.coverage]: options.capture.coverage ? '1' : '0',
    [ENV.intervalUs]: String(options.capture.intervalUs ?? DEFAULT_CPU_INTERVAL_US),
    [ENV.heapIntervalBytes]: String(options.capture.heapIntervalBytes ?? DEFAULT_HEAP_INTERVAL_BYTES),
    [ENV.flushMs]: String(flushMs),
    [ENV.esmHooks]: options.capture.esmHooks ?? 'auto',
  };
  if (options.capture.leaks) env[ENV.leaks] = JSON.stringify(options.capture.leaks);
  else delete env[ENV.leaks];
  env[ENV.liveMs] = String(engine === '0x' ? 0 : options.capture.liveMs ?? DEFAULT_LIVE_MS);
  delete env[ENV.inLoader];
  delete env[ENV.noEsmHooks];
  delete env[ENV.skipModules];
  if (options.stopWhen === 'startup') env[ENV.startupQuietMs] = String(STARTUP_QUIET_MS);
  else delete env[ENV.startupQuietMs];
  let zeroXDir: string | undefined;
  if (engine === '0x') {
    const argv = nodeArgv(options.command, options.args);
    if (typeof argv === 'string') return { ...base, exitCode: null, signal: null, wallMs: 0, error: argv };
    let cli: string;
    try {
      cli = zeroXCli(options.cwd);
    } catch (err) {
      return { ...base, exitCode: null, signal: null, wallMs: 0, error: (err as Error).message };
    }
    zeroXDir = path.join(outDir, `0x-${runId.slice(0, 8)}`);
    env[ENV.skipScripts] = cli;
    // 0x --requires its own preloads (lib/preload/*.js) into the target: not the program's modules.
    env[ENV.skipModules] = path.join(path.dirname(cli), 'lib', 'preload');
    // 0x reads one V8 log per process and may pick the ESM loader thread's: keep that thread away,
    // and the flush helper thread too (flushMs is 0 under 0x).
    env[ENV.noEsmHooks] = '1';
    file = process.execPath;
    args = [cli, '--collect-only', '--quiet', '--output-dir', zeroXDir, '--', 'node', ...argv];
  }
  try {
    env.NODE_OPTIONS = withPreload(options.env?.NODE_OPTIONS ?? process.env.NODE_OPTIONS, options.preloadPath ?? findPreload());
  } catch (err) {
    return { ...base, exitCode: null, signal: null, wallMs: 0, error: (err as Error).message };
  }

  // The tree must not outlive Hotpath, also if Hotpath is killed with SIGKILL (guard.ts). Not
  // waited for: the guard's pipe exists once this returns, it reads the tree's pid when it is up.
  void startGuard();
  const t0 = process.hrtime.bigint();
  let child: ChildProcess;
  try {
    child = spawn(file, args ?? [], { cwd: options.cwd, env, detached: true, shell: args === undefined, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    return { ...base, exitCode: null, signal: null, wallMs: 0, error: `Could not start "${options.command}": ${(err as Error).message}` };
  }
  const output = collectOutput(child, TAIL_CHARS, options.onOutput);
  const unguard = guardTree(child.pid, runTag);

  let stopReason: StopReason | undefined;
  let stopping: Promise<unknown> | undefined;
  const notes: string[] = [];
  /** Pids known to have been sent SIGKILL by this runner. */
  const sigkilled = new Set<number>();
  const noteKilled = (r: { killed: number[] }) => { for (const pid of r.killed) sigkilled.add(pid); };
  const stop = (reason: StopReason) => {
    if (stopReason || child.pid === undefined) return;
    stopReason = reason;
    // A cancel wants the processes gone; a stop (abort reason 'stop') wants their profiles.
    const discard = reason === 'cancel' && options.signal?.reason !== 'stop';
    const graceMs = discard ? 1000 : options.graceMs ?? GRACE_MS;
    // A process computing synchronously cannot run its SIGTERM handler: ask every process to
    // flush first (through its flush helper thread), so it keeps what it did up to now.
    const flushed = discard || flushMs <= 0 ? Promise.resolve() : requestFlush(outDir, startedAt - 1000);
    stopping = flushed.then(() => endRun(child.pid!, runTag, 'SIGTERM', graceMs)).then(noteKilled, (err) => notes.push(String((err as Error).message)));
  };
  const timers: NodeJS.Timeout[] = [];
  if (options.timeoutMs) timers.push(setTimeout(() => stop('timeout'), options.timeoutMs));
  if (options.durationMs) timers.push(setTimeout(() => stop('duration'), options.durationMs));
  if (options.stopWhen === 'startup') {
    timers.push(setInterval(() => {
      try {
        if (startupReached(outDir, startedAt - 1000)) stop('startup');
      } catch { /* folder vanished: the run will report it */ }
    }, 100));
  }
  // If the runner's own process ends (VS Code closing the extension host, Ctrl-C on the CLI), the
  // detached tree would live on: end its process group synchronously on the way out.
  const onRunnerExit = () => { signalRun(child.pid!, 'SIGKILL', runTag); };
  process.on('exit', onRunnerExit);
  const onAbort = () => stop('cancel');
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort);

  const ended = await new Promise<{ code: number | null; signal: string | null; error?: string }>((resolve) => {
    let exit: { code: number | null; signal: string | null } | undefined;
    child.once('error', (err) => resolve({ code: null, signal: null, error: `Could not start "${options.command}": ${err.message}` }));
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      // A process that outlives the main one while holding its output (a daemon started with
      // inherited stdio) would keep 'close' from ever coming: after a grace period, end the rest
      // of the run (SIGTERM so the preloads write, then SIGKILL) and stop reading.
      timers.push(setTimeout(() => {
        if (stopReason) return;
        const left = runProcesses(child.pid!, runTag);
        if (!left.length) {
          // Held by a process outside the run's reach (it dropped the run tag): stop reading.
          notes.push(`The main process exited but its output stayed open ${OUTPUT_GRACE_MS / 1000} s later, held by a process Hotpath cannot identify; stopped reading it.`);
          child.stdout?.destroy();
          child.stderr?.destroy();
          return;
        }
        const named = left.map((pid) => `${pid} (${commandLineOf(pid).slice(0, 120) || '?'})`).join(', ');
        stopping = endRun(child.pid!, runTag, 'SIGTERM', options.graceMs ?? GRACE_MS).then(noteKilled, (err) => notes.push(String((err as Error).message))).then(() => {
          notes.push(`The main process exited but ${left.length} process(es) of the run kept its output open: ${named}. Hotpath waited ${OUTPUT_GRACE_MS / 1000} s, then ended them (SIGTERM, then SIGKILL if needed).`);
          child.stdout?.destroy();
          child.stderr?.destroy();
        });
      }, OUTPUT_GRACE_MS));
    });
    // 'close' waits for every process holding the output pipes, i.e. children that outlive the root.
    child.once('close', (code, signal) => resolve(exit ?? { code, signal }));
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  for (const t of timers) clearTimeout(t);
  options.signal?.removeEventListener('abort', onAbort);
  process.removeListener('exit', onRunnerExit);
  if (stopping) await stopping;
  if (stopReason === 'timeout' || stopReason === 'cancel') {
    // Whatever the graceful signal spared (it may have escaped the group) must not outlive the run.
    await endRun(child.pid!, runTag, 'SIGKILL', 0).then(noteKilled, (err) => notes.push(String((err as Error).message)));
  }
  unguard();

  const collected = collectProcesses(outDir, startedAt - 1000, runId);
  notes.push(...collected.notes);
  if (zeroXDir) {
    try {
      const { file: cpu, pid } = convert0xOutput(zeroXDir, outDir);
      const proc = collected.processes.find((p) => p.pid === pid && p.threadId === 0);
      if (proc) {
        proc.cpuProfile = cpu;
        // Readers of the folder (report --run, diff, rank --profile) find the profile through the meta file.
        recordCpuInMeta(outDir, pid, cpu);
      } else notes.push(`0x profiled pid ${pid}, which wrote no metadata`);
    } catch (err) {
      notes.push(`0x: ${(err as Error).message}`);
    }
  }
  if (ended.signal === 'SIGKILL') sigkilled.add(child.pid!);
  if (!ended.error) notes.push(...explain(collected.processes, sigkilled, ended.code));
  if (stopReason === 'timeout') notes.push(`Stopped after the ${options.timeoutMs} ms timeout; the whole process tree was ended.`);
  return {
    exitCode: ended.code, signal: ended.signal, wallMs: Math.round(wallMs),
    timedOut: stopReason === 'timeout', cancelled: stopReason === 'cancel', completed: !stopReason && !ended.error,
    outDir, processes: collected.processes, error: ended.error, outputTail: output.tail(), notes, runId, startedAt,
  };
}

/** Names the converted 0x profile in the process's meta file (`files.cpu`), as the preload would have. */
function recordCpuInMeta(outDir: string, pid: number, cpuFile: string): void {
  const metaFile = path.join(outDir, `${fileBase(pid, 0)}${SUFFIX.meta}`);
  const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as MetaFile;
  meta.files.cpu = path.basename(cpuFile);
  fs.writeFileSync(`${metaFile}.tmp`, JSON.stringify(meta));
  fs.renameSync(`${metaFile}.tmp`, metaFile);
}

/**
 * Writes a new flush request and waits (at most FLUSH_REQUEST_WAIT_MS) until every main thread
 * of the run that is still running has flushed for it (meta `flush.request`).
 */
async function requestFlush(outDir: string, sinceEpochMs: number): Promise<void> {
  const id = Date.now();
  try {
    fs.writeFileSync(path.join(outDir, FLUSH_REQUEST_FILE), String(id));
  } catch {
    return;
  }
  const deadline = Date.now() + FLUSH_REQUEST_WAIT_MS;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    let pending = 0;
    try {
      for (const n of fs.readdirSync(outDir).filter((x) => x.endsWith(`-0${SUFFIX.meta}`))) {
        try {
          const m = JSON.parse(fs.readFileSync(path.join(outDir, n), 'utf8')) as MetaFile;
          if (m.startedAt >= sinceEpochMs && m.ending === 'running' && m.flush?.request !== id && isAlive(m.pid)) pending++;
        } catch { pending++; /* being replaced */ }
      }
    } catch {
      return;
    }
    if (!pending) return;
  }
}
