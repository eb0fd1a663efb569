// The live metrics line (preloadLive.ts writes it) and the merged series the live chart draws
// (live.ts reads them), shared with the webview: types and one pure function.

/** One line of `<pid>-<tid>.live.jsonl`. Times in ms; `cpu` is a share of one core (1 = 100 %). */
export interface LiveSample {
  /** ms since the preload started. */
  t: number;
  /** Wall-clock time of the sample (epoch ms); lines written before it was added lack it. */
  at?: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  rss: number;
  /** Process CPU (user + system) over the interval as a share of one core; null in worker threads. */
  cpu: number | null;
  /** Event-loop utilization of this thread over the interval (0-1). */
  elu: number;
  delayMeanMs: number;
  delayMaxMs: number;
  /** How many delays the 20 ms histogram recorded in the interval; 0: the delay was not measured (lines written before it was added lack it). */
  delaySamples?: number;
}


/** One process or worker thread of the run. `measured` is false until it wrote a sample (a process that ends within its first second never does). */
export interface LiveProcessView {
  key: string;
  pid: number;
  threadId: number;
  /** "node server.js" (main thread) or "worker thread 1". */
  label: string;
  measured: boolean;
}

/**
 * One sample, x in seconds since the run started. `cpu` is a share of one core; null: not measured
 * (worker threads). The delays are null when the interval recorded none (not measured, never 0).
 */
export interface LivePoint {
  x: number;
  heapUsed: number;
  heapTotal: number;
  cpu: number | null;
  elu: number;
  delayMeanMs: number | null;
  delayMaxMs: number | null;
}

/** What is new: every process known so far (labels may change) and the points added to each. */
export interface LiveUpdate {
  processes: LiveProcessView[];
  points: { key: string; points: LivePoint[] }[];
}


/** A line as the chart draws it at `x` seconds: a delay the interval did not record is null. */
export function livePoint(s: LiveSample, x: number): LivePoint {
  const delay = s.delaySamples !== 0;
  return {
    x: Math.round(x * 1000) / 1000, heapUsed: s.heapUsed, heapTotal: s.heapTotal, cpu: s.cpu, elu: s.elu,
    delayMeanMs: delay ? s.delayMeanMs : null, delayMaxMs: delay ? s.delayMaxMs : null,
  };
}