// Words for one frame: the tooltip, the accessible summary and the test hooks all read the
// same numbers.
import type { FlameGraphData } from '../../src/protocol/flame';
import { h } from './dom';
import { displayName, formatLocation, formatPercent, formatValue } from './format';
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
  samples: number | null;
  selfText: string;
  totalText: string;
  selfPercent: string;
  totalPercent: string;
  location: string;
}

export function frameInfo(t: LaidTree, g: FlameGraphData, node: number): FrameInfo {
  const fr = g.frames[t.frame[node]];
  const whole = t.total[0];
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
    samples: t.samples ? t.samples[node] : null,
    selfText: formatValue(t.self[node], g.unit),
    totalText: formatValue(t.total[node], g.unit),
    selfPercent: formatPercent(t.self[node], whole),
    totalPercent: formatPercent(t.total[node], whole),
    location: node === 0 ? '' : formatLocation(fr),
  };
}

export function summaryText(i: FrameInfo, unitLabel: string): string {
  const parts = [`${i.name}: self ${i.selfText} (${i.selfPercent}), total ${i.totalText} (${i.totalPercent}) of ${unitLabel}`];
  if (i.samples !== null) parts.push(`${i.samples.toLocaleString('en-US')} samples`);
  if (i.location) parts.push(i.location);
  return parts.join(', ');
}

export function tooltipContent(i: FrameInfo, canOpen: boolean): HTMLElement {
  const row = (k: string, v: string) => h('tr', {}, h('th', { text: k }), h('td', { text: v }));
  return h('div', {},
    h('div', { class: 'hp-tip-name', text: i.name }),
    i.location ? h('div', { class: 'hp-tip-loc', text: i.location }) : null,
    h('table', {},
      row('Self', `${i.selfText}  (${i.selfPercent})`),
      row('Total', `${i.totalText}  (${i.totalPercent})`),
      i.samples !== null ? row('Samples', i.samples.toLocaleString('en-US')) : null,
      i.category ? row('Category', i.category) : null),
    h('div', { class: 'hp-tip-hint', text: canOpen ? 'Click: zoom and open source' : 'Click to zoom' }),
  );
}
