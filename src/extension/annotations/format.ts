// Text and heat levels shown beside the code. Pure, so wording and scaling are unit-tested.
// Single-run numbers carry their sample count: it is what tells the reader how much to trust them.
import type { ImportLine } from '../../core/profile/importLines';

export interface FunctionHotspot {
  name: string;
  line: number;
  endLine?: number;
  selfMs: number;
  totalMs: number;
  samples: number;
}

export interface LineHotspot {
  line: number;
  selfMs: number;
  samples: number;
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10000 ? 1 : 2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 0.1) return `${ms.toFixed(1)} ms`;
  return ms > 0 ? '<0.1 ms' : '0 ms';
}

/** One decimal, as the flame panel writes shares, so a lens and the panel read the same figure. */
export function formatPercent(share: number): string {
  const pct = share * 100;
  if (pct >= 0.1 || pct === 0) return `${pct.toFixed(1)}%`;
  return pct > 0 ? '<0.1%' : '0%';
}

/** What every share in the editor is a share of (the flame panel names it the same). */
export const SHARE_OF = 'sampled time';

/** The samples behind a self time: "271 self samples". */
function samplesText(samples: number): string {
  return `${samples} self sample${samples === 1 ? '' : 's'}`;
}

/** CodeLens title above a function. `sampledMs`: the profile's sampled time (LoadedProfile.sampledMs), the share's denominator. */
export function functionLensText(fn: FunctionHotspot, sampledMs: number): string {
  if (fn.samples === 0 && fn.selfMs === 0) {
    // Callers only (a module's top level, a dispatcher): its own time is nil, what it calls is not.
    const totalShare = sampledMs > 0 ? ` (${formatPercent(fn.totalMs / sampledMs)} of ${SHARE_OF})` : '';
    return `$(flame) ${formatMs(fn.totalMs)} total${totalShare} in what it calls · no samples of its own`;
  }
  const share = sampledMs > 0 ? ` (${formatPercent(fn.selfMs / sampledMs)} of ${SHARE_OF})` : '';
  return `$(flame) ${formatMs(fn.selfMs)} self${share} · ${formatMs(fn.totalMs)} total · ${samplesText(fn.samples)}`;
}

/** End-of-line text on a hot line. */
export function lineAnnotationText(line: LineHotspot): string {
  return `${formatMs(line.selfMs)} · ${samplesText(line.samples)}`;
}

/** CodeLens title above an import line: its measured load time. */
export function importLensText(l: ImportLine): string {
  const own = l.totalMs > l.selfMs ? ` (${formatMs(l.selfMs)} its own)` : '';
  if (l.notMeasured) return `$(package) '${l.request}': ≥ ${formatMs(l.totalMs)} to load${own} · part of it not measured`;
  return `$(package) '${l.request}': ${formatMs(l.totalMs)} to load${own} · measured import time`;
}

/** The hotspot diagnostic's message (issue 4 fixes this wording). */
export function diagnosticMessage(name: string, selfMs: number, sampledMs: number): string {
  const share = sampledMs > 0 ? formatPercent(selfMs / sampledMs) : '?%';
  return `Hotpath: ${share} of ${SHARE_OF} (${formatMs(selfMs)} self) in ${name || '(anonymous)'}`;
}

export const HEAT_LEVELS = 5;

/**
 * Heat level 1..HEAT_LEVELS of a line relative to the file's hottest line, 0 for lines too cool
 * to mark. Square-root scaling keeps the second-hottest lines visible next to one dominant line.
 */
export function heatLevel(selfMs: number, maxSelfMs: number): number {
  if (!(selfMs > 0) || !(maxSelfMs > 0)) return 0;
  const ratio = Math.min(1, selfMs / maxSelfMs);
  if (ratio < 0.02) return 0;
  return Math.max(1, Math.ceil(Math.sqrt(ratio) * HEAT_LEVELS));
}

/** Sampling error of a sampled time (time / sqrt(samples), NaN without samples): the one core helper. */
import { samplingError } from '../../core/stats/sampling';
export { samplingError };

function withError(ms: number, samples: number): string {
  const err = samplingError(ms, samples);
  return Number.isFinite(err) ? `${formatMs(ms)} ± ${formatMs(err)}` : formatMs(ms);
}

/** Markdown for the hover on a hot line; `revealLink` is a command: URI to the panel. */
export function hoverMarkdown(fn: FunctionHotspot | undefined, line: LineHotspot | undefined, sampledMs: number, revealLink?: string): string {
  const rows: string[] = ['**Hotpath** (last profile)', ''];
  if (line) rows.push(`- this line: ${withError(line.selfMs, line.samples)} self${sampledMs > 0 ? ` (${formatPercent(line.selfMs / sampledMs)} of ${SHARE_OF})` : ''}, ${samplesText(line.samples)}`);
  if (fn) {
    rows.push(`- \`${(fn.name || '(anonymous)').replace(/`/g, "'")}\`: ${withError(fn.selfMs, fn.samples)} self, ${formatMs(fn.totalMs)} total, ${samplesText(fn.samples)}`);
  }
  rows.push('', `_± is the sampling error (time / √samples) of this one run; shares are of the ${SHARE_OF} of the program's processes (${formatMs(sampledMs)}; launchers such as npm left out), as in the flame panel._`);
  if (revealLink) rows.push('', `[Show in flame graph](${revealLink})`);
  return rows.join('\n');
}
