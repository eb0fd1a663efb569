// Stored benchmarks (core/bench records) -> what the prove panel draws (src/protocol/prove.ts).
// Pure: no `vscode`, so it is unit-tested on real records. Statistics are recomputed from the
// samples with the core's functions, so a page never shows a number the samples do not give.
import { benchStats, compareBench, metricValues, movedRows, proofStory, type BenchRecord, type Metric, type MetricStats, type MovedRow, type ProfiledComparison, type TimedSummary } from '../../core/bench';
import type { DiffTotal } from '../../core/profile/diff';
import { blockingLabel } from '../../core/profile/blocking';
import type { BenchView, ComparisonView, CompareView, HistoryView, MetricView, ProfileDiffView, ProfileRowView } from '../../protocol/prove';

function metricView(values: number[], stats: MetricStats | null): MetricView | null {
  if (!stats || values.length === 0) return null;
  return {
    values, n: stats.n, median: stats.median, lo: stats.medianCI.lo, hi: stats.medianCI.hi, level: stats.medianCI.level,
    q1: stats.q1, q3: stats.q3, iqr: stats.iqr, min: stats.min, max: stats.max, mad: stats.mad, outliers: stats.outliers,
  };
}

export function benchView(record: BenchRecord): BenchView {
  const stats = benchStats(record.samples);
  const measured = record.samples.filter((s) => !s.warmup);
  return {
    id: record.id,
    ...(record.label ? { label: record.label } : {}),
    command: record.command,
    createdAt: record.createdAt,
    ...(record.git ? { commit: record.git.commit, dirty: record.git.dirty, ...(record.git.branch ? { branch: record.git.branch } : {}) } : {}),
    ...(record.ref ? { ref: record.ref } : {}),
    runs: record.runs,
    warmup: record.warmup,
    n: stats.n,
    failed: stats.failed,
    failedRuns: measured.filter((s) => !s.ok).map((s) => ({ order: s.order, error: s.error ?? `exit code ${s.exitCode}` })),
    wall: metricView(metricValues(record, 'wall'), stats.wall),
    cpu: metricView(metricValues(record, 'cpu'), stats.cpu),
    cpuSource: record.cpuSource,
    nodeVersion: record.nodeVersion,
    platform: record.platform,
  };
}

/** Records grouped by command line, each series oldest first; series with the newest benchmark first. */
export function historyView(records: readonly BenchRecord[], warnings: string[] = []): HistoryView {
  const byCommand = new Map<string, BenchRecord[]>();
  for (const r of records) {
    const list = byCommand.get(r.command) ?? [];
    list.push(r);
    byCommand.set(r.command, list);
  }
  const series = [...byCommand.entries()].map(([command, list]) => ({
    command,
    points: [...list].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)).map(benchView),
  }));
  series.sort((a, b) => b.points[b.points.length - 1].createdAt.localeCompare(a.points[a.points.length - 1].createdAt));
  return { kind: 'history', series, warnings };
}

function comparisonView(before: BenchRecord, after: BenchRecord, metric: Metric): ComparisonView | null {
  if (metricValues(before, metric).length === 0 || metricValues(after, metric).length === 0) return null;
  const c = compareBench(before, after, metric);
  return {
    metric, ratio: c.ratio, ratioLo: c.ratioCI.lo, ratioHi: c.ratioCI.hi, level: c.ratioCI.level,
    changePct: c.changePct, changePctLo: c.changePctCI.lo, changePctHi: c.changePctCI.hi,
    p: c.test.p, method: c.test.method, alpha: c.alpha, verdict: c.verdict, reasons: c.reasons, sentence: c.sentence,
  };
}

/** "HEAD (abc1234)", "abc1234*", or "benchmark of <time>" when there is no git information. */
export function sideLabel(record: BenchRecord): string {
  const commit = record.git ? `${record.git.commit.slice(0, 7)}${record.git.dirty ? '*' : ''}` : '';
  if (record.ref) return commit ? `${record.ref} (${commit})` : record.ref;
  if (record.label) return commit ? `${record.label} (${commit})` : record.label;
  return commit || `benchmark of ${record.createdAt}`;
}

/** The load average when each used profiled run started, per side (the story's fallback when run-queue time was not measured). */
function loadsOf(pr: ProfiledComparison): { before: number[]; after: number[] } {
  const of = (side: 'before' | 'after') => pr.runs.filter((r) => r.side === side && r.ok && r.load !== undefined).map((r) => r.load!);
  return { before: of('before'), after: of('after') };
}

/**
 * A comparison's profiled runs and their diff -> "Where the time moved" (the panel's section):
 * the same rows and the same story sentence as `hotpath compare --profile` (core/bench/story.ts).
 */
export function profileDiffView(pr: ProfiledComparison, timed?: TimedSummary): ProfileDiffView {
  const dirs = (side: 'before' | 'after') => pr.ids[side].map((id) => pr.runs.find((r) => r.id === id)?.dir ?? id);
  const base = { runs: { before: dirs('before'), after: dirs('after') }, requested: pr.requested, notes: pr.notes, ...(pr.intervalUs ? { intervalUs: pr.intervalUs } : {}) };
  const d = pr.diff;
  if (!d) return { ...base, method: 'none', noiseLabel: '', total: null, changed: 0, rows: [], error: pr.error ?? (pr.cancelled ? 'profiling was cancelled' : 'no profile diff') };
  const m = movedRows(d, pr.changedFiles);
  const row = ({ row: r, which, changedFile }: MovedRow): ProfileRowView => {
    const c = r[which];
    return {
      name: r.name || '(anonymous)', file: r.file, line: r.line, before: r.before[which], after: r.after[which], delta: c.delta, margin: c.margin, verdict: c.verdict, status: r.status,
      ...(r.blocking ? { blocking: blockingLabel(r.blocking) } : {}), ...(changedFile ? { changedFile } : {}), ...(which === 'total' ? { which } : {}),
      ...(c.test?.tested ? { ratio: { value: c.test.ratio, lo: c.test.lo, hi: c.test.hi } } : {}),
    };
  };
  const t = d.totals.cpu;
  const change = (x: DiffTotal) => ({ before: x.before, after: x.after, delta: x.change.delta, margin: x.change.margin, verdict: x.change.verdict });
  const on = d.onCpu;
  const story = timed ? proofStory(timed, d, loadsOf(pr)) : undefined;
  return {
    ...base, method: d.method, noiseLabel: d.noiseLabel, changed: m.changed,
    total: t ? change(t) : null,
    ...(on ? { onCpu: { ...(on.measuredCpu ? { cpu: change(on.measuredCpu) } : {}), ...(on.runQueue ? { runQueue: { before: on.runQueue.before, after: on.runQueue.after } } : {}), waiting: { before: on.waiting.before, after: on.waiting.after } } } : {}),
    ...(story?.sentence ? { story: story.sentence } : {}),
    ...(pr.changedFiles ? { changedFiles: pr.changedFiles } : {}),
    ...(d.tests ? { tested: d.tests.functions.tested, fdr: d.tests.functions.fdr } : {}),
    rows: m.rows.map(row),
    notes: [...pr.notes, ...d.notes],
  };
}

export function compareView(before: BenchRecord, after: BenchRecord, labels: { before?: string; after?: string } = {}, profile?: ProfileDiffView): CompareView {
  const interleaved = before.pair?.other === after.id && after.pair?.other === before.id;
  const beforeLabel = labels.before ?? sideLabel(before);
  const afterLabel = labels.after ?? (interleaved && !after.ref ? 'working tree' : sideLabel(after));
  return {
    kind: 'compare',
    title: `${beforeLabel} vs ${afterLabel}: ${after.command}`,
    before: benchView(before),
    after: benchView(after),
    beforeLabel,
    afterLabel,
    interleaved,
    wall: comparisonView(before, after, 'wall'),
    cpu: comparisonView(before, after, 'cpu'),
    ...(profile ? { profile } : {}),
  };
}

