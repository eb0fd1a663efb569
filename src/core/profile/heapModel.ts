// Adds a .heapprofile (sampling heap profiler) to the model's allocation tree, in bytes.
import type { ModelBuilder } from './builder';
import type { ModelProcess } from './types';

export interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  id?: number;
  children?: HeapNode[];
}

export function isHeapNode(v: unknown): v is HeapNode {
  const n = v as HeapNode;
  return typeof n === 'object' && n !== null && typeof n.callFrame === 'object' && n.callFrame !== null && typeof n.selfSize === 'number';
}

export function addHeapProfile(b: ModelBuilder, head: HeapNode, proc: ModelProcess): void {
  const tree = b.alloc();
  const procNode = tree.child(0, b.processFrame(proc));
  proc.allocNode = procNode;
  // Explicit stack: allocation trees can be deeper than the JS call stack allows for recursion.
  const stack: { node: HeapNode; parent: number }[] = [{ node: head, parent: procNode }];
  while (stack.length) {
    const { node, parent } = stack.pop()!;
    const cf = node.callFrame;
    const isRoot = cf.functionName === '(root)' && !cf.url;
    const at = isRoot
      ? parent
      : tree.child(parent, b.frames.fromCallFrame(cf.functionName ?? '', cf.url ?? '', (cf.lineNumber ?? -1) + 1, (cf.columnNumber ?? -1) + 1));
    if (node.selfSize > 0) tree.addSelf(at, node.selfSize);
    const children = Array.isArray(node.children) ? node.children : [];
    for (let i = children.length - 1; i >= 0; i--) if (isHeapNode(children[i])) stack.push({ node: children[i], parent: at });
  }
}
