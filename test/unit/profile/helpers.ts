// Real profiles of the fixture programs in test/fixtures/profiles, recorded once per test run
// into a temporary folder (node --cpu-prof works on the command line, see PROFILING-FACTS.md).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/profiles');

export { tempDir } from '../tempDirs';
import { tempDir } from '../tempDirs';

/** Runs `node [nodeArgs] script [args]` with CPU profiling; returns the profiles it wrote, oldest first. */
export function recordCpu(script: string, args: string[] = [], opts: { cwd?: string; nodeArgs?: string[]; intervalUs?: number } = {}): string[] {
  const dir = tempDir('cpu');
  const r = spawnSync(process.execPath, [
    '--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${opts.intervalUs ?? 250}`, ...(opts.nodeArgs ?? []), script, ...args,
  ], { cwd: opts.cwd ?? path.dirname(script), encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`fixture ${script} failed (${r.status}): ${r.stderr}`);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort().map((f) => path.join(dir, f));
}

export function recordHeap(script: string): string {
  const dir = tempDir('heap');
  const r = spawnSync(process.execPath, ['--heap-prof', `--heap-prof-dir=${dir}`, '--heap-prof-interval=4096', script], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`fixture ${script} failed (${r.status}): ${r.stderr}`);
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.heapprofile'));
  if (!file) throw new Error(`${script} wrote no heap profile`);
  return path.join(dir, file);
}

/** pid and thread id from Node's CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile names. */
export function idsOf(file: string): { pid: number; threadId: number } {
  const m = /\.(\d+)\.(\d+)\.\d+\.cpuprofile$/.exec(file);
  if (!m) throw new Error(`unexpected profile name ${file}`);
  return { pid: Number(m[1]), threadId: Number(m[2]) };
}

/** A .cpuprofile as JSON.parse gives it (the test's side of parser comparisons). */
export interface JsonCallFrame { functionName: string; scriptId?: string; url: string; lineNumber: number; columnNumber: number }
export interface JsonNode { id: number; callFrame: JsonCallFrame; hitCount?: number; children?: number[]; parent?: number; positionTicks?: { line: number; ticks: number }[] }
export interface JsonProfile { nodes: JsonNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/** What any .cpuprofile reader must produce, computed from JSON.parse's object. */
export function expectedRaw(p: JsonProfile) {
  const index = new Map(p.nodes.map((n, i) => [n.id, i]));
  const parent = p.nodes.map(() => -1);
  p.nodes.forEach((n, i) => {
    for (const c of n.children ?? []) parent[index.get(c)!] = i;
    if (n.parent !== undefined) parent[i] = index.get(n.parent)!;
  });
  return {
    frames: p.nodes.map((n) => [n.callFrame.functionName, n.callFrame.url, n.callFrame.lineNumber, n.callFrame.columnNumber]),
    parent,
    samples: p.samples.map((s) => index.get(s)!),
    deltas: p.timeDeltas.map((d) => Math.max(0, d)),
    ticks: p.nodes.flatMap((n, i) => (n.positionTicks ?? []).map((t) => [i, t.line, t.ticks])),
    times: [p.startTime, p.endTime],
  };
}

/**
 * usesDeps.js (a fixture with two dependencies) run through the runner with a preload built from
 * the source, capturing CPU (every 500 µs), heap and module load times: a real run's result.
 */
export async function runUsesDeps(): Promise<import('../../../src/core/runner/types').RunResult> {
  const esbuild = await import('esbuild');
  const { runTarget } = await import('../../../src/core/runner/run');
  const preloadPath = path.join(tempDir('preload'), 'preload.js');
  await esbuild.build({ entryPoints: [path.resolve(__dirname, '../../../src/core/runner/preload.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: preloadPath, logLevel: 'error' });
  return runTarget({
    command: process.execPath, args: ['usesDeps.js'], cwd: path.join(FIXTURES, 'src'), outDir: tempDir('run'), preloadPath,
    capture: { cpu: true, heap: true, imports: true, intervalUs: 500 }, timeoutMs: 60_000,
  });
}
