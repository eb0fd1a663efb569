// The run guard: a target's process tree must not outlive Hotpath, also when Hotpath itself is
// killed with SIGKILL (or crashes) and none of its own handlers run.
//
// Mechanism: one small Node process per Hotpath process (dist/runGuard.js, guardMain.ts), in its
// own session, reading a pipe from Hotpath. Each target tree is registered on it (`watch <root>
// <tag>`) while it runs. The kernel closes the pipe when Hotpath dies, however it dies; the guard
// then ends every registered tree as the runner would (SIGTERM to the group and to each process
// carrying the run's tag, so the preloads write; SIGKILL after the grace period).
// Why not the alternatives (see docs/ARCHITECTURE.md): PR_SET_PDEATHSIG and
// PR_SET_CHILD_SUBREAPER need a native addon from Node; PDEATHSIG only reaches the direct child and
// a subreaper dies with Hotpath. A watchdog in the preload reaches only Node processes (not sh,
// npm's shell or a native tool), and cannot run while a main thread computes synchronously.
//
// The guard starts with the first run. Benchmarks wait until it is ready (it prints "ready") so
// its start-up (a Node process: 0.7-0.85 s at load 25-34 on 2 cores, 42 MB RSS) never overlaps a
// measured run; a profiled run does not wait (its tree is registered through the pipe at once and
// read when the guard is up). Afterwards it sleeps on its pipe (no CPU).
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

// One guard per process, also when several bundles hold a copy of this module (the extension's
// feature bundles, src/extension/lazy.ts): the state lives on the process's global object.
const shared = ((globalThis as Record<symbol, unknown>)[Symbol.for('hotpath.runGuard')] ??= {}) as { guard?: ChildProcess; ready?: Promise<boolean> };

/** dist/runGuard.js next to the bundle, or from the source tree's dist/. */
export function findGuard(): string | undefined {
  return [path.join(__dirname, 'runGuard.js'), path.resolve(__dirname, '../../../dist/runGuard.js')].find((f) => fs.existsSync(f));
}

/** The guard's environment: no preload, no run tags (it must never be taken for part of a run). */
function guardEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (k !== 'NODE_OPTIONS' && !k.startsWith('HOTPATH_')) env[k] = v;
  // The VS Code extension host runs on Electron: its binary is Node only with this variable.
  if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
  return env;
}

/**
 * Starts the guard once per process (again if it ended); resolves true when it is ready, false
 * when it could not start (dist/runGuard.js missing, spawn failed): runs go on without it.
 */
export function startGuard(timeoutMs = 10_000): Promise<boolean> {
  if (shared.ready && shared.guard && shared.guard.exitCode === null && shared.guard.signalCode === null) return shared.ready;
  const script = findGuard();
  if (!script) return (shared.ready = Promise.resolve(false));
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'ignore'], detached: true, env: guardEnv(), cwd: path.dirname(script) });
  } catch {
    return (shared.ready = Promise.resolve(false));
  }
  shared.guard = child;
  child.stdin!.on('error', () => undefined);
  child.unref();
  // The pipe to the guard never keeps Hotpath alive.
  (child.stdin as unknown as { unref?(): void }).unref?.();
  shared.ready = new Promise<boolean>((resolve) => {
    // Referenced until ready: the caller is waiting for it (the stdout pipe is closed then).
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('error', () => { clearTimeout(timer); resolve(false); });
    child.once('exit', () => { clearTimeout(timer); resolve(false); });
    child.stdout!.once('data', () => {
      clearTimeout(timer);
      child.stdout!.destroy();
      resolve(true);
    });
  });
  return shared.ready;
}

/** The guard process's pid (tests), when one runs. */
export function guardPid(): number | undefined {
  return shared.guard && shared.guard.exitCode === null ? shared.guard.pid : undefined;
}

/**
 * Registers a running tree (its root pid, which is also its process group, and its run tag
 * `NAME=value`) with the guard; call the returned function once the tree has ended.
 */
export function guardTree(rootPid: number | undefined, runTag: string): () => void {
  const g = shared.guard;
  if (rootPid === undefined || !g || g.exitCode !== null || !g.stdin?.writable || /\s/.test(runTag)) return () => undefined;
  g.stdin.write(`watch ${rootPid} ${runTag}\n`);
  return () => { if (g.stdin?.writable) g.stdin.write(`done ${rootPid}\n`); };
}
