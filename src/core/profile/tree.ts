// Builds a merged call tree: children are keyed by frame, so stacks that map to the same frames
// (after source mapping, or from several profiles) share nodes.
import { FloatList, IntList } from './growable';
import type { ModelTree } from './types';

export class TreeBuilder {
  private readonly frame = new IntList();
  private readonly parent = new IntList();
  private readonly self = new FloatList();
  private readonly samples = new IntList();
  // Children as linked lists (first child, next sibling): most nodes have a handful of children,
  // and a hash map over all (parent, frame) pairs cost more than the whole parse of a big profile.
  private readonly firstChild = new IntList();
  private readonly nextSibling = new IntList();
  private readonly childCount = new IntList();
  /** Index of the children of nodes with many (the process roots, dispatchers). */
  private readonly wide = new Map<number, Map<number, number>>();

  constructor(rootFrame: number) {
    this.add(-1, rootFrame);
  }

  get count(): number {
    return this.frame.length;
  }

  /** The child of `parent` for `frame`, created when missing. */
  child(parent: number, frame: number): number {
    const index = this.wide.get(parent);
    if (index) {
      const found = index.get(frame);
      if (found !== undefined) return found;
    } else {
      const frames = this.frame.data, next = this.nextSibling.data;
      for (let c = this.firstChild.data[parent]; c >= 0; c = next[c]) if (frames[c] === frame) return c;
    }
    const node = this.add(parent, frame);
    this.nextSibling.data[node] = this.firstChild.data[parent];
    this.firstChild.data[parent] = node;
    const n = ++this.childCount.data[parent];
    if (index) index.set(frame, node);
    else if (n > 16) {
      const map = new Map<number, number>();
      for (let c = this.firstChild.data[parent]; c >= 0; c = this.nextSibling.data[c]) map.set(this.frame.data[c], c);
      this.wide.set(parent, map);
    }
    return node;
  }

  addSelf(node: number, value: number, samples = 0): void {
    this.self.data[node] += value;
    this.samples.data[node] += samples;
  }

  private add(parent: number, frame: number): number {
    this.frame.push(frame);
    this.parent.push(parent);
    this.self.push(0);
    this.samples.push(0);
    this.firstChild.push(-1);
    this.nextSibling.push(-1);
    this.childCount.push(0);
    return this.frame.length - 1;
  }

  /** The finished tree. Views over the builder's arrays, not copies: big profiles have no memory to spare. */
  build(): ModelTree {
    const count = this.frame.length;
    const parent = this.parent.view();
    const self = this.self.view();
    const total = self.slice();
    for (let i = count - 1; i > 0; i--) total[parent[i]] += total[i];
    return { count, frame: this.frame.view(), parent, self, total, samples: this.samples.view() };
  }
}

const childLists = new WeakMap<ModelTree, { start: Int32Array; list: Int32Array }>();

/** Children lists of a tree as offsets into one array (CSR), in creation order; built once per tree (a model's trees do not change). */
export function childrenOf(tree: ModelTree): { start: Int32Array; list: Int32Array } {
  let lists = childLists.get(tree);
  if (!lists) childLists.set(tree, (lists = buildChildren(tree)));
  return lists;
}

function buildChildren(tree: ModelTree): { start: Int32Array; list: Int32Array } {
  const n = tree.count;
  const start = new Int32Array(n + 1);
  for (let i = 1; i < n; i++) start[tree.parent[i] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const list = new Int32Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) list[fill[tree.parent[i]]++] = i;
  return { start, list };
}
