// The startup plan as text lines: what leaves startup (by package), the edits per file, and the
// lazy-loads that would only defer. `hotpath fixes --plan` prints it; VS Code writes it to the
// Hotpath output channel.
import { displayPath } from '../profile/classify';
import type { Spread, StartupPlan } from './plan';

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
export const pct = (v: number) => `${(v * 100).toFixed(v < 0.1 ? 1 : 0)} %`;

export function spreadText(s: Spread | null, unit = 'ms'): string {
  if (!s) return 'not measured';
  if (s.n === 1) return `${ms(s.median)} ${unit}`;
  return `${ms(s.median)} ${unit} (${ms(s.min)}-${ms(s.max)} over ${s.n} runs)`;
}

/** One line: how much leaves and the estimated saving, with its share of the measured startup. */
export function savingLine(plan: StartupPlan): string {
  const share = plan.share && plan.startup ? `, ${pct(plan.share.median)} of the measured startup of ${spreadText(plan.startup)}` : '';
  const what = plan.shared
    ? `their self load time ${ms(plan.savingSelf.median)} ms less ${ms(plan.shared.median)} ms in code of modules that stay`
    : 'their measured self load time; time in code of modules that stay not measured';
  return `${plan.leaving.length} module(s) leave startup; estimated saving ${spreadText(plan.saving)} (${what}${plan.saving.n === 1 ? ', one run' : ''}${share})`;
}

/** The estimate's error against a measured saving: ms, % of the measured saving, points of the startup. */
export function savingError(plan: StartupPlan, m: MeasuredSaving): { ms: number; pct: number | null; sharePoints: number | null } {
  const measuredMs = m.beforeMs - m.afterMs;
  const errMs = plan.saving.median - measuredMs;
  return {
    ms: errMs,
    pct: measuredMs !== 0 ? (errMs / Math.abs(measuredMs)) * 100 : null,
    sharePoints: plan.share ? plan.share.median * 100 + m.changePct : null,
  };
}

/** What a before/after comparison of the plan's command measured (medians over interleaved runs). */
export interface MeasuredSaving {
  beforeMs: number;
  afterMs: number;
  /** (after / before − 1) × 100 with its 95 % interval: negative is faster. */
  changePct: number;
  changePctCI?: { lo: number; hi: number };
  verdict: string;
  runs: number;
}

/**
 * One line after applying a plan and measuring it: the predicted saving (ms and share of the
 * profiled startup) against the measured one (ms and %, with the interval and the verdict).
 */
export function predictedAgainstMeasured(plan: StartupPlan, m: MeasuredSaving): string {
  const predicted = `${spreadText(plan.saving)}${plan.share ? `, ${pct(plan.share.median)} of the profiled startup` : ''}`;
  const err = savingError(plan, m);
  const sign = (v: number, d = 0) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(d)}`;
  const error = `estimate's error ${sign(err.ms)} ms${err.pct !== null ? ` (${sign(err.pct)} % of the measured saving)` : ''}${err.sharePoints !== null ? `, ${sign(err.sharePoints, 1)} points of the startup` : ''}`;
  const faster = (v: number) => `${(-v).toFixed(1)} %`;
  const ci = m.changePctCI ? ` [95 % CI ${faster(m.changePctCI.hi)} to ${faster(m.changePctCI.lo)}]` : '';
  const ciMs = m.changePctCI ? ` [${ms((-m.changePctCI.hi / 100) * m.beforeMs)} to ${ms((-m.changePctCI.lo / 100) * m.beforeMs)} ms]` : '';
  return `Startup plan: estimated saving ${predicted}; measured ${ms(m.beforeMs - m.afterMs)} ms${ciMs}, ${faster(m.changePct)} faster${ci}: ${m.verdict} (median ${ms(m.beforeMs)} -> ${ms(m.afterMs)} ms, ${m.runs} interleaved runs per side); ${error}.`;
}

export function formatPlan(plan: StartupPlan, base: string): string[] {
  const out: string[] = [];
  const rel = (f: string) => displayPath(base, f);
  const cmd = plan.runs.find((r) => r.command)?.command;
  out.push(`Startup plan from ${plan.runs.length} measured run(s)${cmd ? ` of \`${cmd}\`` : ''}:`);
  if (!plan.leaving.length) {
    out.push('  No module can leave the startup path: every loaded module is needed by code that ran, or loaded by a file Hotpath cannot edit.');
    for (const s of plan.blockers.slice(0, 5)) out.push(`    ${rel(s.file)}${s.selfMs ? ` (${spreadText(s.selfMs)})` : ''}: stays, ${s.reason}`);
  } else {
    out.push(`  ${savingLine(plan)}`);
    // One line per package (its files together) and per own file, largest first.
    const groups = new Map<string, { ms: number; files: number; measured: boolean }>();
    for (const m of plan.leaving) {
      const key = m.package ?? rel(m.file);
      const g = groups.get(key) ?? { ms: 0, files: 0, measured: false };
      g.ms += m.selfMs?.median ?? 0;
      g.files++;
      g.measured ||= !!m.selfMs;
      groups.set(key, g);
    }
    const sorted = [...groups].sort((a, b) => b[1].ms - a[1].ms);
    for (const [name, g] of sorted.slice(0, 15)) out.push(`    ${(g.measured ? `${ms(g.ms)} ms` : 'not measured').padStart(12)}  ${name}${g.files > 1 ? ` (${g.files} files)` : ''}`);
    if (sorted.length > 15) out.push(`    ${`${ms(sorted.slice(15).reduce((s, [, g]) => s + g.ms, 0))} ms`.padStart(12)}  ${sorted.length - 15} more`);
    const shared = plan.leaving.filter((m) => m.sharedMs && m.sharedMs.median >= 1).sort((a, b) => b.sharedMs!.median - a.sharedMs!.median);
    if (shared.length) {
      out.push('', '  Not counted in the estimate: load time spent in code of modules that stay (likely to move to them):');
      for (const m of shared.slice(0, 10)) out.push(`    ${rel(m.file)}: ${ms(m.sharedMs!.median)} ms of its load ran in code that stays (${m.sharedIn.map((x) => `${rel(x.file)} ${ms(x.ms)} ms`).join(', ')})`);
      if (shared.length > 10) out.push(`    ... ${shared.length - 10} more (--json lists all)`);
    }
  }
  if (plan.edits.length) {
    const files = [...new Set(plan.edits.map((e) => e.file))];
    out.push('', `  Edits: ${plan.edits.length} lazy-load(s) in ${files.length} file(s), one loader per module per file:`);
    for (const f of files) {
      out.push(`    ${rel(f)}`);
      for (const e of plan.edits.filter((x) => x.file === f)) out.push(`      :${e.line}  '${e.request}'`);
    }
  }
  if (plan.deferOnly.length) {
    out.push('', '  Defers only (not speed fixes: the module is still loaded at startup by another importer):');
    for (const d of plan.deferOnly.slice(0, 20)) out.push(`    ${rel(d.file)}:${d.line} '${d.request}': still loaded by ${rel(d.stillLoadedBy)} (${d.reason})`);
    if (plan.deferOnly.length > 20) out.push(`    ... ${plan.deferOnly.length - 20} more (--json lists all)`);
  }
  for (const n of plan.notes) out.push(`note: ${n}`);
  return out;
}
