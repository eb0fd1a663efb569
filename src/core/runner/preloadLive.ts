// Live metrics of a profiled process or worker thread (bundled into dist/preload.js: no imports
// but types). Every HOTPATH_LIVE_MS (about once a second) one line is appended to
// `<pid>-<tid>.live.jsonl`: the heap, the CPU time of the process since the last line (main
// thread only: process.cpuUsage() counts every thread), the event-loop utilization of this thread
// and the event-loop delay (mean and max of a 20 ms-resolution histogram since the last line).
// The timer is unref'd (it never keeps the program alive) and fires only when the thread yields:
// a thread busy in synchronous code leaves a gap, and the next line's delay shows how long.
// The file stays in the run folder: the run keeps its live view.

import type { LiveSample } from './liveSample';

export type { LiveSample };

export const LIVE_SUFFIX = '.live.jsonl';

const fs = require('fs');
const perfHooks = require('perf_hooks');
const workerThreads = require('worker_threads');

export function startLive(base: string, everyMs: number, t0: number): { stop(): void } {
  const file = base + LIVE_SUFFIX;
  const main = workerThreads.isMainThread;
  const histogram = perfHooks.monitorEventLoopDelay({ resolution: 20 });
  histogram.enable();
  let lastCpu = main ? process.cpuUsage() : undefined;
  let lastElu = perfHooks.performance.eventLoopUtilization();
  let lastT = performance.now();
  let written = 0;
  const sample = () => {
    try {
      const now = performance.now();
      const mem = process.memoryUsage();
      const elu = perfHooks.performance.eventLoopUtilization(lastElu);
      lastElu = perfHooks.performance.eventLoopUtilization();
      let cpu: number | null = null;
      if (lastCpu) {
        const d = process.cpuUsage(lastCpu);
        lastCpu = process.cpuUsage();
        cpu = Math.round(((d.user + d.system) / 1000 / Math.max(1, now - lastT)) * 1000) / 1000;
      }
      lastT = now;
      const line: LiveSample = {
        t: Math.round(now - t0), at: Math.round(performance.timeOrigin + now), heapUsed: mem.heapUsed, heapTotal: mem.heapTotal, external: mem.external, rss: mem.rss, cpu,
        elu: Math.round(elu.utilization * 1000) / 1000,
        delayMeanMs: Number.isFinite(histogram.mean) ? Math.round(histogram.mean / 1e4) / 100 : 0,
        delayMaxMs: Math.round(histogram.max / 1e4) / 100,
        // Delays recorded in the interval; 0: the delay was not measured (the 0s above mean nothing).
        delaySamples: histogram.count,
      };
      histogram.reset();
      fs.appendFileSync(file, JSON.stringify(line) + '\n');
      written++;
    } catch { /* never break the target */ }
  };
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      // The last partial interval, for a process that already has a line (short ones leave no file).
      if (written) sample();
      histogram.disable();
    },
  };
}

/** Reads a live file; a line cut short by a kill is skipped. */
export function parseLiveLines(text: string): LiveSample[] {
  const out: LiveSample[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try { out.push(JSON.parse(line)); } catch { /* partial line */ }
  }
  return out;
}
