// Reading the live metrics the preloads append (preloadLive.ts) while a run goes on or after it:
// the newest sample of each process and thread, one status line for all of them, and the series
// the live chart draws (LiveTail: what is new since the last read, every process on one time axis).
import * as fs from 'fs';
import * as path from 'path';
import { parseLiveLines, type LiveSample } from './preloadLive';
import { livePoint, type LivePoint, type LiveUpdate } from './liveSample';
import { SUFFIX, type MetaFile } from './preloadEnv';

export type { LiveSample, LivePoint, LiveUpdate };

export function readLiveFile(file: string): LiveSample[] {
  return parseLiveLines(fs.readFileSync(file, 'utf8'));
}

/** The newest point of one process or thread (LiveTail.latest). */
export interface LiveLatest { key: string; pid: number; threadId: number; point: LivePoint }

const mb = (b: number) => `${(b / 1048576).toFixed(b >= 104857600 ? 0 : 1)} MB`;

/**
 * "heap 45.2 MB · CPU 98 % · delay 3 ms" for the newest point of each process's main thread
 * (several processes: the one with the largest heap, and how many there are); undefined before
 * the first sample. From LiveTail.latest(): what the tail already read, never the files again.
 */
export function liveStatusText(latest: LiveLatest[]): string | undefined {
  const main = latest.filter((l) => l.threadId === 0);
  if (!main.length) return undefined;
  const top = [...main].sort((a, b) => b.point.heapUsed - a.point.heapUsed)[0];
  const cpu = top.point.cpu === null ? 'CPU not measured' : `CPU ${Math.round(top.point.cpu * 100)} %`;
  const delay = top.point.delayMeanMs === null ? 'delay not measured' : `delay ${top.point.delayMeanMs.toFixed(0)} ms`;
  const more = main.length > 1 ? ` (pid ${top.pid}, largest of ${main.length})` : '';
  return `heap ${mb(top.point.heapUsed)} · ${cpu} · ${delay}${more}`;
}

/** "node server.js --port 3000" from a process's argv (the program's base name), "node -e code", or "worker thread 2". */
export function processLabel(meta: Pick<MetaFile, 'argv' | 'execArgv'> | undefined, pid: number, threadId: number): string {
  if (threadId > 0) return `worker thread ${threadId}`;
  if (!meta?.argv?.length) return `pid ${pid}`;
  const [exe, script, ...rest] = meta.argv;
  // No script: `node -e ...` or `node -p ...`, whose code is in execArgv (the preload's --require is not).
  const own = script ? [] : (meta.execArgv ?? []).filter((a, i, all) => a !== '--require' && a !== '-r' && all[i - 1] !== '--require' && all[i - 1] !== '-r');
  const text = [path.basename(exe), ...own, script ? path.basename(script) : '', ...rest].filter(Boolean).join(' ');
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

interface TailFile { offset: number; sent: number }

/**
 * Reads a run folder's live series as the preloads append them: each read returns the points
 * added since the previous one, with every process known so far (from its meta file, written
 * when the process starts; `measured` once it wrote a sample). A line not yet ended by its newline
 * is left for the next read; on the final read (the run has ended) it is taken if it parses, and
 * skipped otherwise (a process killed while writing it). x is seconds since `runStartMs` (default:
 * the earliest process start in the folder), from each sample's wall-clock time, so the processes
 * of a run share one time axis.
 */
export class LiveTail {
  private readonly files = new Map<string, TailFile>();
  private readonly metas = new Map<string, MetaFile>();
  private readonly kept = new Map<string, LivePoint[]>();
  private processes: LiveUpdate['processes'] = [];
  private start: number | undefined;

  constructor(readonly dir: string, runStartMs?: number) {
    this.start = runStartMs;
  }

  read(final = false): LiveUpdate {
    let names: string[];
    try { names = fs.readdirSync(this.dir); } catch { names = []; }
    for (const n of names) {
      if (!n.endsWith(SUFFIX.meta) || (this.metas.has(keyOf(n)) && !final)) continue;
      try { this.metas.set(keyOf(n), JSON.parse(fs.readFileSync(path.join(this.dir, n), 'utf8'))); } catch { /* being written */ }
    }
    if (this.start === undefined && this.metas.size) this.start = Math.min(...[...this.metas.values()].map((m) => m.startedAt));
    const points: LiveUpdate['points'] = [];
    for (const n of names.filter((x) => LIVE_NAME.test(x)).sort()) {
      const key = keyOf(n);
      const tail = this.files.get(key) ?? { offset: 0, sent: 0 };
      this.files.set(key, tail);
      const added = this.readNew(path.join(this.dir, n), tail, final).map((s) => this.point(key, s));
      if (!added.length) continue;
      points.push({ key, points: added });
      const kept = this.kept.get(key) ?? [];
      kept.push(...added);
      this.kept.set(key, kept);
    }
    const keys = new Set([...this.metas.keys(), ...this.files.keys()]);
    const processes = [...keys].map((key) => {
      const [pid, threadId] = key.split('-').map(Number);
      return { key, pid, threadId, label: processLabel(this.metas.get(key), pid, threadId), measured: (this.files.get(key)?.sent ?? 0) > 0 };
    }).sort((a, b) => a.pid - b.pid || a.threadId - b.threadId);
    this.processes = processes;
    return { processes, points };
  }

  /** The newest point read so far of each process and thread that wrote one. */
  latest(): LiveLatest[] {
    return [...this.kept].filter(([, ps]) => ps.length).map(([key, ps]) => {
      const [pid, threadId] = key.split('-').map(Number);
      return { key, pid, threadId, point: ps[ps.length - 1] };
    }).sort((a, b) => a.pid - b.pid || a.threadId - b.threadId);
  }

  /** Everything read so far, as one update (a page that reloads is sent this). */
  all(): LiveUpdate {
    return { processes: this.processes, points: [...this.kept].map(([key, points]) => ({ key, points })) };
  }

  private readNew(file: string, tail: TailFile, final: boolean): LiveSample[] {
    const samples = parseLiveLines(readAppended(file, tail, final));
    tail.sent += samples.length;
    return samples;
  }

  private point(key: string, s: LiveSample): LivePoint {
    const meta = this.metas.get(key);
    const at = s.at ?? (meta ? meta.startedAt + s.t : undefined);
    const x = at !== undefined && this.start !== undefined ? (at - this.start) / 1000 : s.t / 1000;
    return livePoint(s, x);
  }
}

/**
 * What `file` gained since `tail.offset` (bytes), up to its last complete line (on the final read,
 * a last line without its newline too), and moves the offset past it; '' when nothing was added
 * or the file cannot be read (not there yet). Each byte is read once, plus an unfinished line again.
 */
export function readAppended(file: string, tail: { offset: number }, final = false): string {
  let buf: Buffer;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= tail.offset) return '';
      buf = Buffer.alloc(size - tail.offset);
      buf = buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, tail.offset));
    } finally { fs.closeSync(fd); }
  } catch { return ''; }
  // A newline byte never occurs inside a multi-byte UTF-8 character: cutting there is safe.
  const end = final ? buf.length : buf.lastIndexOf(0x0a) + 1;
  tail.offset += end;
  return buf.subarray(0, end).toString('utf8');
}

/**
 * The once-a-second read of a run in progress (Profile…, Find Memory Leaks…): every `everyMs`
 * the tail reads what is new, and `onRead` gets it with the status line from the points read.
 * Each byte of the live files is read once (test/unit/runner/live.test.ts counts them).
 * `stop()` ends the timer and makes the final read (a partial last line taken if it parses).
 */
export function pollLive(tail: LiveTail, everyMs: number, onRead: (update: LiveUpdate, status: string | undefined) => void): { stop(): LiveUpdate } {
  const timer = setInterval(() => onRead(tail.read(), liveStatusText(tail.latest())), everyMs);
  return {
    stop() {
      clearInterval(timer);
      return tail.read(true);
    },
  };
}

const LIVE_NAME = /^\d+-\d+\.live\.jsonl$/;
const keyOf = (name: string) => name.slice(0, name.indexOf('.'));

/** A stored run's whole series (the run has ended), each process thinned evenly to at most `maxPoints` (the last kept). */
export function readLiveRun(dir: string, maxPoints = 1200, runStartMs?: number): LiveUpdate {
  const all = new LiveTail(dir, runStartMs).read(true);
  return { processes: all.processes, points: all.points.map((p) => ({ key: p.key, points: thin(p.points, maxPoints) })) };
}

export function thin<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  const step = (xs.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => xs[Math.round(i * step)]);
}
