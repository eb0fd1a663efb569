// Reads `<pid>-<tid>.leaks.jsonl` (written by src/core/runner/preloadLeaks.ts). A line cut short
// by a kill is skipped with a note; everything before it is kept.
import * as fs from 'fs';
import * as path from 'path';
import { readAppended } from '../runner/live';
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

/** The newest measurement of one process or thread while a hunt runs, and how many it took. */
export interface LeaksLatest { key: string; count: number; last: LeakPoint }

/**
 * The measurements of a hunt in progress, read as the preloads append them (the status bar reads
 * it once a second): each read takes only what every `<pid>-<tid>.leaks.jsonl` gained since the
 * previous one, never the whole file again (its lines carry every site's bytes and grow long).
 */
export class LeaksTail {
  private readonly files = new Map<string, { offset: number; count: number; last?: LeakPoint }>();

  constructor(readonly dir: string) {}

  read(): LeaksLatest[] {
    let names: string[];
    try { names = fs.readdirSync(this.dir).filter((n) => n.endsWith('.leaks.jsonl')).sort(); } catch { return []; }
    const out: LeaksLatest[] = [];
    for (const n of names) {
      const f = this.files.get(n) ?? { offset: 0, count: 0 };
      this.files.set(n, f);
      for (const text of readAppended(path.join(this.dir, n), f).split('\n')) {
        if (!text.trim()) continue;
        try {
          const line = JSON.parse(text) as LeaksLine;
          if (line.kind === 'point') { f.count++; f.last = line; }
        } catch { /* cut short: the report notes it */ }
      }
      if (f.last) out.push({ key: n.slice(0, -'.leaks.jsonl'.length), count: f.count, last: f.last });
    }
    return out;
  }
}
