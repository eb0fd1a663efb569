// `hotpath diff <before> <after>`: which functions and modules got faster or slower between two
// profiles (or two sets of runs), each change with its noise band and a verdict.
import * as fs from 'fs';
import * as path from 'path';
import { openProfileFile } from '../../core/profile';
import { diffProfiles, DiffError, type DiffChange, type DiffKind, type DiffRow, type DiffTotal, type ProfileDiff } from '../../core/profile/diff';
import { resolveProfileInput, ProfileInputError, type ResolvedInput } from '../../core/profile/diffInput';
import { ProfileError } from '../../core/profile/errors';
import type { ProfileModel } from '../../core/profile/types';
import { blockingLabel } from '../../core/profile/blocking';
import { launcherNotes } from '../../core/bench/profiled';
import { compareBench, defaultBenchStore, resolveBench } from '../../core/bench';
import { proofStory, type ProofStory } from '../../core/bench/story';
import { parseOrUsage } from '../usage';

export const HELP = `Usage: hotpath diff <before> <after> [--json] [--top N] [--kind cpu|heap] [--sort self|total] [--root DIR]
       hotpath diff --before A --before B --after C --after D [options]

Compares two profiles: per function (name, file and line after source maps) and per module
(file or npm package), self and total time (or heap bytes) before and after, the change with
its noise band, and a verdict: slower / faster (heap: more / less) or within noise.

<before> and <after> are each one of:
  - a run id from .hotpath/runs (a unique prefix is enough; also \`last\` and \`previous\`),
  - a run folder (.hotpath/runs/<id>, or the --out folder of \`hotpath profile\`),
  - a profile file (.cpuprofile, .heapprofile, speedscope, Chrome trace, 0x tick log).
Several runs per side: repeat --before / --after, or give a comma list (a,b,c).

Noise: with 2 or more runs on both sides, each function's (and module's) sample counts are
tested with the run-to-run variation estimated from the runs, and the false discovery rate is
held at 5 % across the rows (Benjamini-Hochberg), so two runs of an unchanged program name no
function; the row values are then per-run estimates from the counts, and ± is the test's
interval in ms. Totals: the 95 % Welch interval of the per-run totals. With one run per side,
± is 2 x the sampling error (value / sqrt(samples)) only, which leaves out run-to-run
variation: no row gets a verdict ('not tested'). A change is reported as slower / faster only
when it is larger than its ±. Values are per run; the share of each side's samples is shown
too, so a longer run does not read as "everything slower". Sampled time is time on the
thread's stack, not CPU time: functions in blocking calls (spawnSync, fs *Sync) are labelled
"waiting", and the measured CPU of the profiled threads is shown beside the sampled total.
A function or module sampled on one side only is marked "not sampled before" / "not sampled
after": it may be new or gone, or just too brief to be sampled there.

Options:
  --json        Print one JSON object (see below).
  --top N       Rows per table (default 15; --json: 50). 0: all rows.
  --kind K      cpu (default when both sides have CPU samples) or heap (allocated bytes).
  --root DIR    Workspace folder: paths are shown relative to it, run ids are looked up in
                DIR/.hotpath/runs (default: the current folder).
  --sort S      self (default) or total: the |change| rows are sorted by (the table titles
                say which; the verdict column is always the self time's).
  --include-launchers  keep the processes of npm, npx, yarn, pnpm and corepack (left out by
                default when a run has other processes: their code is not the program's).

--json prints {kind, unit, method, noiseLabel, factor, before: {inputs, runs}, after,
totals: {cpu, heap}, functions, modules, notes}: method is 'sampling' or 'welch'; unit 'ms' or
'bytes'; U below is Ms for cpu, Bytes for heap. A total is {before<U>, after<U>,
beforeError<U>, afterError<U>, beforeSamples, afterSamples, delta<U>, error<U>, margin<U>,
verdict} (heap only when both sides captured it). A row is {name, file, path, line, lineBefore,
status ('both'|'added'|'removed': sampled on one side only), category, before: {self<U>, total<U>, selfSamples,
totalSamples, selfShare, totalShare}, after, deltaSelf<U>, deltaTotal<U>, errorSelf<U>,
errorTotal<U>, marginSelf<U>, marginTotal<U>, verdict, totalVerdict, deltaSelfSharePts}
(module rows have line 0). verdict: 'slower'|'faster'|'more'|'less'|'within noise'|'unknown'
(no sample counts). error is 1 sigma; margin the ± the verdict uses; numbers that cannot be
computed are null; 'not tested': one run per side, no verdict). Added fields: a row's test
{ratio, ratioLo, ratioHi, p, q, tested} (2+ runs per side with sample counts; null otherwise)
and blocking {kind: 'wait'|'cpu', what} (null for ordinary code); top level onCpu {measuredCpu,
runQueue, waiting, source} (each a total as above in ms, or null when not measured), tests
{functions, modules: {name, fdr, tested, changed, dispersion}} (null with one run per side)
and story {coherent, sentence, reasons} (null unless the runs are a comparison's and its
benchmarks are in .hotpath/bench).

Exit code: 0; 2 for bad usage or bad input (a missing file or run, a corrupt profile, sides
that hold different kinds of profile).`;

interface Args { before: string[]; after: string[]; json: boolean; top?: number; kind?: DiffKind; root?: string; sort: 'self' | 'total'; includeLaunchers: boolean }

function parse(argv: string[]): Args {
  const a: Args = { before: [], after: [], json: false, sort: 'self', includeLaunchers: false };
  const positional: string[] = [];
  const list = (v: string) => v.split(',').map((x) => x.trim()).filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[++i];
    };
    switch (flag) {
      case '--json': a.json = true; break;
      case '--include-launchers': a.includeLaunchers = true; break;
      case '--before': a.before.push(...list(value())); break;
      case '--after': a.after.push(...list(value())); break;
      case '--top': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 0) throw new Error('--top needs a whole number (0: all rows)');
        a.top = n;
        break;
      }
      case '--kind': {
        const k = value();
        if (k !== 'cpu' && k !== 'heap') throw new Error(`--kind must be cpu or heap, not ${k}`);
        a.kind = k;
        break;
      }
      case '--sort': {
        const s = value();
        if (s !== 'self' && s !== 'total') throw new Error(`--sort must be self or total, not ${s}`);
        a.sort = s;
        break;
      }
      case '--root': a.root = value(); break;
      default:
        if (flag.startsWith('-') && flag !== '-') throw new Error(`unknown option ${flag}`);
        positional.push(flag);
    }
  }
  if (positional.length) {
    if (a.before.length || a.after.length) throw new Error('give the sides either as two arguments or with --before/--after, not both');
    if (positional.length !== 2) throw new Error(`give two profiles to compare (before and after), not ${positional.length}`);
    a.before = list(positional[0]);
    a.after = list(positional[1]);
  }
  if (!a.before.length || !a.after.length) throw new Error('give two profiles to compare: hotpath diff <before> <after>');
  return a;
}

const round = (v: number, digits: number) => (Number.isFinite(v) ? Math.round(v * 10 ** digits) / 10 ** digits : null);

/** The JSON contract: unit-suffixed field names (Ms or Bytes), rounded; NaN becomes null. */
export function diffJson(d: ProfileDiff, inputs: { before: string[]; after: string[] }, top: number): Record<string, unknown> {
  const val = (unit: 'ms' | 'bytes') => (v: number) => (unit === 'ms' ? round(v, 3) : round(v, 0));
  const total = (t: DiffTotal | undefined, unit: 'ms' | 'bytes') => {
    if (!t) return null;
    const U = unit === 'ms' ? 'Ms' : 'Bytes';
    const v = val(unit);
    return {
      [`before${U}`]: v(t.before), [`after${U}`]: v(t.after), [`beforeError${U}`]: v(t.beforeError), [`afterError${U}`]: v(t.afterError),
      beforeSamples: t.beforeSamples, afterSamples: t.afterSamples,
      [`delta${U}`]: v(t.change.delta), [`error${U}`]: v(t.change.error), [`margin${U}`]: v(t.change.margin), verdict: t.change.verdict,
    };
  };
  const U = d.unit === 'ms' ? 'Ms' : 'Bytes';
  const v = val(d.unit);
  const row = (r: DiffRow) => {
    const side = (s: DiffRow['before']) => ({ [`self${U}`]: v(s.self), [`total${U}`]: v(s.total), selfSamples: s.selfSamples, totalSamples: s.totalSamples, selfShare: round(s.selfShare, 5), totalShare: round(s.totalShare, 5) });
    const t = r.self.test;
    return {
      name: r.name, file: r.file, path: r.path ?? null, line: r.after.line ?? r.line, lineBefore: r.before.line ?? r.line, status: r.status, category: r.category,
      before: side(r.before), after: side(r.after),
      [`deltaSelf${U}`]: v(r.self.delta), [`deltaTotal${U}`]: v(r.total.delta), [`errorSelf${U}`]: v(r.self.error), [`errorTotal${U}`]: v(r.total.error),
      [`marginSelf${U}`]: v(r.self.margin), [`marginTotal${U}`]: v(r.total.margin), verdict: r.self.verdict, totalVerdict: r.total.verdict,
      deltaSelfSharePts: round(r.deltaSelfSharePts, 3),
      test: t ? { ratio: round(t.ratio, 4), ratioLo: round(t.lo, 4), ratioHi: round(t.hi, 4), p: round(t.p, 6), q: round(t.q, 6), tested: t.tested } : null,
      blocking: r.blocking ?? null,
    };
  };
  const cut = <T>(xs: T[]) => (top > 0 ? xs.slice(0, top) : xs);
  return {
    kind: d.kind, unit: d.unit, method: d.method, noiseLabel: d.noiseLabel, factor: d.factor,
    before: { inputs: inputs.before, runs: d.runs.before }, after: { inputs: inputs.after, runs: d.runs.after },
    totals: { cpu: total(d.totals.cpu, 'ms'), heap: total(d.totals.heap, 'bytes') },
    functions: cut(d.functions).map(row), modules: cut(d.modules).map(row), notes: d.notes,
    onCpu: d.onCpu ? { measuredCpu: total(d.onCpu.measuredCpu, 'ms'), runQueue: total(d.onCpu.runQueue, 'ms'), waiting: total(d.onCpu.waiting, 'ms'), source: d.onCpu.source ?? null } : null,
    tests: d.tests ?? null,
  };
}

/** The totals in words: sampled time on the stack, then (CPU diffs) measured CPU, run queue and waiting time. */
export function diffTotalsLines(d: ProfileDiff): string[] {
  const out: string[] = [];
  const spread = d.method === 'welch' ? '' : ' (1 sigma sampling error)';
  const line = (name: string, x: DiffTotal, u: 'ms' | 'bytes', withSpread = true) => {
    const unitText = u === 'ms' ? ' ms' : '';
    const sides = withSpread && Number.isFinite(x.beforeError) ? `${num(x.before, u)} ±${num(x.beforeError, u)} -> ${num(x.after, u)} ±${num(x.afterError, u)}${unitText}${spread}` : `${num(x.before, u)} -> ${num(x.after, u)}${unitText}`;
    const verdict = x.change.verdict === 'not tested' ? 'no verdict (one run per side)' : x.change.verdict;
    out.push(`${name}: ${sides} per run; change ${Number.isFinite(x.change.margin) ? pm(x.change, u) : num(x.change.delta, u, true)}${unitText}: ${verdict}`);
  };
  if (d.totals.cpu) line("Sampled time on the threads' stacks (idle excluded; not CPU time)", d.totals.cpu, 'ms');
  if (d.totals.heap) line('Sampled heap allocations (bytes)', d.totals.heap, 'bytes');
  const on = d.onCpu;
  if (on) {
    if (on.measuredCpu) line('Measured CPU of the profiled threads', on.measuredCpu, 'ms', false);
    else out.push('Measured CPU of the profiled threads: not measured');
    if (on.runQueue) line('Measured time waiting for a CPU (run queue: other load on the machine)', on.runQueue, 'ms', false);
    if (on.waiting.before > 0 || on.waiting.after > 0) line('Sampled time in blocking calls the threads wait in (spawnSync, fs *Sync: waiting, not CPU)', on.waiting, 'ms', false);
  }
  return out;
}

/**
 * The text mark of a row found on one side only. A profile lists what it sampled, so a function
 * with no sample on a side is absent there whether or not its code still exists: "not sampled
 * after" says that (--json keeps status 'added' / 'removed').
 */
export function onlyOneSide(r: DiffRow): string {
  return r.status === 'both' ? '' : `  [not sampled ${r.status === 'removed' ? 'after' : 'before'}]`;
}

function num(v: number, unit: 'ms' | 'bytes', signed = false): string {
  if (!Number.isFinite(v)) return '?';
  const sign = signed && v > 0 ? '+' : '';
  if (unit === 'bytes') {
    const abs = Math.abs(v);
    return abs >= 1048576 ? `${sign}${(v / 1048576).toFixed(2)} MB` : abs >= 1024 ? `${sign}${(v / 1024).toFixed(1)} KB` : `${sign}${v.toFixed(0)} B`;
  }
  return `${sign}${Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1)}`;
}

const pm = (c: DiffChange, unit: 'ms' | 'bytes') => `${num(c.delta, unit, true)} ±${num(c.margin, unit)}`;
const pct = (s: number) => `${(s * 100).toFixed(1)}%`;

function printTable(title: string, rows: DiffRow[], unit: 'ms' | 'bytes', withLine: boolean, out: (l: string) => void): void {
  if (!rows.length) return;
  // Times in ms (the header says so); bytes carry their own unit (B, KB, MB) on every value.
  const u = unit === 'ms' ? ' ms' : '';
  const [w1, w2] = unit === 'ms' ? [10, 16] : [11, 21];
  out(`\n${title}`);
  out(`  ${`before${u}`.padStart(w1)} ${`after${u}`.padStart(w1)} ${`Δ self${u}`.padStart(w2)} ${`Δ total${u}`.padStart(w2)} ${'share'.padStart(15)}  ${'verdict'.padEnd(12)} ${withLine ? 'function' : 'module'}`);
  for (const r of rows) {
    const where = withLine ? `  ${r.file}${r.line ? `:${r.line}` : ''}${r.before.line !== undefined ? ` (was line ${r.before.line})` : ''}` : r.file && r.file !== r.name ? `  (${r.file})` : '';
    out(`  ${num(r.before.self, unit).padStart(w1)} ${num(r.after.self, unit).padStart(w1)} ${pm(r.self, unit).padStart(w2)} ${pm(r.total, unit).padStart(w2)} ${`${pct(r.before.selfShare)} → ${pct(r.after.selfShare)}`.padStart(15)}  ${r.self.verdict.padEnd(12)} ${r.name}${where}${onlyOneSide(r)}${r.blocking ? `  [${blockingLabel(r.blocking)}]` : ''}`);
  }
}

function printText(d: ProfileDiff, labels: { before: string; after: string }, top: number, sortBy: 'self' | 'total', out: (l: string) => void, story?: ProofStory): void {
  const unit = d.unit;
  out(`Profile diff (${d.kind === 'cpu' ? 'CPU: sampled time on the stack, ms' : 'heap: sampled bytes allocated'} per run): before ${labels.before} (${d.runs.before} run${d.runs.before > 1 ? 's' : ''}), after ${labels.after} (${d.runs.after} run${d.runs.after > 1 ? 's' : ''})`);
  out(`Noise: ${d.noiseLabel}.`);
  for (const l of diffTotalsLines(d)) out(l);
  if (story?.sentence) out(story.sentence);
  const cut = <T>(xs: T[]) => (top > 0 ? xs.slice(0, top) : xs);
  const count = (v: string) => d.functions.filter((r) => r.self.verdict === v).length;
  const up = d.kind === 'cpu' ? 'slower' : 'more';
  const down = d.kind === 'cpu' ? 'faster' : 'less';
  const by = `|Δ ${sortBy}|`;
  const verdictOf = sortBy === 'total' ? '; verdict on self' : '';
  const tally = d.method === 'sampling' ? 'no verdicts: one run per side, sampling error only' : `${count(up)} ${up}, ${count(down)} ${down}, ${count('within noise')} within noise${count('unknown') ? `, ${count('unknown')} unknown` : ''}${d.tests ? `; false discovery rate ${d.tests.functions.fdr * 100} % over ${d.tests.functions.tested} tested` : ''}`;
  printTable(`Functions by ${by} (${d.functions.length}: ${tally}; share = self share of each side's samples${verdictOf}):`, cut(d.functions), unit, true, out);
  printTable(`Modules by ${by} (${d.modules.length}${verdictOf}):`, cut(d.modules), unit, false, out);
  for (const n of d.notes) out(`note: ${n}`);
}

/**
 * When every input is a profiled run of the same comparison (`compare --profile`) and its two
 * benchmarks are in the workspace's bench store: the story of that comparison, as compare printed it.
 */
function comparisonStory(before: ResolvedInput[], after: ResolvedInput[], d: ProfileDiff, root: string): ProofStory | undefined {
  const all = [...before, ...after];
  const c = all[0]?.kind === 'run' ? all[0].record?.comparison : undefined;
  if (!c || !all.every((r) => r.kind === 'run' && r.record?.comparison?.before === c.before && r.record.comparison.after === c.after)) return undefined;
  if (!before.every((r) => r.kind === 'run' && r.record?.comparison?.side === 'before') || !after.every((r) => r.kind === 'run' && r.record?.comparison?.side === 'after')) return undefined;
  const store = defaultBenchStore(root);
  const [b, a] = [resolveBench(store, c.before).record, resolveBench(store, c.after).record];
  if (!b || !a) return undefined;
  const timed = compareBench(b, a, 'wall');
  const loads = (rs: ResolvedInput[]) => rs.map((r) => (r.kind === 'run' ? r.record?.comparison?.loadAverage : undefined)).filter((x): x is number => x !== undefined);
  return proofStory({ verdict: timed.verdict, changePct: timed.changePct, n: { before: timed.before.n, after: timed.after.n }, metric: 'wall' }, d, { before: loads(before), after: loads(after) });
}

async function openSide(inputs: string[], root: string, includeLaunchers = false): Promise<{ models: ProfileModel[]; resolved: ResolvedInput[] }> {
  const models: ProfileModel[] = [];
  const resolved: ResolvedInput[] = [];
  for (const input of inputs) {
    const r = resolveProfileInput(input, root);
    resolved.push(r);
    models.push(r.kind === 'file' ? await openProfileFile(r.file, { root }) : await r.load({ root, launchers: includeLaunchers ? 'include' : 'exclude' }));
  }
  return { models, resolved };
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrUsage('diff', HELP, argv, parse);
  if ('exit' in parsed) return parsed.exit;
  const a = parsed.args;
  const root = path.resolve(a.root ?? process.cwd());
  if (a.root && !(fs.existsSync(root) && fs.statSync(root).isDirectory())) {
    console.error(`hotpath diff: --root ${a.root} is not a folder.`);
    return 2;
  }
  let diff: ProfileDiff;
  let before: ResolvedInput[];
  let after: ResolvedInput[];
  try {
    const b = await openSide(a.before, root, a.includeLaunchers);
    const f = await openSide(a.after, root, a.includeLaunchers);
    before = b.resolved;
    after = f.resolved;
    const sourceOf = (r: ResolvedInput) => (r.kind === 'file' ? r.file : r.dir);
    diff = diffProfiles(b.models, f.models, { kind: a.kind, sortBy: a.sort, sources: { before: before.map(sourceOf), after: after.map(sourceOf) } });
    diff.notes = launcherNotes(diff.notes);
  } catch (err) {
    if (err instanceof ProfileError || err instanceof DiffError || err instanceof ProfileInputError) {
      console.error(`hotpath diff: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const labels = { before: before.map((r) => r.label), after: after.map((r) => r.label) };
  const story = comparisonStory(before, after, diff, root);
  // `hotpath diff a b | head`: a reader that stops early is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(0); else throw err; });
  if (a.json) {
    console.log(JSON.stringify({ ...diffJson(diff, labels, a.top ?? 50), story: story ? { coherent: story.coherent, sentence: story.sentence ?? null, reasons: story.reasons } : null }));
  } else {
    printText(diff, { before: labels.before.join(', '), after: labels.after.join(', ') }, a.top ?? 15, a.sort, (l) => process.stdout.write(`${l}\n`), story);
  }
  return 0;
}
