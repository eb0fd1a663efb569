// The hover tooltip of a frame, built from describe.ts's words.
import type { FrameInfo } from './describe';
import { h } from './dom';

export function tooltipContent(i: FrameInfo, canOpen: boolean): HTMLElement {
  const row = (k: string, v: string) => h('tr', {}, h('th', { text: k }), h('td', { text: v }));
  return h('div', {},
    h('div', { class: 'hp-tip-name', text: i.name }),
    i.location ? h('div', { class: 'hp-tip-loc', text: i.location }) : null,
    h('table', {},
      row('Self', `${i.selfShown}  (${i.selfPercent} of ${i.shareOf})`),
      row('Total', `${i.totalShown}  (${i.totalPercent})`),
      i.samples !== null ? row('Self samples', i.samples.toLocaleString('en-US')) : null,
      i.totalSamples !== null ? row('Total samples', i.totalSamples.toLocaleString('en-US')) : null,
      i.category ? row('Category', i.category) : null),
    h('div', { class: 'hp-tip-note', text: i.spread }),
    h('div', { class: 'hp-tip-hint', text: canOpen ? 'Click: zoom and open source' : 'Click to zoom' }),
  );
}
