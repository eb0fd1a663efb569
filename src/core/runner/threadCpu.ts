// The real CPU time of the calling thread, read by the preload at its start and at exit (bundled
// into dist/preload.js: Node built-ins only). A CPU sample lands on a thread's stack whether the
// thread runs, waits in a blocking call or is runnable but not scheduled (a busy machine), so
// sampled time is time on the stack, not CPU time: this is the measure to set beside it.
//
// Linux: `/proc/thread-self/schedstat` (the calling thread, also in a worker thread): ns on a CPU
// and ns runnable but waiting for one (the run queue), from the scheduler's own accounting.
// Without schedstat, `/proc/thread-self/stat` utime + stime (clock ticks, 10 ms). Elsewhere
// `process.threadCpuUsage()` where Node has it (not in Node 20); else nothing is measured.

export interface ThreadTimes {
  /** Time on a CPU (user + system), ms. */
  cpuMs: number;
  /** Time runnable but waiting for a CPU (scheduler run queue), ms; only from schedstat. */
  runQueueMs?: number;
  source: 'schedstat' | 'stat' | 'threadCpuUsage';
}

/* eslint-disable @typescript-eslint/no-var-requires */
const fs = require('fs');

/** Clock ticks per second of /proc stat times (USER_HZ: 100 on Linux). */
const USER_HZ = 100;

export function readThreadTimes(): ThreadTimes | undefined {
  if (process.platform === 'linux') {
    try {
      const [onCpu, queued] = String(fs.readFileSync('/proc/thread-self/schedstat', 'latin1')).trim().split(/\s+/).map(Number);
      if (Number.isFinite(onCpu) && Number.isFinite(queued)) return { cpuMs: onCpu / 1e6, runQueueMs: queued / 1e6, source: 'schedstat' };
    } catch {
      // no schedstat (kernel without CONFIG_SCHED_INFO): the tick counts below
    }
    try {
      const text = String(fs.readFileSync('/proc/thread-self/stat', 'latin1'));
      // The command name (field 2) may hold spaces and parentheses: fields count from the last ')'.
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      if (Number.isFinite(ticks)) return { cpuMs: (ticks * 1000) / USER_HZ, source: 'stat' };
    } catch {
      // fall through
    }
  }
  const usage = (process as { threadCpuUsage?: () => { user: number; system: number } }).threadCpuUsage;
  if (typeof usage === 'function') {
    try {
      const u = usage.call(process);
      return { cpuMs: (u.user + u.system) / 1000, source: 'threadCpuUsage' };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** What the thread spent between two readings (undefined when either is missing or they differ in source). */
export function threadTimesBetween(start: ThreadTimes | undefined, end: ThreadTimes | undefined): ThreadTimes | undefined {
  if (!start || !end || start.source !== end.source) return undefined;
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    cpuMs: round(Math.max(0, end.cpuMs - start.cpuMs)),
    ...(start.runQueueMs !== undefined && end.runQueueMs !== undefined ? { runQueueMs: round(Math.max(0, end.runQueueMs - start.runQueueMs)) } : {}),
    source: end.source,
  };
}
