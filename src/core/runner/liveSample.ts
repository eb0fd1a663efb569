// The live metrics line (preloadLive.ts writes it): types only, shared with the webview.

/** One line of `<pid>-<tid>.live.jsonl`. Times in ms; `cpu` is a share of one core (1 = 100 %). */
export interface LiveSample {
  /** ms since the preload started. */
  t: number;
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
}

