// Which process owns something Hotpath leaves on disk while it works (a run being recorded, a
// temporary worktree): its pid and start time. With the start time, a pid the system later gives
// to another process is not taken for the owner.
import * as fs from 'fs';

export interface Owner {
  pid: number;
  /** /proc/<pid>/stat field 22 (clock ticks after boot); 'unknown' where /proc is missing. */
  start: string;
}

/** A process's start time, or undefined when it is gone (or /proc is missing). */
export function processStart(pid: number): string | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function currentOwner(): Owner {
  return { pid: process.pid, start: processStart(process.pid) ?? 'unknown' };
}

/** Whether the owner is still running (the same process, not a reuse of its pid). */
export function ownerAlive(o: Owner): boolean {
  if (!Number.isInteger(o.pid) || o.pid <= 0) return false;
  if (o.start !== 'unknown' && fs.existsSync('/proc/self/stat')) return processStart(o.pid) === o.start;
  try {
    process.kill(o.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
