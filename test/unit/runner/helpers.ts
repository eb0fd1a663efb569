// Test-side helpers: build the preload once, and read raw .cpuprofile files for assertions.
import * as fs from 'fs';
import * as path from 'path';
import { buildOnly } from '../build';

export const ROOT = path.resolve(__dirname, '../../..');
export const TARGETS = path.join(ROOT, 'test/fixtures/targets');

export function buildPreload(): void {
  buildOnly('preload');
}

export { tempDir } from '../tempDirs';

/** Self time (µs) per function name, from the samples and their time deltas. */
export function selfTimeByFunction(file: string): Map<string, number> {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string } }[]; samples: number[]; timeDeltas: number[];
  };
  const names = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName]));
  const out = new Map<string, number>();
  // timeDeltas[i] is the gap before sample i: the time of sample i is the gap after it.
  for (let i = 0; i < profile.samples.length; i++) {
    const name = names.get(profile.samples[i]) ?? '?';
    const dt = profile.timeDeltas[i + 1] ?? 0;
    out.set(name, (out.get(name) ?? 0) + dt);
  }
  return out;
}

/** Self time including callees for functions that only call `busy`: the caller's subtree. */
export function totalTimeByFunction(file: string): Map<string, number> {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string }; children?: number[] }[]; samples: number[]; timeDeltas: number[];
  };
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const names = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName]));
  const out = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const seen = new Set<string>();
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const name = names.get(id) ?? '?';
      if (!seen.has(name)) { seen.add(name); out.set(name, (out.get(name) ?? 0) + dt); }
    }
  }
  return out;
}

/**
 * The share of a .cpuprofile's sampled time that came in gaps over twice the sampling interval:
 * time the sampler did not see (a busy machine stopped the process), credited whole to one sample
 * whichever function ran in it. A share asserted on sampled time can be off by this much more.
 */
export function stalledShare(file: string, intervalUs: number): number {
  const gaps = (JSON.parse(fs.readFileSync(file, 'utf8')) as { timeDeltas: number[] }).timeDeltas.slice(1);
  const total = gaps.reduce((a, d) => a + Math.max(d, 0), 0);
  return total > 0 ? stalledUs(file, intervalUs) / total : 0;
}

/** The same time in µs: the sampled time in gaps over twice the sampling interval. */
export function stalledUs(file: string, intervalUs: number): number {
  const gaps = (JSON.parse(fs.readFileSync(file, 'utf8')) as { timeDeltas: number[] }).timeDeltas.slice(1);
  return gaps.filter((d) => d > 2 * intervalUs).reduce((a, d) => a + d, 0);
}
