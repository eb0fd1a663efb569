// Turns core profile diffs into the panel's data (src/protocol/diff.ts), rows capped so a big
// profile's diff stays a small message, and the after side's call tree as a differential flame
// graph (each frame linked to its function row). No `vscode` here: unit and browser tests use it.
import type { ProfileDiff } from '../../core/profile/diff';
import type { FlameGraphData } from '../../protocol/flame';
import type { DiffFlameView, DiffTableView, DiffView } from '../../protocol/diff';

/** Rows per table sent to the page (largest |Δ| first); the rest are counted in `omitted`. */
export const MAX_ROWS = 2000;
/** Flame nodes narrower than this share of the root are left out, and at most this many are kept. */
export const FLAME_MIN_SHARE = 0.0005;
export const FLAME_MAX_NODES = 30_000;

export function diffTable(d: ProfileDiff, maxRows = MAX_ROWS, afterGraph?: FlameGraphData): DiffTableView {
  const table: DiffTableView = {
    kind: d.kind, unit: d.unit, method: d.method, runs: d.runs, noiseLabel: d.noiseLabel, factor: d.factor, totals: d.totals,
    ...(d.onCpu ? { onCpu: d.onCpu } : {}), ...(d.tests ? { tests: d.tests } : {}),
    functions: d.functions.slice(0, maxRows), modules: d.modules.slice(0, maxRows), notes: d.notes,
    omitted: { functions: Math.max(0, d.functions.length - maxRows), modules: Math.max(0, d.modules.length - maxRows) },
  };
  if (afterGraph) table.flame = diffFlame(afterGraph, table);
  return table;
}

/**
 * The after graph, pruned (a dropped node's subtree goes with it, so pre-order and contiguity
 * hold), frames linked to the table's function rows by name, file and line.
 */
export function diffFlame(graph: FlameGraphData, table: DiffTableView, minShare = FLAME_MIN_SHARE, maxNodes = FLAME_MAX_NODES): DiffFlameView {
  const rowOf = new Map<string, number>();
  table.functions.forEach((r, i) => rowOf.set(`${r.name}\0${r.file}\0${r.line}`, i));
  const { frame, parent, total } = graph.nodes;
  const scale = graph.unit === 'us' ? 1 / 1000 : 1; // the table's unit: ms or bytes
  const min = (total[0] ?? 0) * minShare;
  const kept = new Int32Array(frame.length).fill(-1);
  const frames: DiffFlameView['frames'] = [];
  const frameIds = new Map<number, number>();
  const nodes: DiffFlameView['nodes'] = { frame: [], parent: [], total: [] };
  let omitted = 0;
  for (let i = 0; i < frame.length; i++) {
    const p = parent[i];
    if (i > 0 && (kept[p] < 0 || total[i] < min || nodes.frame.length >= maxNodes)) {
      omitted++;
      continue;
    }
    let f = frameIds.get(frame[i]);
    if (f === undefined) {
      const g = graph.frames[frame[i]];
      f = frames.length;
      const waiting = graph.categories[g.category]?.kind === 'waiting';
      frames.push({ name: g.name, file: g.file, ...(g.path ? { path: g.path } : {}), line: g.line, row: rowOf.get(`${g.name}\0${g.file}\0${g.line}`) ?? -1, ...(waiting ? { waiting } : {}) });
      frameIds.set(frame[i], f);
    }
    kept[i] = nodes.frame.length;
    nodes.frame.push(f);
    nodes.parent.push(i === 0 ? -1 : kept[p]);
    nodes.total.push(total[i] * scale);
  }
  return { frames, nodes, omitted };
}

export function diffView(title: string, beforeLabel: string, afterLabel: string, diffs: ProfileDiff[], maxRows = MAX_ROWS, afterGraphs: FlameGraphData[] = []): DiffView {
  const graphFor = (d: ProfileDiff) => afterGraphs.find((g) => g.kind === (d.kind === 'cpu' ? 'cpu' : 'alloc'));
  return { title, beforeLabel, afterLabel, tables: diffs.map((d) => diffTable(d, maxRows, graphFor(d))) };
}
