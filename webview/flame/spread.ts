// The spread of the numbers the panel shows. CPU times and heap bytes are sampled: each value
// carries the sampling error value / sqrt(samples) (the helper the CLI and the editor hovers use).
// Module load times are measured by the module timer: no sampling error, and none is invented.
// DOM-free.
import { isSampledGraph, type FlameGraphData } from '../../src/protocol/flame';
import { samplingError } from '../../src/core/stats/sampling';
import type { LaidTree } from './tree';

const totalsCache = new WeakMap<LaidTree, Float64Array | null>();

/**
 * Samples behind each node's total (the sum of self samples over its subtree). Null when the
 * tree has no sample counts, or on a partial layout (the hidden parts' counts are not summed
 * there; the full layout replaces it within moments).
 */
export function totalSamplesOf(t: LaidTree): Float64Array | null {
  let s = totalsCache.get(t);
  if (s !== undefined) return s;
  if (!t.samples || t.hidden) s = null;
  else {
    s = Float64Array.from(t.samples);
    for (let i = t.n - 1; i > 0; i--) s[t.parent[i]] += s[i];
  }
  totalsCache.set(t, s);
  return s;
}

export interface NodeSpread {
  /** Samples behind self / total; null when unknown. */
  selfSamples: number | null;
  totalSamples: number | null;
  /** Sampling error in the graph's unit; null when the value is measured or the count unknown. */
  selfError: number | null;
  totalError: number | null;
}

export function errorOf(value: number, samples: number | null): number | null {
  if (samples === null) return null;
  const e = samplingError(value, samples);
  return Number.isFinite(e) ? e : null;
}

export function nodeSpread(t: LaidTree, node: number): NodeSpread {
  const selfSamples = t.samples ? t.samples[node] : null;
  const totals = totalSamplesOf(t);
  const totalSamples = totals ? totals[node] : null;
  return { selfSamples, totalSamples, selfError: errorOf(t.self[node], selfSamples), totalError: errorOf(t.total[node], totalSamples) };
}

/**
 * One sentence on what the ± means for this graph and view, for the table headers, the tooltip
 * and the summary; says why there is none when there is none.
 */
export function spreadNote(g: FlameGraphData, t: LaidTree, layout: string): string {
  if (!isSampledGraph(g)) return 'Measured load times (module timer), not sampled: no sampling error.';
  // A sample lands on the stack whether the thread computes or waits: time on the stack, not CPU time.
  const what = g.kind === 'cpu' ? "time on the thread's stack" : 'bytes';
  if (t.samples && t.hidden) return `Sampled ${what}: ± is the sampling error (value / √samples) of this one run; totals get theirs once the full layout is done.`;
  if (t.samples) return `Sampled ${what}: ± is the sampling error (value / √samples) of this one run.`;
  if (layout === 'time-ordered') return `Sampled ${what}; the time-ordered layout keeps no sample counts, so no ± here (the left-heavy layout shows it).`;
  if (g.kind === 'alloc') return 'Sampled bytes; this heap profile lists no sample counts, so their sampling error is unknown (no ± shown).';
  return `Sampled ${what}; this profile carries no sample counts, so the sampling error is unknown (no ± shown).`;
}
