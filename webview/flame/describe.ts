// Words for one frame: the tooltip (tooltip.ts), the accessible summary and the test hooks all
// read the same numbers. DOM-free.
import type { FlameGraphData } from '../../src/protocol/flame';
import { displayName, formatLocation, formatPercent, formatValue, formatWithError } from './format';
import { nodeSpread, spreadNote } from './spread';
import type { LaidTree } from './tree';

export interface FrameInfo {
  node: number;
  name: string;
  file: string;
  path?: string;
  line: number;
  column: number;
  category: string;
  self: number;
  total: number;
  /** Samples behind self (null when unknown); `totalSamples` behind total. */
  samples: number | null;
  totalSamples: number | null;
  /** Sampling errors in the graph's unit: null for measured values or unknown counts. */
  selfError: number | null;
  totalError: number | null;
  /** Value and ± as shown: "12.3 ±1.1 ms" (sampled), "12.3 ms" (measured or count unknown). */
  selfShown: string;
  totalShown: string;
  /** What the ± means here, or why there is none. */
  spread: string;
  selfText: string;
  totalText: string;
  selfPercent: string;
  totalPercent: string;
  /** What the percentages are shares of: "sampled time", "sampled bytes", "load time". */
  shareOf: string;
  location: string;
}

/** What every share in the panel is a share of, by graph kind. */
export function shareName(g: Pick<FlameGraphData, 'kind'>): string {
  return g.kind === 'alloc' ? 'sampled bytes' : g.kind === 'imports' ? 'load time' : 'sampled time';
}

/** `whole`: the denominator of the shares (PreparedView.whole; the tree's root by default). */
export function frameInfo(t: LaidTree, g: FlameGraphData, node: number, layout = 'left-heavy', whole = t.total[0]): FrameInfo {
  const fr = g.frames[t.frame[node]];
  const sp = nodeSpread(t, node);
  return {
    node,
    name: node === 0 ? `All: ${g.title}` : displayName(fr),
    file: fr.file,
    path: fr.path,
    line: fr.line,
    column: fr.column,
    category: g.categories[fr.category]?.label ?? '',
    self: t.self[node],
    total: t.total[node],
    samples: sp.selfSamples,
    totalSamples: sp.totalSamples,
    selfError: sp.selfError,
    totalError: sp.totalError,
    // A module whose load time was not measured: no self figure; its total is what was measured below it.
    selfShown: fr.notMeasured ? 'not measured' : formatWithError(t.self[node], sp.selfError, g.unit),
    totalShown: (fr.notMeasured ? '≥ ' : '') + formatWithError(t.total[node], sp.totalError, g.unit),
    spread: spreadNote(g, t, layout),
    selfText: fr.notMeasured ? 'not measured' : formatValue(t.self[node], g.unit),
    totalText: (fr.notMeasured ? '≥ ' : '') + formatValue(t.total[node], g.unit),
    selfPercent: formatPercent(t.self[node], whole),
    totalPercent: formatPercent(t.total[node], whole),
    shareOf: shareName(g),
    location: node === 0 ? '' : formatLocation(fr),
  };
}

/** `wholeLabel`: the denominator with its name ("3.3 s sampled time"). */
export function summaryText(i: FrameInfo, wholeLabel: string): string {
  const parts = [`${i.name}: self ${i.selfShown} (${i.selfPercent}), total ${i.totalShown} (${i.totalPercent}) of ${wholeLabel}`];
  if (i.samples !== null) parts.push(samplesText(i));
  if (i.location) parts.push(i.location);
  return parts.join(', ');
}

/**
 * "1,200 self samples", with the subtree's count when it differs: "0 self samples, 552 total"
 * (a caller with no samples of its own reads as such, not as a contradiction).
 */
export function samplesText(i: Pick<FrameInfo, 'samples' | 'totalSamples'>): string {
  if (i.samples === null) return '';
  const n = (x: number) => x.toLocaleString('en-US');
  const self = `${n(i.samples)} self sample${i.samples === 1 ? '' : 's'}`;
  return i.totalSamples !== null && i.totalSamples !== i.samples ? `${self}, ${n(i.totalSamples)} total` : self;
}
