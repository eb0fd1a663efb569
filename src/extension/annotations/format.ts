// Text and heat levels shown beside the code. Pure, so wording and scaling are unit-tested.
// Single-run numbers carry their sample count: it is what tells the reader how much to trust them.

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

export function formatPercent(share: number): string {
  const pct = share * 100;
  if (pct >= 10) return `${pct.toFixed(0)}%`;
  if (pct >= 0.1) return `${pct.toFixed(1)}%`;
  return pct > 0 ? '<0.1%' : '0%';
}

function samplesText(samples: number): string {
  return `${samples} sample${samples === 1 ? '' : 's'}`;
}

/** CodeLens title above a function. `cpuMs` is the run's total CPU time (for the share). */
export function functionLensText(fn: FunctionHotspot, cpuMs: number): string {
  if (fn.samples === 0 && fn.selfMs === 0) {
    // Callers only (a module's top level, a dispatcher): its own time is nil, what it calls is not.
    const totalShare = cpuMs > 0 ? ` (${formatPercent(fn.totalMs / cpuMs)} of CPU)` : '';
    return `$(flame) ${formatMs(fn.totalMs)} total${totalShare} in what it calls · no samples of its own`;
  }
  const share = cpuMs > 0 ? ` (${formatPercent(fn.selfMs / cpuMs)} of CPU)` : '';
  return `$(flame) ${formatMs(fn.selfMs)} self${share} · ${formatMs(fn.totalMs)} total · ${samplesText(fn.samples)}`;
}

/** End-of-line text on a hot line. */
export function lineAnnotationText(line: LineHotspot): string {
  return `${formatMs(line.selfMs)} · ${samplesText(line.samples)}`;
}

/** The hotspot diagnostic's message (issue 4 fixes this wording). */
export function diagnosticMessage(name: string, selfMs: number, cpuMs: number): string {
  const share = cpuMs > 0 ? formatPercent(selfMs / cpuMs) : '?%';
  return `Hotpath: ${share} of CPU time (${formatMs(selfMs)} self) in ${name || '(anonymous)'}`;
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
export function hoverMarkdown(fn: FunctionHotspot | undefined, line: LineHotspot | undefined, cpuMs: number, revealLink?: string): string {
  const rows: string[] = ['**Hotpath** (last profile)', ''];
  if (line) rows.push(`- this line: ${withError(line.selfMs, line.samples)} self${cpuMs > 0 ? ` (${formatPercent(line.selfMs / cpuMs)} of CPU)` : ''}, ${samplesText(line.samples)}`);
  if (fn) {
    rows.push(`- \`${(fn.name || '(anonymous)').replace(/`/g, "'")}\`: ${withError(fn.selfMs, fn.samples)} self, ${formatMs(fn.totalMs)} total, ${samplesText(fn.samples)}`);
  }
  rows.push('', '_± is the sampling error (time / √samples) of this one run._');
  if (revealLink) rows.push('', `[Show in flame graph](${revealLink})`);
  return rows.join('\n');
}
