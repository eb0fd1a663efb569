// `hotpath compare <A> <B> [--metric wall|cpu] [--json] [--fail-if-slower]`: compares two stored
// benchmarks (A = before, B = after; ids, files, `last`, `previous`).
// `hotpath compare --ref <git-ref> [--runs N] ... -- <command...>`: runs the command at the ref (a
// temporary git worktree) and in the working tree, interleaved, stores both and compares them;
// `--build CMD` runs a build in the worktree first (`--build-both`: in the working tree too).
// `--profile [N]`: after the timed runs, N profiled runs per side (interleaved, stored in
// .hotpath/runs) and their profile diff: where the time moved.
// JSON: {verdict, sentence, metric, ratio, ratioCI, changePct, changePctCI, p, before, after,
// comparison, cpuComparison?, notes, profileDiff}; before/after carry `build: {command, ms} | null`;
// profileDiff is null without --profile — a contract: add fields, never rename.
import * as path from 'path';
import * as fs from 'fs';
import {
  benchmarkRef, BuildError, CancelledError, compareBench, DEFAULT_PROFILED_RUNS, defaultBenchStore, metricValues, profileSides, proofStory, resolveBench,
  type BenchRecord, type Metric, type MovedRow, type ProfiledComparison, type TimedSummary, movedRows,
} from '../../core/bench';
import { runStoreOf } from '../../core/profile/diffInput';
import { diffJson, diffTotalsLines, onlyOneSide } from './diff';
import { blockingLabel } from '../../core/profile/blocking';
import type { Comparison } from '../../core/stats';
import { codeLine, comparisonJson, comparisonLines, exitCodes, metricLine, ms, positiveInt, problemLines, seconds, splitCommand } from '../benchText';
import { parseOrUsage } from '../usage';
import { abortOnSignals } from '../signals';

const HELP = `Usage: hotpath compare <A> <B> [options]
       hotpath compare --ref <git-ref> [options] -- <command ...>
       hotpath compare --ref <git-ref> [options] "<shell command line>"

Compares "before" (A, or the git ref) with "after" (B, or the working tree): medians with 95 %
bootstrap intervals, the ratio of medians after/before with its interval, a two-sided
Wilcoxon rank-sum (Mann-Whitney) test, and a verdict: faster, slower, no significant
difference, or inconclusive (fewer than 5 successful runs a side, or failed runs).
A and B are bench ids, bench JSON files, \`last\` or \`previous\`. With --ref, the ref is checked
out into a temporary git worktree (node_modules symlinked from the workspace), both are run
interleaved (before, after, before, after...), both results are stored, and the worktree is removed.
A project that must be compiled first needs --build: the build command runs once in the
worktree (in the folder matching the current one) before any run; with --build-both it also
runs once in the working tree (after the worktree's build). Without --build-both the working
tree is measured as it is. A failed build ends the comparison (exit 2) and says where it failed.
The method is described in docs/STATISTICS.md.

Options:
  --ref REF          measure the command at REF against the working tree
  --runs N           with --ref: measured runs per side (default 10)
  --warmup K         with --ref: warm-up runs per side, not counted (default 1)
  --order O          with --ref: alternate (default) or random (seeded, per round)
  --timeout S        with --ref: end a run after S seconds (it counts as failed)
  --ok-exit CODES    with --ref: exit codes of a successful run, comma-separated (default 0),
                     e.g. 0,1 for a linter that exits 1 when it finds problems; also for the
                     profiled runs of --profile. Other codes count as failed runs.
  --build CMD        with --ref: shell command run once in the worktree before any run
                     (e.g. "npm run build"); its time is stored as build.ms
  --build-both       with --build: also run it once in the working tree
  --build-timeout S  with --build: end a build after S seconds (default: no limit)
  --metric M         wall (default) or cpu (Linux: user+system of the process tree)
  --alpha A          significance level (default 0.05)
  --store DIR        bench store (default .hotpath/bench)
  --no-save          with --ref: do not store the results
  --profile [N]      after the timed runs (never during them), record N profiled runs per side
                     (default 5; CPU only, sampled every 0.2 ms; same folder and environment as
                     that side's timed runs, interleaved) into .hotpath/runs, and show where the
                     time moved: the functions whose self time changed beyond the noise. With 2+
                     runs per side each function's sample counts are tested with the run-to-run
                     variation estimated from the runs, and the false discovery rate is held at
                     5 % across functions, so an unchanged program names none. --profile 1:
                     sampling error only, and no function gets a verdict. The functions of the
                     files the change touched come first; measured CPU (on CPU, waiting for a CPU)
                     is shown beside the sampled time, and when the profiled totals disagree
                     with the verdict one sentence says why (the timed runs are the evidence).
                     With two stored benchmarks, their commands are run again in their folders:
                     only with --rerun-stored-commands (they come from files, not from you).
                     A profiled run that fails adds a note; it changes neither verdict nor exit code.
                     The profiled runs are stored also with --no-save (that is for the benchmarks).
  --rerun-stored-commands
                     with two stored benchmarks and --profile: run the commands stored in them
                     (a bench store is data a repository can carry: check them first)
  --include-launchers  with --profile: keep the processes of npm, npx, yarn, pnpm and corepack
                     in the profile diff (left out by default: their code is not the program's)
  --fail-if-slower   exit 1 when after is significantly slower (for CI)
  --json             machine-readable output; with --profile, profileDiff holds the diff as
                     \`hotpath diff --json\` prints it plus {runIds: {before, after}, runStore, runs:
                     [{side, index, id, ok, reason, wallMs, load}], openCommand, error, story,
                     changedFiles, intervalUs} (null without --profile; when no diff could be
                     made, error says why and the diff fields are absent)

Exit code: 0, or 1 with --fail-if-slower on a significant slow-down; 2 for bad usage,
unreadable benchmarks, a failed build or stored commands not allowed to run; 128 + the signal on SIGINT (130), SIGTERM (143) or
SIGHUP (129): the processes are ended and the temporary worktree removed.`;

interface Args {
  a?: string; b?: string; ref?: string; runs: number; warmup: number; order: 'alternate' | 'random'; timeoutMs?: number;
  metric: Metric; alpha: number; store?: string; save: boolean; failIfSlower: boolean; json: boolean; command?: string; args?: string[]; okExit?: number[];
  build?: string; buildBoth: boolean; buildTimeoutMs?: number; profile?: number; rerunStored: boolean; includeLaunchers: boolean;
}

function parse(argv: string[]): Args {
  const { opts, command, args } = splitCommand(argv);
  const a: Args = { runs: 10, warmup: 1, order: 'alternate', metric: 'wall', alpha: 0.05, save: true, failIfSlower: false, json: false, command, args, buildBoth: false, rerunStored: false, includeLaunchers: false };
  const positional: string[] = [];
  let afterBareProfile: string | undefined;
  for (let i = 0; i < opts.length; i++) {
    const o = opts[i];
    const value = () => { if (i + 1 >= opts.length) throw new Error(`${o} needs a value`); return opts[++i]; };
    switch (o) {
      case '--ref': a.ref = value(); break;
      case '--runs': a.runs = positiveInt(o, value()); break;
      case '--warmup': a.warmup = positiveInt(o, value(), 0); break;
      case '--order': {
        const v = value();
        if (v !== 'alternate' && v !== 'random') throw new Error(`--order must be alternate or random, not ${v}`);
        a.order = v;
        break;
      }
      case '--timeout': a.timeoutMs = seconds(o, value()); break;
      case '--ok-exit': a.okExit = exitCodes(o, value()); break;
      case '--build': a.build = value(); if (!a.build.trim()) throw new Error('--build needs a command'); break;
      case '--build-both': a.buildBoth = true; break;
      case '--build-timeout': a.buildTimeoutMs = seconds(o, value()); break;
      case '--metric': {
        const v = value();
        if (v !== 'wall' && v !== 'cpu') throw new Error(`--metric must be wall or cpu, not ${v}`);
        a.metric = v;
        break;
      }
      case '--alpha': {
        const v = Number(value());
        if (!(v > 0 && v < 1)) throw new Error('--alpha needs a number between 0 and 1');
        a.alpha = v;
        break;
      }
      case '--store': a.store = value(); break;
      case '--no-save': a.save = false; break;
      case '--fail-if-slower': a.failIfSlower = true; break;
      case '--rerun-stored-commands': a.rerunStored = true; break;
      case '--json': a.json = true; break;
      case '--include-launchers': a.includeLaunchers = true; break;
      case '--profile': {
        // An optional count: taken when the next word looks like a number (A and B are ids, files, last, previous).
        const next = opts[i + 1];
        const bare = !(next !== undefined && /^[+-]?(\d|\.\d)/.test(next));
        const v = bare ? String(DEFAULT_PROFILED_RUNS) : opts[++i];
        if (bare && next !== undefined && !next.startsWith('-')) afterBareProfile = next;
        a.profile = profileCount(v);
        break;
      }
      default:
        if (o.startsWith('--profile=')) { a.profile = profileCount(o.slice('--profile='.length)); break; }
        if (o.startsWith('-')) throw new Error(`unknown option ${o}`);
        positional.push(o);
    }
  }
  if (a.includeLaunchers && !a.profile) throw new Error('--include-launchers needs --profile');
  if ((a.buildBoth || a.buildTimeoutMs) && !a.build) throw new Error(`${a.buildBoth ? '--build-both' : '--build-timeout'} needs --build <command>`);
  if (a.build && !a.ref) throw new Error('--build needs --ref <git-ref> (two stored benchmarks run nothing)');
  // `--profile abc` with a word that is neither a count nor one of two benchmarks.
  if (afterBareProfile !== undefined && positional.length !== (a.ref ? (a.command ? 0 : 1) : 2)) profileCount(afterBareProfile);
  if (a.ref) {
    // The command as for profile and bench: after `--` (an argv, or one shell line), or quoted.
    if (a.command && positional.length) throw new Error(`give the command either after \`--\` or as one quoted command line, not both (also got ${positional.join(' ')})`);
    if (!a.command && positional.length) { a.command = positional[0]; if (positional.length > 1) a.args = positional.slice(1); }
    if (!a.command) throw new Error('--ref needs a command: after `--`, or one quoted command line');
    return a;
  }
  if (a.okExit) throw new Error('--ok-exit needs --ref (two stored benchmarks keep the exit codes they were measured with)');
  if (a.command) throw new Error('a command after `--` needs --ref <git-ref>');
  if (positional.length !== 2) throw new Error('give two benchmarks (ids, files, last, previous), or --ref <git-ref> -- <command>');
  [a.a, a.b] = positional;
  return a;
}

function profileCount(v: string): number {
  const n = Number(v);
  if (!v.trim() || !Number.isInteger(n) || n < 1) throw new Error(`--profile takes a whole number of profiled runs per side, at least 1 (default ${DEFAULT_PROFILED_RUNS}), not ${v}`);
  return n;
}

/** `hotpath diff <before-runs> <after-runs>`: how to open the whole diff of the stored runs. */
function openCommand(pr: ProfiledComparison): string {
  return `hotpath diff ${pr.ids.before.join(',')} ${pr.ids.after.join(',')}`;
}

/** The comparison as the story needs it. */
function timedSummary(c: Comparison, metric: Metric): TimedSummary {
  return { verdict: c.verdict, changePct: c.changePct, n: { before: c.before.n, after: c.after.n }, metric };
}

/** The --json profileDiff field: null without --profile. */
function profileJson(pr: ProfiledComparison | undefined, cwd: string, timed: TimedSummary): Record<string, unknown> | null {
  if (!pr) return null;
  const ok = !!pr.diff;
  const story = pr.diff ? proofStory(timed, pr.diff, profiledLoads(pr)) : undefined;
  return {
    ...(pr.diff ? diffJson(pr.diff, { before: pr.ids.before, after: pr.ids.after }, 50) : {}),
    runIds: pr.ids, runStore: path.relative(cwd, pr.store) || '.',
    runs: pr.runs.map((r) => ({ side: r.side, index: r.index, id: r.id ?? null, ok: r.ok, reason: r.reason ?? null, wallMs: r.wallMs, load: r.load ?? null })),
    openCommand: ok ? openCommand(pr) : null, error: pr.error ?? (pr.cancelled ? 'cancelled' : null),
    story: story ? { coherent: story.coherent, sentence: story.sentence ?? null, reasons: story.reasons } : null,
    changedFiles: pr.changedFiles ?? null, intervalUs: pr.intervalUs ?? null,
  };
}

/** The load average when each used profiled run started, per side. */
export function profiledLoads(pr: ProfiledComparison): { before: number[]; after: number[] } {
  const of = (side: 'before' | 'after') => pr.runs.filter((r) => r.side === side && r.ok && r.load !== undefined).map((r) => r.load!);
  return { before: of('before'), after: of('after') };
}

const num = (v: number) => (!Number.isFinite(v) ? '?' : Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1));
const signed = (v: number) => `${v > 0 ? '+' : ''}${num(v)}`;

/** Text: where the time moved (after the verdict). */
function profileLines(pr: ProfiledComparison, timed: TimedSummary): string[] {
  const out: string[] = [];
  const every = pr.intervalUs ? `, sampled every ${pr.intervalUs / 1000} ms` : '';
  const runs = `${pr.requested} profiled run${pr.requested > 1 ? 's' : ''} per side${every}, after the timed runs`;
  if (!pr.diff) {
    out.push(`\nWhere the time moved (${runs}): ${pr.error ?? (pr.cancelled ? 'cancelled' : 'no profile diff')}.`);
    return out;
  }
  const d = pr.diff;
  out.push(`\nWhere the time moved (${runs}; self time per run):`);
  for (const line of diffTotalsLines(d)) out.push(`  ${line}`);
  const story = proofStory(timed, d, profiledLoads(pr));
  if (story.sentence) out.push(`  ${story.sentence}`);
  const row = ({ row: r, which }: MovedRow) => {
    const c = r[which];
    const ratio = c.test?.tested ? `  [x${c.test.ratio.toFixed(2)}, ${c.test.lo.toFixed(2)}-${c.test.hi.toFixed(2)}]` : '';
    const label = r.blocking ? `  [${blockingLabel(r.blocking)}]` : '';
    return `  ${`${signed(c.delta)} ±${num(c.margin)} ms`.padStart(20)}  ${c.verdict.padEnd(12)} ${r.name || '(anonymous)'}  ${r.file}${r.line ? `:${r.line}` : ''}${which === 'total' ? ' (total: with its callees)' : ''}${onlyOneSide(r)}${label}  (${num(r.before[which])} -> ${num(r.after[which])} ms)${ratio}`;
  };
  const touched = pr.changedFiles ?? [];
  const m = movedRows(d, touched);
  const tested = d.tests ? ` (false discovery rate ${d.tests.functions.fdr * 100} % over ${d.tests.functions.tested} functions tested)` : '';
  const inFiles = m.rows.filter((r) => r.changedFile && m.touchedChanged);
  const others = m.rows.filter((r) => !(r.changedFile && m.touchedChanged));
  if (touched.length) out.push(`  files the change touched: ${touched.join(', ')}${m.touchedChanged ? '' : ' (no function of theirs changed beyond the noise)'}`);
  if (inFiles.length) {
    out.push(`  ${inFiles.length} function${inFiles.length > 1 ? 's' : ''} of those files changed beyond the noise:`);
    for (const r of inFiles) out.push(row(r));
  }
  if (d.method === 'sampling') {
    out.push('  1 profiled run per side: sampling error only, so no function gets a verdict; the largest changes:');
    for (const r of others) out.push(row(r));
  } else if (others.length && m.changed) {
    const n = m.changed - inFiles.filter((r) => r.which === 'self').length;
    out.push(`  ${n} function${n > 1 ? 's' : ''} ${inFiles.length ? 'elsewhere ' : ''}changed beyond the noise${tested}${n > others.length ? ` (the ${others.length} largest)` : ''}:`);
    for (const r of others) out.push(row(r));
  } else if (!m.changed && !inFiles.length) {
    out.push(`  no function changed beyond the noise${tested}; the largest changes:`);
    for (const r of others) out.push(row(r));
  } else {
    out.push(`  no function elsewhere changed beyond the noise${tested}.`);
  }
  out.push(`  noise: ${d.noiseLabel}.`);
  for (const n of d.notes) out.push(`  note: ${n}`);
  out.push(`  full diff: ${openCommand(pr)}`);
  return out;
}

/** Why `compare A B --profile` runs nothing without --rerun-stored-commands, with the commands it would run. */
function storedCommandsRefusal(store: string, before: BenchRecord & { file?: string }, after: BenchRecord & { file?: string }): string {
  const where = (r: BenchRecord & { file?: string }) => {
    const file = r.file ?? path.join(store, `${r.id}.json`);
    return path.relative(process.cwd(), file).startsWith('..') ? file : path.relative(process.cwd(), file);
  };
  return [
    'hotpath compare: --profile with two stored benchmarks runs the commands stored in them, which come from files (a repository can carry .hotpath/bench), not from this command line:',
    `  before: ${before.command}`,
    `          in ${before.cwd}  (from ${where(before)})`,
    `  after:  ${after.command}`,
    `          in ${after.cwd}  (from ${where(after)})`,
    'Nothing was run. If you trust these commands, add --rerun-stored-commands; or profile your own command with `hotpath compare --ref <ref> --profile -- <command>`.',
  ].join('\n');
}

function side(r: BenchRecord & { file?: string }) {
  return {
    id: r.id, label: r.label ?? null, command: r.command, cwd: r.cwd, git: r.git ?? null, ref: r.ref ?? null, createdAt: r.createdAt,
    nodeVersion: r.nodeVersion, file: r.file ?? null, n: r.stats.n, failed: r.stats.failed, stats: r.stats, build: r.build ?? null,
  };
}

function report(p: Args, before: BenchRecord & { file?: string }, after: BenchRecord & { file?: string }, c: Comparison, cpu: Comparison | undefined, notes: string[], profile: ProfiledComparison | undefined, cwd: string): void {
  if (p.json) {
    console.log(JSON.stringify({
      verdict: c.verdict, sentence: c.sentence, metric: p.metric, ratio: c.ratio, ratioCI: c.ratioCI, changePct: c.changePct, changePctCI: c.changePctCI,
      p: c.test.p, before: side(before), after: side(after), comparison: comparisonJson(c), ...(cpu ? { cpuComparison: comparisonJson(cpu) } : {}), notes,
      profileDiff: profileJson(profile, cwd, timedSummary(c, p.metric)),
    }, null, 2));
    return;
  }
  for (const [name, r] of [['before', before], ['after ', after]] as const) {
    console.log(`${name}  ${r.command}  [${codeLine(r)}]`);
    if (r.build) console.log(`        built with \`${r.build.command}\` in ${ms(r.build.ms)} ms (before the runs)`);
    console.log(`        ${metricLine(p.metric, p.metric === 'wall' ? r.stats.wall : r.stats.cpu)}`);
    for (const line of problemLines(r)) console.log(`        ${line}`);
  }
  for (const line of comparisonLines(c, p.metric)) console.log(line);
  if (cpu) console.log(`cpu time (process tree): ${cpu.sentence}`);
  if (profile) for (const line of profileLines(profile, timedSummary(c, p.metric))) console.log(line);
  for (const n of notes) console.log(`note: ${n}`);
}

/** Profiled progress on stderr (text mode). */
function profileProgress(p: Args) {
  return (e: { side: string; index: number; runs: number; phase: 'start' | 'end'; run?: { ok: boolean; wallMs: number; reason?: string } }) => {
    if (p.json || e.phase !== 'end') return;
    process.stderr.write(`  profiled run ${e.index + 1}/${e.runs} ${e.side}: ${e.run!.ok ? `${ms(e.run!.wallMs)} ms` : `FAILED (${e.run!.reason})`}\n`);
  };
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrUsage('compare', HELP, argv, parse);
  if ('exit' in parsed) return parsed.exit;
  const p = parsed.args;
  const cwd = process.cwd();
  const store = p.store ? path.resolve(p.store) : defaultBenchStore(cwd);
  const notes: string[] = [];
  let before: BenchRecord & { file?: string };
  let after: BenchRecord & { file?: string };
  let c: Comparison;
  let profile: ProfiledComparison | undefined;
  /** The exit code of a stop signal received while profiling (the comparison is still printed). */
  let stoppedBy: number | undefined;
  const runStore = runStoreOf(cwd);
  if (p.ref) {
    const sig = abortOnSignals();
    try {
      const r = await benchmarkRef({ command: p.command!, args: p.args, cwd }, p.ref, {
        runs: p.runs, warmup: p.warmup, order: p.order, timeoutMs: p.timeoutMs, okExitCodes: p.okExit, metric: p.metric, storeDir: store, save: p.save,
        signal: sig.signal, compare: { alpha: p.alpha },
        ...(p.profile ? { profile: { runs: p.profile, store: runStore, root: cwd, includeLaunchers: p.includeLaunchers, onProfile: profileProgress(p) } } : {}),
        ...(p.build ? { build: { command: p.build, workingTree: p.buildBoth, timeoutMs: p.buildTimeoutMs } } : {}),
        onBuild: (b) => {
          if (p.json) return;
          const where = b.side === 'ref' ? `worktree of ${p.ref}` : b.side;
          process.stderr.write(b.phase === 'start' ? `  build (${where}): ${b.command}\n` : `  build (${where}) done in ${ms(b.ms!)} ms\n`);
        },
        onProgress: (pr) => { if (!p.json) process.stderr.write(`  ${pr.phase === 'warmup' ? 'warm-up' : 'run'} ${pr.done}/${pr.total} ${pr.group}: ${pr.sample.ok ? `${ms(pr.sample.wallMs)} ms` : `FAILED (${pr.sample.error})`}\n`); },
      });
      ({ before, after, profile } = r);
      c = r.comparison;
      notes.push(...(r.notes ?? []));
      notes.push(`before ran in a temporary worktree of ${p.ref} (${r.before.git!.commit.slice(0, 10)}), removed afterwards`);
      if (p.build && !p.buildBoth) notes.push('the working tree was measured as it is, not built (--build-both builds it too)');
    } catch (e) {
      if (e instanceof CancelledError) {
        console.error(`hotpath compare: ${sig.received() ? `${sig.received()} received` : 'cancelled'}; the processes were ended and the worktree removed.`);
        return sig.exitCode() ?? 130;
      }
      if (e instanceof BuildError) {
        console.error(`hotpath compare: ${e.message}\nNothing was measured or stored; the temporary worktree was removed.`);
        return 2;
      }
      const message = (e as Error).message;
      // git's own words name the command, not the cause the user can fix.
      if (/not a git repository/i.test(message)) console.error(`hotpath compare: --ref needs a git repository, and ${cwd} is not in one (run it in the repository, or compare two stored benchmarks: \`hotpath compare A B\`).`);
      else console.error(`hotpath compare: ${message}`);
      return 2;
    } finally {
      sig.dispose();
    }
  } else {
    const ra = resolveBench(store, p.a!);
    const rb = resolveBench(store, p.b!);
    for (const w of [...new Set([...ra.warnings, ...rb.warnings])]) notes.push(w);
    if (!ra.record || !rb.record) {
      console.error(`hotpath compare: ${[ra.error, rb.error].filter(Boolean).join('; ')}`);
      return 2;
    }
    before = ra.record;
    after = rb.record;
    if (before.id === after.id) {
      console.error(`hotpath compare: ${p.a} and ${p.b} are the same benchmark (${before.id}); compare two different ones (\`previous last\`: the two newest).`);
      return 2;
    }
    if (!(before.pair?.other === after.id && after.pair?.other === before.id)) {
      notes.push('the two benchmarks were not interleaved (measured at different times): a change in machine load between them shows up as a difference; `compare --ref` interleaves');
    }
    if (before.command !== after.command) notes.push(`the commands differ: "${before.command}" vs "${after.command}"`);
    if (p.metric === 'cpu' && (!metricValues(before, 'cpu').length || !metricValues(after, 'cpu').length)) notes.push('CPU time was not measured for one side (not Linux, or no successful runs)');
    c = compareBench(before, after, p.metric, { alpha: p.alpha });
    if (p.profile) {
      const gone = [before, after].filter((r) => !fs.existsSync(r.cwd));
      if (gone.length) {
        notes.push(`--profile: the stored benchmark${gone.length > 1 ? 's' : ''} ${gone.map((r) => `${r.id} ran in ${r.cwd}${r.ref ? ` (a temporary tree of ${r.ref}, removed)` : ''}`).join(' and ')}, which no longer exist${gone.length > 1 ? '' : 's'}, so ${gone.length > 1 ? 'they' : 'it'} cannot be re-run and profiled; \`compare --ref <ref> --profile -- <command>\` profiles both sides while the worktree exists`);
        profile = { requested: p.profile, runs: [], ids: { before: [], after: [] }, store: runStore, notes: [], cancelled: false, error: 'a stored benchmark\'s folder no longer exists (see notes)' };
      } else if (!p.rerunStored) {
        // A bench record is a file (a repository can carry .hotpath/bench): its command is data,
        // run only when the user says so after seeing it.
        console.error(storedCommandsRefusal(store, before, after));
        return 2;
      } else {
        const sig = abortOnSignals();
        try {
          profile = await profileSides({ command: before.command, cwd: before.cwd }, { command: after.command, cwd: after.cwd }, {
            runs: p.profile, store: runStore, root: cwd, includeLaunchers: p.includeLaunchers, comparison: { before: before.id, after: after.id }, signal: sig.signal, timeoutMs: before.timeoutMs, okExitCodes: before.okExit,
            onProfile: profileProgress(p),
          });
        } finally {
          stoppedBy = sig.exitCode();
          sig.dispose();
        }
      }
    }
  }
  if (profile) notes.push(...profile.notes);
  const cpu = p.metric === 'wall' && before.cpuSource === 'proc-stat' && after.cpuSource === 'proc-stat' && before.stats.cpu && after.stats.cpu
    ? compareBench(before, after, 'cpu', { alpha: p.alpha }) : undefined;
  report(p, before, after, c, cpu, notes, profile, cwd);
  // A stop signal while profiling: the comparison is printed (it was complete), then 128 + the signal like a shell.
  if (profile?.cancelled) return stoppedBy ?? 130;
  return p.failIfSlower && c.verdict === 'slower' ? 1 : 0;
}
