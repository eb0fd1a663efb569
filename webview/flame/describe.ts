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
  location: string;
}

export function frameInfo(t: LaidTree, g: FlameGraphData, node: number, layout = 'left-heavy'): FrameInfo {
  const fr = g.frames[t.frame[node]];
  const whole = t.total[0];
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
    location: node === 0 ? '' : formatLocation(fr),
  };
}

export function summaryText(i: FrameInfo, unitLabel: string): string {
  const parts = [`${i.name}: self ${i.selfShown} (${i.selfPercent}), total ${i.totalShown} (${i.totalPercent}) of ${unitLabel}`];
  if (i.samples !== null) parts.push(samplesText(i));
  if (i.location) parts.push(i.location);
  return parts.join(', ');
}

/** "1,200 samples" (self), with the subtree's count when it differs: "1,200 samples (1,350 in total)". */
export function samplesText(i: Pick<FrameInfo, 'samples' | 'totalSamples'>): string {
  if (i.samples === null) return '';
  const self = `${i.samples.toLocaleString('en-US')} samples`;
  return i.totalSamples !== null && i.totalSamples !== i.samples ? `${self} (${i.totalSamples.toLocaleString('en-US')} in total)` : self;
}
