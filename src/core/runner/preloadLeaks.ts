// Leak hunting inside a profiled process (bundled into dist/preload.js: no imports but types).
// Configured by HOTPATH_LEAKS (JSON, LeaksConfig); writes `<pid>-<tid>.leaks.jsonl` and up to two
// `<pid>-<tid>.<n>.heapsnapshot` files. src/core/leaks reads them.
//
// A measurement ("point") reads V8's sampling heap profile of LIVE objects only
// (HeapProfiler.startSampling without the include-collected flags) and the isolate's heap after
// the full GC that reading it forces (the inspector asks for kSamplingForceGC): heapUsed +
// external, and the live sampled bytes per allocation site. A site is the nearest frame of the
// program's own code (not node: internals, not natives such as `repeat` or `set`): a Map.set
// inside handle() is handle()'s allocation.
//
// When points are taken:
// - iterations: the program calls `globalThis.hotpathIteration()` at the end of each iteration
//   (a no-op when not under Hotpath: `globalThis.hotpathIteration?.()`). After `warmup` calls,
//   a point is taken every `every` calls, or (automatic) on a stride that doubles every
//   PER_STRIDE points (every call for 16 points, every 2nd for 16, every 4th...): nobody knows
//   how many iterations will come, and this spreads the points over the whole run, whatever its
//   length, at 16 points per doubling of the run (a 150-iteration run: ~50 points; 10^6: ~250).
//   A wide span is what narrows the slope's interval: the heap after a full GC still moves by
//   tens of KB from point to point (JIT code, feedback, hash-table resizes).
// - time: while the program never calls it, a timer (unref'd: never keeps the program alive)
//   takes a point every `everyMs` after `warmupMs`, and one at exit. A thread that never yields
//   to its event loop gets no timed points.
// Snapshots (when `snapshots`), through v8.writeHeapSnapshot (object ids are stable across
// snapshots of one isolate: objects new in the final snapshot were allocated after the baseline):
// the baseline at the first point after warm-up; the final one in time mode at exit (or at the
// stop signal: a server's objects are still referenced then), in iteration mode at the 4th, 8th,
// 16th... point, each replacing the last (at exit a script's module-level data may already be
// unreachable, and nobody knows which iteration is the last; costs at most 2x the last snapshot).
import type { InspectorConn } from './inspectorConn';

export interface LeaksConfig {
  /** Iterations (hotpathIteration calls) before the first point. */
  warmup: number;
  /** Time mode: ms after start before the first point. */
  warmupMs: number;
  /** Time mode: ms between points. */
  everyMs: number;
  /** Sampling heap profiler interval (bytes). */
  intervalBytes: number;
  /** Take the baseline and final heap snapshots. */
  snapshots: boolean;
  /** Iteration mode: a point every this many iterations; 0: automatic (see above). */
  every?: number;
}

export const DEFAULT_LEAKS_CONFIG: LeaksConfig = { warmup: 10, warmupMs: 2000, everyMs: 1000, intervalBytes: 32 * 1024, snapshots: true };

/** One line of `<pid>-<tid>.leaks.jsonl`. */
export type LeaksLine =
  | { kind: 'start'; startedAt: number; config: LeaksConfig }
  | { kind: 'site'; i: number; name: string; url: string; line: number; column: number; scriptId: string; via: string }
  | { kind: 'point'; t: number; iteration: number; mode: 'iteration' | 'time' | 'exit'; heapUsed: number; external: number; code?: number; costMs: number; sites: [number, number][] }
  | { kind: 'snapshot'; role: 'baseline' | 'final'; file: string; t: number; iteration: number; ms: number; bytes: number }
  | { kind: 'error'; message: string };

interface SamplingNode { callFrame: { functionName: string; scriptId: string; url: string; lineNumber: number; columnNumber: number }; selfSize: number; children?: SamplingNode[] }

const fs = require('fs');
const path = require('path');
const v8 = require('v8');

/** Frames of the program's own code (or a package's), not Node's internals or V8 natives. */
function isProgramFrame(url: string): boolean {
  return !!url && !url.startsWith('node:') && !url.startsWith('internal/') && url !== __filename && url !== `file://${__filename}`;
}

/** Automatic schedule: points per stride before the stride doubles. */
const PER_STRIDE = 16;

export function startLeaks(session: InspectorConn, base: string, config: LeaksConfig): { finish(): void } {
  const file = base + '.leaks.jsonl';
  const t0 = performance.now();
  const write = (line: LeaksLine) => { try { fs.appendFileSync(file, JSON.stringify(line) + '\n'); } catch { /* never break the target */ } };
  const fail = (what: string, err: unknown) => write({ kind: 'error', message: `${what}: ${(err as Error)?.message ?? String(err)}` });
  write({ kind: 'start', startedAt: Date.now(), config });
  session.post('HeapProfiler.enable');
  session.post('HeapProfiler.startSampling', { samplingInterval: config.intervalBytes });

  const siteIds = new Map<string, number>();
  let iteration = 0;
  let points = 0;
  let stride = 1;
  let atStride = 0;
  let nextAt = config.warmup;
  let baselineTaken = false;
  let finished = false;
  let busy = false;

  const snapshot = (role: 'baseline' | 'final') => {
    const s = performance.now();
    try {
      const out = `${base}.${role === 'baseline' ? 1 : 2}.heapsnapshot`;
      v8.writeHeapSnapshot(out);
      write({ kind: 'snapshot', role, file: path.basename(out), t: Math.round(s - t0), iteration, ms: Math.round(performance.now() - s), bytes: fs.statSync(out).size });
    } catch (err) { fail(`${role} snapshot`, err); }
  };

  /** Reads the live sampling profile (after the full GC it forces) and writes one point. */
  const point = (mode: 'iteration' | 'time' | 'exit'): void => {
    const s = performance.now();
    const profile = session.post('HeapProfiler.getSamplingProfile').profile as { head: SamplingNode };
    const mem = process.memoryUsage();
    // Machine code (JIT tiers, optimized then deoptimized) moves by ~100 KB at unpredictable times: not the program's data.
    const code = v8.getHeapSpaceStatistics().find((sp: { space_name: string }) => sp.space_name === 'code_space')?.space_used_size ?? 0;
    const bytes = new Map<number, number>();
    const walk = (node: SamplingNode, owner: SamplingNode | undefined) => {
      // The measurement's own allocations (this file's frames and below): not the program's.
      if (node.callFrame.url === __filename || node.callFrame.url === `file://${__filename}`) return;
      const own = isProgramFrame(node.callFrame.url) ? node : owner;
      if (node.selfSize > 0) {
        const site = own ?? node;
        const f = site.callFrame;
        const key = `${f.functionName}\t${f.url}\t${f.lineNumber}\t${f.columnNumber}`;
        let id = siteIds.get(key);
        if (id === undefined) {
          id = siteIds.size;
          siteIds.set(key, id);
          write({ kind: 'site', i: id, name: f.functionName, url: f.url, line: f.lineNumber, column: f.columnNumber, scriptId: f.scriptId,
            via: site === node ? '' : node.callFrame.functionName || '(anonymous)' });
        }
        bytes.set(id, (bytes.get(id) ?? 0) + node.selfSize);
      }
      for (const c of node.children ?? []) walk(c, own);
    };
    walk(profile.head, undefined);
    const cost = performance.now() - s;
    points++;
    write({ kind: 'point', t: Math.round(s - t0), iteration, mode, heapUsed: mem.heapUsed, external: mem.external, code, costMs: Math.round(cost * 10) / 10, sites: [...bytes] });
  };

  const measure = (mode: 'iteration' | 'time' | 'exit') => {
    if (busy) return;
    busy = true;
    try {
      point(mode);
      // After point() returned: nothing of the measurement is on the stack in the snapshot.
      if (!baselineTaken && mode !== 'exit') {
        baselineTaken = true;
        if (config.snapshots) snapshot('baseline');
      } else if (mode === 'iteration' && config.snapshots && points >= 4 && (points & (points - 1)) === 0) {
        snapshot('final');
      }
    } catch (err) {
      fail('measure', err);
    } finally {
      busy = false;
    }
  };

  let timer: NodeJS.Timeout | undefined;
  const startTimer = () => {
    timer = setInterval(() => { if (!iteration) measure('time'); }, config.everyMs);
    timer.unref();
  };
  const warm = setTimeout(() => { if (!iteration) { measure('time'); startTimer(); } }, config.warmupMs);
  warm.unref();

  Object.defineProperty(globalThis, 'hotpathIteration', {
    configurable: true, writable: true,
    value: function hotpathIteration(): void {
      if (finished) return;
      iteration++;
      if (iteration === 1) { clearTimeout(warm); if (timer) clearInterval(timer); }
      if (iteration < nextAt) return;
      if (config.every) nextAt = iteration + config.every;
      else {
        if (++atStride >= PER_STRIDE) { stride *= 2; atStride = 0; }
        nextAt = iteration + stride;
      }
      measure('iteration');
    },
  });

  return {
    finish() {
      if (finished) return;
      finished = true;
      clearTimeout(warm);
      if (timer) clearInterval(timer);
      measure('exit');
      if (baselineTaken && config.snapshots && !iteration) snapshot('final');
      try { session.post('HeapProfiler.stopSampling'); } catch { /* ending anyway */ }
    },
  };
}
