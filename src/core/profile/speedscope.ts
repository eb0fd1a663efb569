// speedscope's file format (https://www.speedscope.app/file-format-schema.json): evented and
// sampled profiles over a shared frame table. Read into the model, and written from it so a
// Hotpath profile opens in speedscope (and round-trips back).
import type { ModelBuilder } from './builder';
import { ProfileError } from './errors';
import type { ProfileModel } from './types';
import type { TreeBuilder } from './tree';

interface SsFrame { name: string; file?: string; line?: number; col?: number }
interface SsEvented { type: 'evented'; name?: string; unit: string; startValue: number; endValue: number; events: { type: 'O' | 'C'; at: number; frame: number }[] }
interface SsSampled { type: 'sampled'; name?: string; unit: string; startValue: number; endValue: number; samples: number[][]; weights: number[] }
export interface SpeedscopeFile { $schema?: string; shared: { frames: SsFrame[] }; profiles: (SsEvented | SsSampled)[]; name?: string }

export const SPEEDSCOPE_SCHEMA = 'https://www.speedscope.app/file-format-schema.json';

const TO_US: Record<string, number> = { nanoseconds: 1e-3, microseconds: 1, milliseconds: 1e3, seconds: 1e6, none: 1 };

export function isSpeedscope(v: unknown): v is SpeedscopeFile {
  const s = v as SpeedscopeFile;
  return typeof s === 'object' && s !== null && Array.isArray(s.profiles) && typeof s.shared === 'object' && s.shared !== null && Array.isArray(s.shared.frames);
}

export function addSpeedscope(b: ModelBuilder, file: string, data: SpeedscopeFile): void {
  const frameIds = data.shared.frames.map((f) => b.frames.fromCallFrame(String(f.name ?? ''), f.file ?? '', f.line ?? 0, f.col ?? 0));
  const frameAt = (i: number): number => {
    const f = frameIds[i];
    if (f === undefined) throw new ProfileError(`${file}: a speedscope profile refers to frame ${i}, but shared.frames has only ${frameIds.length}. The file is damaged; export it again.`, file);
    return f;
  };
  data.profiles.forEach((p, i) => {
    const bytes = p.unit === 'bytes';
    const scale = bytes ? 1 : TO_US[p.unit];
    if (scale === undefined) throw new ProfileError(`${file}: speedscope profile "${p.name}" has unit "${p.unit}", which Hotpath cannot convert.`, file);
    const proc = b.addProcess({ pid: i + 1, threadId: 0, commandLine: p.name ?? `profile ${i + 1}`, label: p.name || `profile ${i + 1}` });
    const tree = bytes ? b.alloc() : b.cpu();
    const procNode = tree.child(0, b.processFrame(proc));
    if (bytes) proc.allocNode = procNode; else proc.cpuNode = procNode;
    const timeline = bytes ? undefined : (node: number, us: number) => b.addTimelineRun(node, us);
    let sum = 0, count = 0;
    const add = (node: number, value: number) => {
      tree.addSelf(node, value * scale, bytes ? 0 : 1);
      timeline?.(node, value * scale);
      sum += value * scale;
      count++;
    };
    if (p.type === 'evented') readEvented(p, tree, procNode, frameAt, add, file);
    else if (p.type === 'sampled') readSampled(p, tree, procNode, frameAt, add, file);
    else throw new ProfileError(`${file}: unknown speedscope profile type "${(p as { type: string }).type}".`, file);
    if (!bytes) {
      proc.cpuUs = sum; proc.cpuSamples = count;
      b.cpuUs += sum; b.cpuSamples += count;
    }
  });
}

function readEvented(p: SsEvented, tree: TreeBuilder, procNode: number, frameAt: (i: number) => number, add: (node: number, v: number) => void, file: string): void {
  const stack = [procNode];
  let last = p.startValue;
  for (const e of p.events) {
    if (e.at > last && stack.length > 1) add(stack[stack.length - 1], e.at - last);
    last = Math.max(last, e.at);
    if (e.type === 'O') stack.push(tree.child(stack[stack.length - 1], frameAt(e.frame)));
    else if (stack.length > 1) stack.pop();
    else throw new ProfileError(`${file}: speedscope profile "${p.name}" closes frame ${e.frame} that was never opened. The file is damaged; export it again.`, file);
  }
}

function readSampled(p: SsSampled, tree: TreeBuilder, procNode: number, frameAt: (i: number) => number, add: (node: number, v: number) => void, file: string): void {
  const samples = Array.isArray(p.samples) ? p.samples : [];
  const weights = Array.isArray(p.weights) ? p.weights : [];
  // Each sample has its weight (the schema requires both lists, of one length): without that,
  // every time would be off, so the profile is refused rather than read with guessed weights.
  if (weights.length !== samples.length) {
    throw new ProfileError(`${file}: speedscope profile "${p.name ?? ''}" has ${samples.length} samples but ${weights.length} weights (one per sample is required). The file is damaged; export it again.`, file);
  }
  const bad = weights.findIndex((w) => typeof w !== 'number' || !Number.isFinite(w) || w < 0);
  if (bad >= 0) throw new ProfileError(`${file}: speedscope profile "${p.name ?? ''}" has weight ${JSON.stringify(weights[bad])} at sample ${bad}; weights are durations or sizes, never negative. The file is damaged; export it again.`, file);
  samples.forEach((stack, i) => {
    let node = procNode;
    for (const f of stack) node = tree.child(node, frameAt(f));
    add(node, weights[i]);
  });
}

/** The model's CPU tree as a speedscope file: one sampled profile per process, µs weights. */
export function toSpeedscope(model: ProfileModel, name = 'Hotpath profile'): SpeedscopeFile {
  const cpu = model.cpu;
  if (!cpu) throw new ProfileError('This profile has no CPU samples to export to speedscope.');
  const frameIndex = new Map<number, number>();
  const frames: SsFrame[] = [];
  const ssFrame = (f: number): number => {
    let i = frameIndex.get(f);
    if (i === undefined) {
      const fr = model.frames[f];
      i = frames.length;
      frames.push({ name: fr.name, file: fr.path ?? (fr.url || undefined), line: fr.line || undefined, col: fr.column || undefined });
      frameIndex.set(f, i);
    }
    return i;
  };
  const { tree, timeline } = cpu;
  const stackOf = (node: number): number[] => {
    const s: number[] = [];
    for (let n = node; tree.parent[n] > 0; n = tree.parent[n]) s.push(ssFrame(tree.frame[n]));
    return s.reverse();
  };
  const procOf = (node: number): number => {
    let n = node;
    while (tree.parent[n] > 0) n = tree.parent[n];
    return n;
  };
  const profiles: SsSampled[] = model.processes.filter((p) => p.cpuNode !== undefined).map((p) => ({
    type: 'sampled', name: p.label, unit: 'microseconds', startValue: 0, endValue: p.cpuUs ?? 0, samples: [], weights: [],
  }));
  const byNode = new Map(model.processes.filter((p) => p.cpuNode !== undefined).map((p, i) => [p.cpuNode!, profiles[i]]));
  for (let i = 0; i < timeline.node.length; i++) {
    const prof = byNode.get(procOf(timeline.node[i]));
    if (!prof) continue;
    prof.samples.push(stackOf(timeline.node[i]));
    prof.weights.push(timeline.duration[i]);
  }
  return { $schema: SPEEDSCOPE_SCHEMA, shared: { frames }, profiles, name };
}
