// Plain-text facts about a stored run shared by `hotpath runs` and the "Profile Runs" view:
// how it ended, its commit, its wall time. Only what run.json records; nothing is estimated.
import type { RunRecord } from './store';

export type RunOutcome = 'ok' | 'failed' | 'cancelled';

/**
 * 'cancelled': stopped or cancelled by the user (the record does not tell the two apart);
 * 'failed': timed out, a non-zero exit, ended by a signal that was not a planned stop (duration
 * limit, startup mode), or no Node.js process profiled; otherwise 'ok'.
 */
export function runOutcome(r: Pick<RunRecord, 'cancelled' | 'timedOut' | 'exitCode' | 'signal' | 'processes' | 'stopWhen' | 'durationMs'>): RunOutcome {
  if (r.cancelled) return 'cancelled';
  if (r.timedOut) return 'failed';
  if (r.exitCode !== null && r.exitCode !== 0) return 'failed';
  const planned = r.stopWhen === 'startup' || (r.durationMs ?? 0) > 0;
  if (r.signal && !planned) return 'failed';
  if (!r.processes.length) return 'failed';
  return 'ok';
}

/** How the run ended in words: "exit code 0", "ended by SIGTERM", "timed out", "stopped or cancelled". */
export function runEnding(r: Pick<RunRecord, 'cancelled' | 'timedOut' | 'exitCode' | 'signal' | 'stopWhen' | 'durationMs'>): string {
  if (r.cancelled) return 'stopped or cancelled';
  if (r.timedOut) return 'timed out';
  const planned = r.stopWhen === 'startup' ? ' (startup mode stop)' : (r.durationMs ?? 0) > 0 ? ' (duration limit)' : '';
  if (r.signal) return `ended by ${r.signal}${planned}`;
  return r.exitCode === null ? `no exit code${planned}` : `exit code ${r.exitCode}`;
}

/** "1a2b3c4" or "1a2b3c4 dirty"; undefined outside git. */
export function shortCommit(git: RunRecord['git'], length = 7): string | undefined {
  return git ? `${git.commit.slice(0, length)}${git.dirty ? ' dirty' : ''}` : undefined;
}

/** "812 ms" below 10 s, else "12.3 s" / "2 min 05 s". */
export function formatWall(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** What was captured: "CPU (5 ms), heap (512 KiB), imports". */
export function describeCapture(c: RunRecord['capture']): string {
  const parts: string[] = [];
  if (c.cpu) parts.push(c.intervalUs ? `CPU (every ${c.intervalUs >= 1000 ? `${c.intervalUs / 1000} ms` : `${c.intervalUs} µs`})` : 'CPU');
  if (c.heap) parts.push(c.heapIntervalBytes ? `heap (every ${Math.round(c.heapIntervalBytes / 1024)} KiB)` : 'heap');
  if (c.imports) parts.push('module load times');
  if (c.coverage) parts.push('which functions ran (for a startup plan)');
  return parts.length ? parts.join(', ') : 'nothing';
}

/** "compare before 1/2" for a profiled run of `hotpath compare --profile` (the run count only when several per side), else undefined. */
export function comparisonLabel(r: Pick<RunRecord, 'comparison'>): string | undefined {
  const c = r.comparison;
  return c ? `compare ${c.side}${c.runs > 1 ? ` ${c.index + 1}/${c.runs}` : ''}` : undefined;
}
