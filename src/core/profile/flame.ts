// Converts the model's trees into the webview's FlameGraphData (src/protocol/flame.ts): pre-order
// nodes with contiguous subtrees, node 0 the synthetic root, processes as its children.
import type { CategoryKind, FlameCategory, FlameFrame, FlameGraphData } from '../../protocol/flame';
import { childrenOf } from './tree';
import type { ModelFrame, ModelProcess, ModelTree, ProfileModel } from './types';

const LABELS: Record<CategoryKind, string> = {
  workspace: 'Your code', dependency: 'Dependencies', node: 'Node internals', gc: 'GC', idle: 'Idle', program: 'Program', native: 'Native', waiting: 'Waiting',
};

/** Characters of a number in JSON. */
const jsonDigits = (v: number) => (Number.isInteger(v) && v >= 0 && v < 1e9 ? (v < 10 ? 1 : v < 100 ? 2 : v < 1e3 ? 3 : v < 1e4 ? 4 : v < 1e5 ? 5 : v < 1e6 ? 6 : v < 1e7 ? 7 : v < 1e8 ? 8 : 9) : JSON.stringify(v).length);

/**
 * `maxTimelineChars`: a CPU timeline whose JSON would be longer is left out (counted from the
 * typed arrays, before two JS arrays of its length are made); the caller says so.
 */
export function toFlameGraphs(model: ProfileModel, options: { maxTimelineChars?: number } = {}): FlameGraphData[] {
  const graphs: FlameGraphData[] = [];
  if (model.cpu) {
    const g = convert(model, model.cpu.tree, 'cpu', 'us', 'CPU time', (p) => p.cpuNode, true);
    const { node, duration } = model.cpu.timeline;
    const order = g.order;
    let chars = 0;
    if (options.maxTimelineChars !== undefined) for (let i = 0; i < node.length; i++) chars += jsonDigits(order[node[i]]) + jsonDigits(duration[i]) + 2;
    if (options.maxTimelineChars === undefined || chars <= options.maxTimelineChars) {
      g.data.timeline = { node: Array.from(node, (n) => order[n]), duration: Array.from(duration) };
    }
    graphs.push(g.data);
  }
  // Heap sample counts exist when the .heapprofile listed its samples (every profile Node writes).
  if (model.alloc) graphs.push(convert(model, model.alloc.tree, 'alloc', 'bytes', 'Allocations (sampled bytes)', (p) => p.allocNode, model.alloc.tree.samples.some((c) => c > 0)).data);
  if (model.imports) graphs.push(convert(model, model.imports.tree, 'imports', 'us', 'Module load time', (p) => p.importsNode, false).data);
  return graphs;
}

function convert(
  model: ProfileModel,
  tree: ModelTree,
  kind: FlameGraphData['kind'],
  unit: FlameGraphData['unit'],
  title: string,
  processNode: (p: ModelProcess) => number | undefined,
  withSamples: boolean,
): { data: FlameGraphData; order: Int32Array } {
  const categories: FlameCategory[] = [];
  const categoryIds = new Map<string, number>();
  const category = (f: ModelFrame): number => {
    // A blocking call the thread waits in gets its own category (colour, hatching, legend entry).
    const waiting = f.blocking?.kind === 'wait' ? f.blocking.what : undefined;
    const key = waiting ? `waiting\0${waiting}` : f.kind === 'dependency' ? `dependency\0${f.pkg ?? ''}` : f.kind;
    let c = categoryIds.get(key);
    if (c === undefined) {
      c = categories.length;
      categories.push(waiting ? { kind: 'waiting', label: `Waiting: ${waiting} (not CPU)` } : { kind: f.kind, label: f.kind === 'dependency' && f.pkg ? f.pkg : LABELS[f.kind] });
      categoryIds.set(key, c);
    }
    return c;
  };
  const frames: FlameFrame[] = [];
  const frameIds = new Map<number, number>();
  const flameFrame = (f: number): number => {
    let i = frameIds.get(f);
    if (i === undefined) {
      const m = model.frames[f];
      i = frames.length;
      frames.push({ name: m.name, file: m.file, ...(m.path ? { path: m.path } : {}), line: m.line, column: m.column, category: category(m), ...(m.notMeasured ? { notMeasured: true } : {}) });
      frameIds.set(f, i);
    }
    return i;
  };

  const n = tree.count;
  const order = new Int32Array(n); // model node -> pre-order index
  const nodes = { frame: new Array<number>(n), parent: new Array<number>(n), self: new Array<number>(n), total: new Array<number>(n), samples: withSamples ? new Array<number>(n) : undefined };
  const { start, list } = childrenOf(tree);
  const stack = [0];
  let k = 0;
  while (stack.length) {
    const m = stack.pop()!;
    order[m] = k;
    nodes.frame[k] = flameFrame(tree.frame[m]);
    nodes.parent[k] = m === 0 ? -1 : order[tree.parent[m]];
    nodes.self[k] = tree.self[m];
    nodes.total[k] = tree.total[m];
    if (nodes.samples) nodes.samples[k] = tree.samples[m];
    k++;
    for (let c = start[m + 1] - 1; c >= start[m]; c--) stack.push(list[c]);
  }
  const processes = model.processes
    .filter((p) => processNode(p) !== undefined)
    .map((p) => ({ pid: p.pid, threadId: p.threadId, label: p.label, node: order[processNode(p)!], ...(p.launcher ? { launcher: p.launcher } : {}), ...(p.notes?.length ? { notes: [...p.notes] } : {}) }));
  const data: FlameGraphData = { kind, unit, title, categories, frames, nodes: nodes.samples ? nodes as FlameGraphData['nodes'] : { frame: nodes.frame, parent: nodes.parent, self: nodes.self, total: nodes.total } };
  if (processes.length) data.processes = processes;
  if (model.notes.length) data.notes = [...model.notes];
  return { data, order };
}
