// Turns core profile diffs into the panel's data (src/protocol/diff.ts), rows capped so a big
// profile's diff stays a small message. No `vscode` here: unit and browser tests use it directly.
import type { ProfileDiff } from '../../core/profile/diff';
import type { DiffTableView, DiffView } from '../../protocol/diff';

/** Rows per table sent to the page (largest |Δ| first); the rest are counted in `omitted`. */
export const MAX_ROWS = 2000;

export function diffTable(d: ProfileDiff, maxRows = MAX_ROWS): DiffTableView {
  return {
    kind: d.kind, unit: d.unit, method: d.method, runs: d.runs, noiseLabel: d.noiseLabel, factor: d.factor, totals: d.totals,
    functions: d.functions.slice(0, maxRows), modules: d.modules.slice(0, maxRows), notes: d.notes,
    omitted: { functions: Math.max(0, d.functions.length - maxRows), modules: Math.max(0, d.modules.length - maxRows) },
  };
}

export function diffView(title: string, beforeLabel: string, afterLabel: string, diffs: ProfileDiff[], maxRows = MAX_ROWS): DiffView {
  return { title, beforeLabel, afterLabel, tables: diffs.map((d) => diffTable(d, maxRows)) };
}
