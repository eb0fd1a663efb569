// Finding and ending every process of a run on Linux through /proc. A run's processes are the
// union of: the spawned process group, the descendants of the root pid (ppid walk), and any
// process carrying the run's HOTPATH_RUN_ID in its environment (found even after it escaped
// the group with setsid and was re-parented to init when its parent died).
import * as fs from 'fs';

interface Stat { pid: number; ppid: number; pgrp: number; state: string }

function readStat(pid: number): Stat | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, state: rest[0], ppid: Number(rest[1]), pgrp: Number(rest[2]) };
  } catch {
    return undefined;
  }
}

function allPids(): number[] {
  try {
    return fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
  } catch {
    return [];
  }
}

function hasTag(pid: number, tag: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(tag);
  } catch {
    return false;
  }
}

/** Live (non-zombie) processes of the run, never including this process. */
export function runProcesses(rootPid: number, runTag?: string): number[] {
  const stats = allPids().map(readStat).filter((s): s is Stat => !!s && s.state !== 'Z' && s.pid !== process.pid);
  const found = new Set<number>();
  for (const s of stats) if (s.pid === rootPid || s.pgrp === rootPid) found.add(s.pid);
  // Descendants: repeat until no new child is found (parents may be listed after children).
  for (let grew = true; grew;) {
    grew = false;
    for (const s of stats) if (!found.has(s.pid) && found.has(s.ppid)) { found.add(s.pid); grew = true; }
  }
  if (runTag) for (const s of stats) if (!found.has(s.pid) && hasTag(s.pid, runTag)) found.add(s.pid);
  return [...found];
}

/** Live children of every live process: ppid -> pids. */
export function childrenByParent(): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const s of allPids().map(readStat)) {
    if (!s || s.state === 'Z') continue;
    const list = out.get(s.ppid);
    if (list) list.push(s.pid);
    else out.set(s.ppid, [s.pid]);
  }
  return out;
}

export function isNodeExe(pid: number): boolean {
  try {
    const exe = fs.readlinkSync(`/proc/${pid}/exe`);
    return exe === process.execPath || /\/(node|nodejs)$/.test(exe);
  } catch {
    return false;
  }
}

export function isAlive(pid: number): boolean {
  const s = readStat(pid);
  return !!s && s.state !== 'Z';
}

/** Signals the process group and every process of the run; errors (already gone) are ignored. */
export function signalRun(rootPid: number, signal: NodeJS.Signals, runTag?: string): number[] {
  try { process.kill(-rootPid, signal); } catch { /* group already gone */ }
  const pids = runProcesses(rootPid, runTag);
  for (const pid of pids) {
    try { process.kill(pid, signal); } catch { /* gone */ }
  }
  return pids;
}

/** Waits until none of `pids` is alive; returns the ones still alive after `timeoutMs`. */
export async function waitGone(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter(isAlive);
  while (alive.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    alive = alive.filter(isAlive);
  }
  return alive;
}

/** The command line of a live process, for messages ('' when unreadable). */
export function commandLineOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}

/**
 * Ends the run: `signal` first (so preloads can write their profiles), then SIGKILL after
 * `graceMs` for anything left, then waits until every process seen is gone. Returns every pid
 * seen and those that had to be sent SIGKILL.
 */
export async function endRun(rootPid: number, runTag: string, signal: NodeJS.Signals, graceMs: number): Promise<{ seen: number[]; killed: number[] }> {
  const seen = new Set(signalRun(rootPid, signal, runTag));
  const left = await waitGone([...seen], graceMs);
  if (!left.length && !runProcesses(rootPid, runTag).length) return { seen: [...seen], killed: signal === 'SIGKILL' ? [...seen] : [] };
  const killed = signalRun(rootPid, 'SIGKILL', runTag);
  for (const pid of killed) seen.add(pid);
  const stuck = await waitGone([...seen], 5000);
  if (stuck.length) throw new Error(`processes ${stuck.join(', ')} did not end after SIGKILL`);
  return { seen: [...seen], killed: signal === 'SIGKILL' ? [...seen] : killed };
}
