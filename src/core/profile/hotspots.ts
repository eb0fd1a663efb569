// Per-function and per-line times of one source file, for editor annotations (CodeLens,
// decorations, hovers). Lines are 1-based and in the original source (after source mapping).
import * as path from 'path';
import { aggregate } from './aggregate';
import type { FileHotspots, ProfileModel } from './types';

const round = (v: number) => Math.round(v * 1000) / 1000;

export function hotspotsForFile(model: ProfileModel, absPath: string): FileHotspots {
  const result: FileHotspots = { functions: [], lines: [] };
  const cpu = model.cpu;
  if (!cpu) return result;
  const want = path.resolve(absPath);
  // Group per function (name + line) among this file's frames only.
  const groupOfFrame = new Int32Array(model.frames.length).fill(-1);
  const groups: { name: string; line: number; frames: number[] }[] = [];
  const ids = new Map<string, number>();
  model.frames.forEach((f, i) => {
    if (!f.path || path.resolve(f.path) !== want) return;
    const key = `${f.name}\0${f.line}`;
    let g = ids.get(key);
    if (g === undefined) {
      g = groups.length;
      ids.set(key, g);
      groups.push({ name: f.name, line: f.line, frames: [] });
    }
    groups[g].frames.push(i);
    groupOfFrame[i] = g;
  });
  if (groups.length === 0) return result;
  const t = aggregate(cpu.tree, groupOfFrame, groups.length);
  result.functions = groups
    .map((g, i) => ({ name: g.name, line: g.line, selfMs: round(t.self[i] / 1000), totalMs: round(t.total[i] / 1000), samples: t.samples[i] }))
    .filter((f) => f.totalMs > 0)
    .sort((a, b) => a.line - b.line);

  const lines = new Map<number, { us: number; samples: number }>();
  for (const g of groups) {
    for (const f of g.frames) {
      for (const [line, stat] of cpu.lineTicks.get(f) ?? []) {
        const s = lines.get(line) ?? { us: 0, samples: 0 };
        s.us += stat.us;
        s.samples += stat.samples;
        lines.set(line, s);
      }
    }
  }
  result.lines = [...lines].sort((a, b) => a[0] - b[0]).map(([line, s]) => ({ line, selfMs: round(s.us / 1000), samples: s.samples }));
  return result;
}
