// A synthetic .cpuprofile for the benchmarks that need a big profile (bench/diff.bench.ts,
// bench/profileLoad.bench.ts): deterministic for a seed, so rounds and runs compare the same data.
import * as fs from 'fs';
import * as path from 'path';

/**
 * Writes a random call tree sized to about `mb` of JSON to `file` (or of `shape`'s node and sample
 * counts): 5000 functions over 300 files
 * (next to `file`), sampled leaves, 0.9-1.2 ms between samples. Returns the size written in MB.
 * Written piece by piece (the text of one JSON.stringify of the whole, without holding it), so
 * profiles beyond a JS string's 512 MB can be made too (bench/reportLarge.bench.ts).
 */
export function writeSyntheticCpuProfile(file: string, mb: number, seed = 7, shape: { nodes?: number; samples?: number } = {}): number {
  // `shape` overrides the counts: e.g. a long recording of a small program is few nodes, many samples.
  const nodesCount = shape.nodes ?? Math.round(mb * 4000);
  const samplesCount = shape.samples ?? Math.round(mb * 30000);
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  // Parents first (the random draws in the order of the original generator), then children lists.
  const parent = new Int32Array(nodesCount + 1);
  for (let i = 2; i <= nodesCount; i++) parent[i] = 1 + Math.floor(rand() * (i - 1));
  const childCount = new Int32Array(nodesCount + 2);
  for (let i = 2; i <= nodesCount; i++) childCount[parent[i] + 1]++;
  for (let i = 1; i <= nodesCount + 1; i++) childCount[i] += childCount[i - 1];
  const children = new Int32Array(Math.max(0, nodesCount - 1));
  const fill = childCount.slice();
  for (let i = 2; i <= nodesCount; i++) children[fill[parent[i]]++] = i;
  const dir = path.dirname(file);
  const fd = fs.openSync(file, 'w');
  let size = 0;
  let pending: string[] = [];
  let pendingLength = 0;
  const write = (text: string) => {
    pending.push(text);
    pendingLength += text.length;
    if (pendingLength > 4_000_000) flush();
  };
  const flush = () => {
    const text = pending.join('');
    fs.writeSync(fd, text);
    size += text.length;
    pending = [];
    pendingLength = 0;
  };
  try {
    write('{"nodes":[');
    for (let i = 1; i <= nodesCount; i++) {
      const node = { id: i, callFrame: { functionName: i === 1 ? '(root)' : `fn${i % 5000}`, scriptId: '1', url: i === 1 ? '' : `file://${dir}/src/m${i % 300}.js`, lineNumber: i % 400, columnNumber: 2 }, hitCount: 0, children: Array.from(children.subarray(childCount[i], childCount[i + 1])) };
      write(`${i > 1 ? ',' : ''}${JSON.stringify(node)}`);
    }
    write(`],"startTime":0,"endTime":${samplesCount * 1000},"samples":[`);
    const chunk = 100_000;
    for (const [key, draw] of [['samples', () => 1 + Math.floor(rand() * nodesCount)], ['timeDeltas', () => 900 + Math.floor(rand() * 300)]] as const) {
      if (key === 'timeDeltas') write('],"timeDeltas":[');
      for (let at = 0; at < samplesCount; at += chunk) {
        const n = Math.min(chunk, samplesCount - at);
        const values = new Array<number>(n);
        for (let k = 0; k < n; k++) values[k] = draw();
        write(`${at > 0 ? ',' : ''}${values.join(',')}`);
      }
    }
    write(']}');
    flush();
  } finally {
    fs.closeSync(fd);
  }
  return size / 1e6;
}
