// On CPU or waiting: what a run's threads really did, beside what the sampler saw. The preload
// measures each profiled thread's CPU time and run-queue time (runner/threadCpu.ts); the model's
// frames mark blocking calls (blocking.ts). Sampled time is time on the stack: it also counts a
// thread waiting in a blocking call, and a thread that is runnable but not scheduled.
import type { ProfileModel } from './types';

export interface MeasuredThreads {
  /** Profiled threads (processes and worker threads) in the model. */
  threads: number;
  /** Threads with a measured CPU time; the sums below are over these only. */
  measured: number;
  /** Measured time on a CPU, ms. */
  cpuMs: number;
  /** Measured time runnable but waiting for a CPU (Linux schedstat), ms; undefined when not measured for every measured thread. */
  runQueueMs?: number;
  /** Wall time of the measured threads (preload start to exit), ms. */
  wallMs: number;
  source?: string;
}

/** The measured CPU of the model's threads; undefined when no thread was measured. */
export function measuredThreads(model: ProfileModel): MeasuredThreads | undefined {
  const ps = model.processes.filter((p) => p.cpuNode !== undefined || p.threadTime);
  const m = ps.filter((p) => p.threadTime);
  if (!m.length) return undefined;
  const queued = m.every((p) => p.threadTime!.runQueueMs !== undefined);
  return {
    threads: ps.length, measured: m.length,
    cpuMs: m.reduce((a, p) => a + p.threadTime!.cpuMs, 0),
    ...(queued ? { runQueueMs: m.reduce((a, p) => a + p.threadTime!.runQueueMs!, 0) } : {}),
    wallMs: m.reduce((a, p) => a + (p.wallMs ?? 0), 0),
    source: m[0].threadTime!.source,
  };
}

/** Sampled time (ms) in frames of blocking calls the thread waits in (spawnSync, fs *Sync), and the samples behind it. */
export function sampledWaiting(model: ProfileModel): { ms: number; samples: number } {
  const tree = model.cpu?.tree;
  if (!tree) return { ms: 0, samples: 0 };
  let us = 0;
  let samples = 0;
  for (let n = 1; n < tree.count; n++) {
    if (model.frames[tree.frame[n]].blocking?.kind !== 'wait') continue;
    us += tree.self[n];
    samples += tree.samples[n];
  }
  return { ms: us / 1000, samples };
}

/** One line for people: measured CPU against the sampled time on the stack. */
export function onCpuLine(model: ProfileModel, sampledMs: number): string {
  const m = measuredThreads(model);
  const waiting = sampledWaiting(model);
  const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  const waitText = waiting.ms > 0 ? `; ${ms(waiting.ms)} ms of the sampled time is in blocking calls the thread waits in (labelled "waiting")` : '';
  if (!m) return `Measured CPU: not measured (needs Linux /proc or process.threadCpuUsage)${waitText}.`;
  const partial = m.measured < m.threads ? ` (${m.measured} of ${m.threads} threads measured; the others ended without their exit handler)` : '';
  const queue = m.runQueueMs !== undefined ? `, ${ms(m.runQueueMs)} ms waiting for a CPU (run queue: other load on the machine)` : '';
  const rest = m.runQueueMs !== undefined ? Math.max(0, m.wallMs - m.cpuMs - m.runQueueMs) : Math.max(0, m.wallMs - m.cpuMs);
  return `Measured CPU of the profiled threads: ${ms(m.cpuMs)} ms on CPU${queue}, ${ms(rest)} ms blocked or idle, of ${ms(m.wallMs)} ms thread wall time${partial}; sampled on the stack: ${ms(sampledMs)} ms${waitText}.`;
}
