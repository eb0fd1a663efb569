// Benchmarks built on measureOnce: one command N times (after K warm-up runs that are not
// counted), or two variants interleaved run by run (A/B) so that load drift on the machine hits
// both alike. Failed runs are kept in the samples and counted, never put into the statistics.
import { bootstrapMedianCI, summarize, type Interval, type Summary } from '../stats';
import { seededRandom } from '../stats/random';
import { cpuSource, measureOnce, type CommandSpec, type CpuSource, type MeasureOptions, type Sample } from './measure';

export interface BenchSample extends Sample {
  /** Position in the whole run sequence (0-based), warm-ups included: shows the interleaving. */
  order: number;
  warmup: boolean;
}

export interface MetricStats extends Summary {
  /** Bootstrap interval (95 %) of the median. */
  medianCI: Interval;
}

export interface BenchStats {
  /** Successful measured runs (warm-ups excluded). */
  n: number;
  /** Failed measured runs (non-zero exit, timeout, could not start). */
  failed: number;
  wall: MetricStats | null;
  /** null when CPU time is not measured on this platform. */
  cpu: MetricStats | null;
}

export interface BenchProgress {
  phase: 'warmup' | 'measure';
  /** Runs finished in this phase, over all groups. */
  done: number;
  total: number;
  group?: 'before' | 'after';
  sample: BenchSample;
}

export interface BenchOptions {
  /** Measured runs (default 10). */
  runs?: number;
  /** Warm-up runs before measuring, not counted (default 1). */
  warmup?: number;
  /** Per-run timeout; the run's process tree is ended and the run counts as failed. */
  timeoutMs?: number;
  /** Exit codes of a successful run (default [0]); any other counts as failed. */
  okExitCodes?: readonly number[];
  /** Cancels: the running command's process tree is ended and the promise rejects with CancelledError. */
  signal?: AbortSignal;
  onProgress?: (p: BenchProgress) => void;
  onOutput?: MeasureOptions['onOutput'];
}

export interface BenchResult {
  samples: BenchSample[];
  stats: BenchStats;
  cpuSource: CpuSource;
}

/** Statistics of the successful, non-warm-up samples. */
export function benchStats(samples: readonly Pick<BenchSample, 'ok' | 'warmup' | 'wallMs' | 'cpuMs'>[], seed = 1): BenchStats {
  const measured = samples.filter((s) => !s.warmup);
  const good = measured.filter((s) => s.ok);
  const metric = (xs: number[]): MetricStats | null => (xs.length ? { ...summarize(xs), medianCI: bootstrapMedianCI(xs, { seed }) } : null);
  const cpu = good.every((s) => s.cpuMs !== null) ? good.map((s) => s.cpuMs as number) : [];
  return { n: good.length, failed: measured.length - good.length, wall: metric(good.map((s) => s.wallMs)), cpu: metric(cpu) };
}

function counts(options: BenchOptions): { runs: number; warmup: number } {
  const runs = options.runs ?? 10;
  const warmup = options.warmup ?? 1;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive integer, not ${runs}`);
  if (!Number.isInteger(warmup) || warmup < 0) throw new Error(`warmup must be a non-negative integer, not ${warmup}`);
  return { runs, warmup };
}

/** Measures one command `runs` times after `warmup` uncounted runs. */
export async function runBench(spec: CommandSpec, options: BenchOptions = {}): Promise<BenchResult> {
  const { runs, warmup } = counts(options);
  const samples: BenchSample[] = [];
  const m = { timeoutMs: options.timeoutMs, okExitCodes: options.okExitCodes, signal: options.signal, onOutput: options.onOutput };
  for (let i = 0; i < warmup + runs; i++) {
    const isWarm = i < warmup;
    const sample: BenchSample = { ...(await measureOnce(spec, m)), order: i, warmup: isWarm };
    samples.push(sample);
    options.onProgress?.({ phase: isWarm ? 'warmup' : 'measure', done: isWarm ? i + 1 : i - warmup + 1, total: isWarm ? warmup : runs, sample });
  }
  return { samples, stats: benchStats(samples), cpuSource: cpuSource() };
}

export type AbOrder = 'alternate' | 'random';

export interface AbOptions extends BenchOptions {
  /** 'alternate': before, after, before, after...; 'random': each pair in a seeded random order (default 'alternate'). */
  order?: AbOrder;
  /** Seed of the random order (default 1). */
  seed?: number;
}

export interface AbResult {
  before: BenchResult;
  after: BenchResult;
  order: AbOrder;
}

/**
 * Measures two variants interleaved: every round runs each once (warm-ups too, not counted),
 * so drift in machine load affects both alike.
 */
export async function runAB(before: CommandSpec, after: CommandSpec, options: AbOptions = {}): Promise<AbResult> {
  const { runs, warmup } = counts(options);
  const order = options.order ?? 'alternate';
  const rand = seededRandom(options.seed ?? 1);
  const m = { timeoutMs: options.timeoutMs, okExitCodes: options.okExitCodes, signal: options.signal, onOutput: options.onOutput };
  const got = { before: [] as BenchSample[], after: [] as BenchSample[] };
  let position = 0;
  for (let round = 0; round < warmup + runs; round++) {
    const isWarm = round < warmup;
    const groups: ('before' | 'after')[] = order === 'random' && rand() < 0.5 ? ['after', 'before'] : ['before', 'after'];
    for (const group of groups) {
      const sample: BenchSample = { ...(await measureOnce(group === 'before' ? before : after, m)), order: position++, warmup: isWarm };
      got[group].push(sample);
      const finished = (isWarm ? round * 2 : (round - warmup) * 2) + (group === groups[0] ? 1 : 2);
      options.onProgress?.({ phase: isWarm ? 'warmup' : 'measure', done: finished, total: (isWarm ? warmup : runs) * 2, group, sample });
    }
  }
  return {
    before: { samples: got.before, stats: benchStats(got.before), cpuSource: cpuSource() },
    after: { samples: got.after, stats: benchStats(got.after, 2), cpuSource: cpuSource() },
    order,
  };
}
