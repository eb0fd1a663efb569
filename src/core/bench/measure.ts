// One measured run of a command: wall time around the spawn, and on Linux the CPU time (user +
// system) of the whole process tree the command waited for. The command runs under a tiny
// `/bin/sh` wrapper that waits for it and then prints its own /proc/<pid>/stat to fd 3: fields
// cutime + cstime are the CPU time of every reaped descendant. Elsewhere only wall time.
import { spawn, type ChildProcess } from 'child_process';
import { randomUUID } from 'crypto';
import { endRun, signalRun } from '../runner/procTree';
import { collectOutput } from '../runner/output';
import { guardTree, startGuard } from '../runner/guard';

/** Linux USER_HZ: /proc times are in 1/100 s. */
export const CPU_TICK_MS = 10;
const TAIL_CHARS = 4000;

export type CpuSource = 'proc-stat' | 'none';

/** Where CPU time comes from on this platform: 'proc-stat' on Linux, 'none' (wall time only) elsewhere. */
export function cpuSource(): CpuSource {
  return process.platform === 'linux' ? 'proc-stat' : 'none';
}

export interface CommandSpec {
  /** A shell command line, or the executable when `args` is given. */
  command: string;
  /** Arguments (no shell interpretation). */
  args?: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

export interface Sample {
  /** Wall time from spawn to the end of the wrapper, ms. */
  wallMs: number;
  /** User + system CPU time of the process tree, ms (resolution 10 ms); null when not measured. */
  cpuMs: number | null;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Exit code 0 (or one of MeasureOptions.okExitCodes), not timed out, not cancelled, started. */
  ok: boolean;
  /** Could not start, or why the run failed, for people. */
  error?: string;
  /** The end of the command's output, kept for failed runs only. */
  outputTail?: string;
}

/** Quotes one word for POSIX sh. */
export function shQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command as one shell line (for display and for the wrapper). */
export function commandLine(spec: Pick<CommandSpec, 'command' | 'args'>): string {
  return spec.args ? [spec.command, ...spec.args].map(shQuote).join(' ') : spec.command;
}

/** CPU ms of every reaped descendant, from the last line of a `/proc/<pid>/stat` print (cutime + cstime). */
export function cpuFromStat(text: string): number | null {
  const line = text.trim().split('\n').pop() ?? '';
  const close = line.lastIndexOf(')');
  if (close < 0) return null;
  const rest = line.slice(close + 2).split(' ');
  const ticks = Number(rest[13]) + Number(rest[14]); // fields 16 and 17: cutime, cstime
  return Number.isFinite(ticks) ? ticks * CPU_TICK_MS : null;
}

export interface MeasureOptions {
  timeoutMs?: number;
  /** Exit codes that count as a successful run (default [0]): e.g. [0, 1] for a linter that exits 1 when it finds problems. */
  okExitCodes?: readonly number[];
  signal?: AbortSignal;
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
}

export class CancelledError extends Error {
  constructor() { super('cancelled'); this.name = 'CancelledError'; }
}

/**
 * Runs the command once and measures it. Timeout and cancel end the whole process tree
 * (process group and descendants, as the profiler does). Cancel rejects with CancelledError.
 */
export async function measureOnce(spec: CommandSpec, options: MeasureOptions = {}): Promise<Sample> {
  if (options.signal?.aborted) throw new CancelledError();
  const linux = cpuSource() === 'proc-stat';
  const tag = `HOTPATH_BENCH_ID=${randomUUID()}`;
  const env = { ...process.env, ...spec.env, HOTPATH_BENCH_ID: tag.slice('HOTPATH_BENCH_ID='.length) };
  // Started (once) before the clock: the guard ends the tree if Hotpath is killed (runner/guard.ts).
  await startGuard();
  if (options.signal?.aborted) throw new CancelledError();
  let child: ChildProcess;
  const t0 = process.hrtime.bigint();
  try {
    if (linux) {
      // A shell line runs in a subshell so that an `exit` in it cannot skip the stat read; an argv
      // runs directly. fd 3 is closed for the command; the stat is read with builtins (no fork).
      const run = spec.args ? `${commandLine(spec)} 3>&-` : `(\n${spec.command}\n) 3>&-`;
      const script = `${run}\nst=$?\nread -r s < /proc/$$/stat\necho "$s" >&3\nexit $st`;
      child = spawn('/bin/sh', ['-c', script], { cwd: spec.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    } else {
      child = spawn(spec.command, spec.args ?? [], { cwd: spec.cwd, env, detached: process.platform !== 'win32', shell: spec.args === undefined, stdio: ['ignore', 'pipe', 'pipe'] });
    }
  } catch (err) {
    return { wallMs: 0, cpuMs: null, exitCode: null, signal: null, timedOut: false, ok: false, error: `Could not start "${commandLine(spec)}": ${(err as Error).message}` };
  }
  const output = collectOutput(child, TAIL_CHARS, options.onOutput);
  const unguard = guardTree(child.pid, tag);
  let stat = '';
  (child.stdio[3] as NodeJS.ReadableStream | undefined)?.on('data', (d: Buffer) => { stat += d.toString('latin1'); });

  let stopped: 'timeout' | 'cancel' | undefined;
  let stopping: Promise<unknown> | undefined;
  const stop = (why: 'timeout' | 'cancel') => {
    if (stopped || child.pid === undefined) return;
    stopped = why;
    stopping = endRun(child.pid, tag, 'SIGTERM', 1000).catch(() => undefined);
  };
  const timer = options.timeoutMs ? setTimeout(() => stop('timeout'), options.timeoutMs) : undefined;
  const onAbort = () => stop('cancel');
  options.signal?.addEventListener('abort', onAbort);
  const onExit = () => { if (child.pid !== undefined) signalRun(child.pid, 'SIGKILL', tag); };
  process.on('exit', onExit);
  const ended = await new Promise<{ code: number | null; signal: string | null; error?: string }>((resolve) => {
    let exit: { code: number | null; signal: string | null } | undefined;
    child.once('error', (err) => resolve({ code: null, signal: null, error: err.message }));
    child.once('exit', (code, signal) => { exit = { code, signal }; });
    child.once('close', (code, signal) => resolve(exit ?? { code, signal }));
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (timer) clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);
  process.removeListener('exit', onExit);
  if (stopping) await stopping;
  unguard();
  if (stopped === 'cancel') throw new CancelledError();
  const cpuMs = linux && !stopped ? cpuFromStat(stat) : null;
  const okCode = ended.code !== null && (options.okExitCodes ?? [0]).includes(ended.code);
  const ok = !ended.error && !stopped && okCode;
  const error = ended.error ? `Could not start "${commandLine(spec)}": ${ended.error}`
    : stopped === 'timeout' ? `timed out after ${options.timeoutMs} ms (the process tree was ended)`
      : !okCode ? `exit code ${ended.code ?? ended.signal}` : undefined;
  return {
    wallMs, cpuMs, exitCode: ended.code, signal: ended.signal, timedOut: stopped === 'timeout', ok,
    ...(error ? { error } : {}), ...(ok ? {} : { outputTail: output.tail() }),
  };
}
