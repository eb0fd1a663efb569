// A synthetic .cpuprofile for the benchmarks that need a big profile (bench/diff.bench.ts,
// bench/profileLoad.bench.ts): deterministic for a seed, so rounds and runs compare the same data.
import * as fs from 'fs';
import * as path from 'path';

/**
 * Writes a random call tree sized to about `mb` of JSON to `file`: 5000 functions over 300 files
 * (next to `file`), sampled leaves, 0.9-1.2 ms between samples. Returns the size written in MB.
 */
export function writeSyntheticCpuProfile(file: string, mb: number, seed = 7): number {
  const nodesCount = Math.round(mb * 4000);
  const samplesCount = Math.round(mb * 30000);
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const nodes = [];
  for (let i = 1; i <= nodesCount; i++) {
    nodes.push({ id: i, callFrame: { functionName: i === 1 ? '(root)' : `fn${i % 5000}`, scriptId: '1', url: i === 1 ? '' : `file://${path.dirname(file)}/src/m${i % 300}.js`, lineNumber: i % 400, columnNumber: 2 }, hitCount: 0, children: [] as number[] });
  }
  for (let i = 2; i <= nodesCount; i++) nodes[Math.floor(rand() * (i - 1))].children.push(i);
  const samples = Array.from({ length: samplesCount }, () => 1 + Math.floor(rand() * nodesCount));
  const timeDeltas = Array.from({ length: samplesCount }, () => 900 + Math.floor(rand() * 300));
  const text = JSON.stringify({ nodes, startTime: 0, endTime: samplesCount * 1000, samples, timeDeltas });
  fs.writeFileSync(file, text);
  return text.length / 1e6;
}
