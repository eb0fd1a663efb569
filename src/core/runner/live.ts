// Reading the live metrics the preloads append (preloadLive.ts) while a run goes on or after it:
// the newest sample of each process and thread, and one status line for all of them.
import * as fs from 'fs';
import * as path from 'path';
import { LIVE_SUFFIX, parseLiveLines, type LiveSample } from './preloadLive';

export type { LiveSample };

export interface LiveSeries { pid: number; threadId: number; samples: LiveSample[] }

export function readLiveFile(file: string): LiveSample[] {
  return parseLiveLines(fs.readFileSync(file, 'utf8'));
}

/** Every live file in a run folder (processes and threads), empty when there is none yet. */
export function readLiveFolder(dir: string): LiveSeries[] {
  let names: string[];
  try { names = fs.readdirSync(dir).filter((n) => n.endsWith(LIVE_SUFFIX)); } catch { return []; }
  const out: LiveSeries[] = [];
  for (const n of names) {
    const m = /^(\d+)-(\d+)\.live\.jsonl$/.exec(n);
    if (!m) continue;
    try { out.push({ pid: Number(m[1]), threadId: Number(m[2]), samples: readLiveFile(path.join(dir, n)) }); } catch { /* being written */ }
  }
  return out.sort((a, b) => a.pid - b.pid || a.threadId - b.threadId);
}

const mb = (b: number) => `${(b / 1048576).toFixed(b >= 104857600 ? 0 : 1)} MB`;

/**
 * "heap 45.2 MB · CPU 98 % · delay 3 ms" for the newest sample of each process's main thread
 * (several processes: the one with the largest heap, and how many there are); undefined before
 * the first sample.
 */
export function liveStatusText(series: LiveSeries[]): string | undefined {
  const latest = series.filter((s) => s.threadId === 0 && s.samples.length).map((s) => ({ pid: s.pid, s: s.samples[s.samples.length - 1] }));
  if (!latest.length) return undefined;
  const top = latest.sort((a, b) => b.s.heapUsed - a.s.heapUsed)[0];
  const cpu = top.s.cpu === null ? 'CPU not measured' : `CPU ${Math.round(top.s.cpu * 100)} %`;
  const more = latest.length > 1 ? ` (pid ${top.pid}, largest of ${latest.length})` : '';
  return `heap ${mb(top.s.heapUsed)} · ${cpu} · delay ${top.s.delayMeanMs.toFixed(0)} ms${more}`;
}
