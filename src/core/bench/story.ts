// One story for a before/after comparison: the timed runs are the evidence for the verdict, and
// when the profiled runs' totals (sampled time on the threads' stacks) disagree with it, one
// sentence says so and why: waiting time, load on the machine, fewer runs. The CLI (`compare
// --profile`, `diff` of a comparison's runs), the prove panel and the diff panel all print this
// sentence, so they never say "faster" beside "slower" without it.
import type { DiffRow, DiffTotal, ProfileDiff } from '../profile/diff';

/** What the story needs of the timed comparison (a stats Comparison, or the prove panel's view of it). */
export interface TimedSummary {
  verdict: 'faster' | 'slower' | 'no significant difference' | 'inconclusive';
  /** (ratio - 1) x 100 of the medians: negative = faster. */
  changePct: number;
  /** Successful timed runs per side. */
  n: { before: number; after: number };
  metric: 'wall' | 'cpu';
}

export type StoryReason = 'one-run' | 'waiting' | 'load' | 'fewer-runs';

export interface ProofStory {
  /** True when the profiled totals point the way the verdict does (or neither shows a change). */
  coherent: boolean;
  /** The sentence (only when not coherent): what disagrees and why. */
  sentence?: string;
  reasons: StoryReason[];
}

const ms = (v: number) => `${Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1)} ms`;
const signedMs = (v: number) => `${v > 0 ? '+' : v < 0 ? '-' : ''}${ms(Math.abs(v))}`;
const pct = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));

function timedDirection(t: TimedSummary): number {
  return t.verdict === 'faster' ? -1 : t.verdict === 'slower' ? 1 : 0;
}

/** -1 / 0 / +1: the total's verdict (0 within noise or not tested). */
function totalDirection(t: DiffTotal): number {
  return t.change.verdict === 'slower' ? 1 : t.change.verdict === 'faster' ? -1 : 0;
}

function timedWords(t: TimedSummary): string {
  const what = t.metric === 'cpu' ? 'CPU time' : 'time';
  if (t.verdict === 'faster') return `after is ${pct(-t.changePct)} % faster in ${what} (n = ${t.n.before}+${t.n.after})`;
  if (t.verdict === 'slower') return `after is ${pct(t.changePct)} % slower in ${what} (n = ${t.n.before}+${t.n.after})`;
  if (t.verdict === 'inconclusive') return `they are inconclusive (n = ${t.n.before}+${t.n.after})`;
  return `they show no significant difference (${t.changePct >= 0 ? '+' : ''}${pct(t.changePct)} %, n = ${t.n.before}+${t.n.after})`;
}

/**
 * The story of a comparison and its profile diff. `loads`: the 1-minute load average when each
 * profiled run started, per side (optional: used when run-queue time was not measured).
 */
export function proofStory(timed: TimedSummary, diff: ProfileDiff, loads?: { before: number[]; after: number[] }): ProofStory {
  const total = diff.totals.cpu;
  if (!total || diff.kind !== 'cpu') return { coherent: true, reasons: [] };
  const want = timedDirection(timed);
  const runs = `${diff.runs.before === diff.runs.after ? diff.runs.before : `${diff.runs.before}+${diff.runs.after}`} profiled run${diff.runs.before === 1 && diff.runs.after === 1 ? '' : 's'}${diff.runs.before === diff.runs.after ? ' per side' : ''}`;
  const sampled = `sampled time on the stack ${ms(total.before)} -> ${ms(total.after)} per run`;
  const lead = `The timed runs are the evidence: ${timedWords(timed)}`;
  if (diff.method === 'sampling') {
    const sign = Math.sign(total.change.delta);
    if (want === 0 || sign === 0 || sign === want) return { coherent: true, reasons: [] };
    return {
      coherent: false, reasons: ['one-run'],
      sentence: `${lead}; the ${runs} (${sampled}) carry sampling error only and no verdict, so their totals cannot contradict it: they show where time went, not whether it changed (3 or more runs per side give verdicts).`,
    };
  }
  const got = totalDirection(total);
  if (got === want) return { coherent: true, reasons: [] };
  const reasons: StoryReason[] = [];
  const why: string[] = [];
  const delta = total.change.delta;
  const on = diff.onCpu;
  // Waiting in blocking calls counts on the stack of the waiting thread and of the process it waits for.
  const waiting = on?.waiting.change.delta ?? 0;
  if (Math.abs(waiting) > 0.25 * Math.abs(delta) && Math.sign(waiting) === Math.sign(delta) && delta !== 0) {
    reasons.push('waiting');
    why.push(`waiting in blocking calls (${signedMs(waiting)} per run, e.g. spawnSync waiting for a child process, whose own time is counted too)`);
  }
  const queue = on?.runQueue?.change.delta;
  if (queue !== undefined && delta !== 0 && Math.sign(queue) === Math.sign(delta) && Math.abs(queue) > 0.25 * Math.abs(delta)) {
    reasons.push('load');
    why.push(`load on the machine (the profiled threads waited ${signedMs(queue)} per run for a CPU, measured)`);
  } else if (queue === undefined && loads?.before.length && loads.after.length && delta !== 0) {
    const lb = loads.before.reduce((a, b) => a + b, 0) / loads.before.length;
    const la = loads.after.reduce((a, b) => a + b, 0) / loads.after.length;
    if (Math.sign(la - lb) === Math.sign(delta) && Math.abs(la - lb) > 0.2 * Math.max(lb, la, 1)) {
      reasons.push('load');
      why.push(`load on the machine (load average ${lb.toFixed(1)} before, ${la.toFixed(1)} after)`);
    }
  }
  if (!why.length || (want !== 0 && got === 0)) {
    reasons.push('fewer-runs');
    why.push(`fewer runs (${runs} against ${timed.n.before}+${timed.n.after} timed; a profiled run also costs time of its own, unevenly)`);
  }
  const cpu = on?.measuredCpu;
  const cpuText = cpu ? `; their measured CPU went ${ms(cpu.before)} -> ${ms(cpu.after)} per run (${cpu.change.verdict === 'not tested' ? 'no verdict' : cpu.change.verdict})` : '';
  const numbers = `${sampled}, ${signedMs(delta)} ±${ms(total.change.margin)}`;
  const seen = got === 0 ? `the ${runs} show no change beyond their noise (${numbers})` : `the sampled time of the ${runs} ${got > 0 ? 'rose' : 'fell'} (${numbers})`;
  return { coherent: false, reasons, sentence: `${lead}; ${seen} because of ${why.join(' and ')}${cpuText}.` };
}

/** A function the proof lists, and which of its times changed ('total' for a touched file's function whose callees moved). */
export interface MovedRow { row: DiffRow; which: 'self' | 'total'; changedFile: boolean }

const moved = (v: string) => v === 'slower' || v === 'faster';

/**
 * The functions "where the time moved" lists, in order: those of the files the change touched
 * that changed beyond the noise (self, else total), then the other functions that changed; with
 * none changed (or one run per side, no verdicts), the largest changes. The CLI and the prove
 * panel list these same rows.
 */
export function movedRows(diff: ProfileDiff, changedFiles: readonly string[] = [], max = 10): { rows: MovedRow[]; changed: number; touchedChanged: number } {
  const touched = new Set(changedFiles);
  const inTouched = diff.functions.filter((r) => touched.has(r.file) && (moved(r.self.verdict) || moved(r.total.verdict)))
    .map((row): MovedRow => ({ row, which: moved(row.self.verdict) ? 'self' : 'total', changedFile: true }));
  const elsewhere = diff.functions.filter((r) => moved(r.self.verdict) && !touched.has(r.file)).map((row): MovedRow => ({ row, which: 'self', changedFile: false }));
  const changed = diff.functions.filter((r) => moved(r.self.verdict)).length;
  if (inTouched.length || elsewhere.length) return { rows: [...inTouched, ...elsewhere].slice(0, max), changed, touchedChanged: inTouched.length };
  const largest = diff.functions.slice(0, diff.method === 'sampling' ? 5 : 3).map((row): MovedRow => ({ row, which: 'self', changedFile: touched.has(row.file) }));
  return { rows: largest, changed, touchedChanged: 0 };
}
