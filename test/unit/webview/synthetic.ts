// Deterministic synthetic call trees for the flame view's logic tests (real profiles are used
// by the browser test). Pre-order, like the protocol requires.
import type { FlameCategory, FlameFrame, FlameGraphData } from '../../../src/protocol/flame';
import { seededRandom } from '../../../src/core/stats/random';

/** The same seeded generator as the statistics (mulberry32). */
export const rng = seededRandom;

export const CATEGORIES: FlameCategory[] = [
  { kind: 'program', label: 'Program' },
  { kind: 'workspace', label: 'Your code' },
  { kind: 'dependency', label: 'lodash' },
  { kind: 'node', label: 'Node internals' },
];

export function syntheticGraph(nodes: number, seed = 1, frameCount = 200): FlameGraphData {
  const random = rng(seed);
  const frames: FlameFrame[] = [{ name: '(root)', file: '', line: 0, column: 0, category: 0 }];
  for (let f = 1; f < frameCount; f++) {
    const category = 1 + (f % 3);
    frames.push({ name: `fn${f}`, file: `src/file${f % 17}.js`, path: `/work/src/file${f % 17}.js`, line: f, column: 1, category });
  }
  const frame = [0];
  const parent = [-1];
  const self = [0];
  const path = [0];
  while (frame.length < nodes) {
    const goDeeper = path.length < 3 || (path.length < 40 && random() < 0.55);
    if (!goDeeper && path.length > 1) { path.pop(); continue; }
    const id = frame.length;
    frame.push(1 + Math.floor(random() * (frameCount - 1)));
    parent.push(path[path.length - 1]);
    self.push(Math.floor(random() * 1000));
    path.push(id);
  }
  const total = self.slice();
  for (let i = nodes - 1; i > 0; i--) total[parent[i]] += total[i];
  return { kind: 'cpu', unit: 'us', title: 'Synthetic', categories: CATEGORIES, frames, nodes: { frame, parent, self, total } };
}

/** A small hand-made tree: root -> main -> (a -> c, b -> c, a) with known values. */
export function smallGraph(): FlameGraphData {
  const frames: FlameFrame[] = [
    { name: '(root)', file: '', line: 0, column: 0, category: 0 },
    { name: 'main', file: 'src/main.js', path: '/w/src/main.js', line: 1, column: 1, category: 1 },
    { name: 'a', file: 'src/a.js', path: '/w/src/a.js', line: 3, column: 1, category: 1 },
    { name: 'b', file: 'node_modules/lodash/b.js', line: 5, column: 1, category: 2 },
    { name: 'c', file: 'src/c.js', path: '/w/src/c.js', line: 7, column: 1, category: 1 },
  ];
  // pre-order: 0 root, 1 main, 2 a, 3 c, 4 b, 5 c, 6 a (a second time, to be merged)
  const frame = [0, 1, 2, 4, 3, 4, 2];
  const parent = [-1, 0, 1, 2, 1, 4, 1];
  const self = [0, 10, 20, 30, 5, 40, 15];
  const total = self.slice();
  for (let i = frame.length - 1; i > 0; i--) total[parent[i]] += total[i];
  return {
    kind: 'cpu', unit: 'us', title: 'Small', categories: CATEGORIES, frames,
    nodes: { frame, parent, self, total, samples: self.map((s) => s / 5) },
    // samples in time order: main, a, c, c, b, c, a  (leaves by original node id)
    timeline: { node: [1, 2, 3, 3, 4, 5, 6], duration: [10, 20, 15, 15, 5, 40, 15] },
  };
}
