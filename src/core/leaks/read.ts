// Reads `<pid>-<tid>.leaks.jsonl` (written by src/core/runner/preloadLeaks.ts). A line cut short
// by a kill is skipped with a note; everything before it is kept.
import * as fs from 'fs';
import type { LeaksConfig, LeaksLine } from '../runner/preloadLeaks';

export type LeakSite = Extract<LeaksLine, { kind: 'site' }>;
export type LeakPoint = Extract<LeaksLine, { kind: 'point' }>;
export type LeakSnapshot = Extract<LeaksLine, { kind: 'snapshot' }>;

export interface LeaksData {
  config: LeaksConfig | undefined;
  startedAt: number | undefined;
  sites: LeakSite[];
  points: LeakPoint[];
  snapshots: LeakSnapshot[];
  /** Failures inside the preload, and unreadable lines. */
  errors: string[];
}

export function readLeaksFile(file: string): LeaksData {
  const out: LeaksData = { config: undefined, startedAt: undefined, sites: [], points: [], snapshots: [], errors: [] };
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((text, i) => {
    if (!text.trim()) return;
    let line: LeaksLine;
    try {
      line = JSON.parse(text);
    } catch {
      out.errors.push(`line ${i + 1} of ${file} is not JSON (cut short when the process was killed?): skipped`);
      return;
    }
    switch (line.kind) {
      case 'start': out.config = line.config; out.startedAt = line.startedAt; break;
      case 'site': out.sites[line.i] = line; break;
      case 'point': out.points.push(line); break;
      // A later final snapshot replaces the earlier one (same file).
      case 'snapshot': out.snapshots = [...out.snapshots.filter((x) => x.role !== line.role), line]; break;
      case 'error': out.errors.push(line.message); break;
    }
  });
  return out;
}
