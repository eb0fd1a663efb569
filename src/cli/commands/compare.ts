// `hotpath compare <A> <B> [--metric wall|cpu] [--json] [--fail-if-slower]`: compares two stored
// benchmarks (A = before, B = after; ids, files, `last`, `previous`).
// `hotpath compare --ref <git-ref> [--runs N] ... -- <command...>`: runs the command at the ref (a
// temporary git worktree) and in the working tree, interleaved, stores both and compares them;
// `--build CMD` runs a build in the worktree first (`--build-both`: in the working tree too).
// JSON: {verdict, sentence, metric, ratio, ratioCI, changePct, changePctCI, p, before, after,
// comparison, cpuComparison?, notes}; before/after carry `build: {command, ms} | null` — a
// contract: add fields, never rename.
import * as path from 'path';
import {
  benchmarkRef, BuildError, CancelledError, compareBench, defaultBenchStore, metricValues, resolveBench, type BenchRecord, type Metric,
} from '../../core/bench';
import type { Comparison } from '../../core/stats';
import { abortOnSigint, codeLine, comparisonJson, comparisonLines, metricLine, ms, positiveInt, problemLines, seconds, splitCommand } from '../benchText';
import { parseOrUsage } from '../usage';

const HELP = `Usage: hotpath compare <A> <B> [options]
       hotpath compare --ref <git-ref> [options] -- <command ...>

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
  --build CMD        with --ref: shell command run once in the worktree before any run
                     (e.g. "npm run build"); its time is stored as build.ms
  --build-both       with --build: also run it once in the working tree
  --build-timeout S  with --build: end a build after S seconds (default: no limit)
  --metric M         wall (default) or cpu (Linux: user+system of the process tree)
  --alpha A          significance level (default 0.05)
  --store DIR        bench store (default .hotpath/bench)
  --no-save          with --ref: do not store the results
  --fail-if-slower   exit 1 when after is significantly slower (for CI)
  --json             machine-readable output

Exit code: 0, or 1 with --fail-if-slower on a significant slow-down; 2 for bad usage,
unreadable benchmarks or a failed build; 130 on Ctrl-C.`;

interface Args {
  a?: string; b?: string; ref?: string; runs: number; warmup: number; order: 'alternate' | 'random'; timeoutMs?: number;
  metric: Metric; alpha: number; store?: string; save: boolean; failIfSlower: boolean; json: boolean; command?: string; args?: string[];
  build?: string; buildBoth: boolean; buildTimeoutMs?: number;
}

function parse(argv: string[]): Args {
  const { opts, command, args } = splitCommand(argv);
  const a: Args = { runs: 10, warmup: 1, order: 'alternate', metric: 'wall', alpha: 0.05, save: true, failIfSlower: false, json: false, command, args, buildBoth: false };
  const positional: string[] = [];
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
      case '--json': a.json = true; break;
      default:
        if (o.startsWith('-')) throw new Error(`unknown option ${o}`);
        positional.push(o);
    }
  }
  if ((a.buildBoth || a.buildTimeoutMs) && !a.build) throw new Error(`${a.buildBoth ? '--build-both' : '--build-timeout'} needs --build <command>`);
  if (a.build && !a.ref) throw new Error('--build needs --ref <git-ref> (two stored benchmarks run nothing)');
  if (a.ref) {
    if (positional.length) throw new Error('give either --ref with a command after `--`, or two benchmarks A B, not both');
    if (!a.command) throw new Error('--ref needs a command after `--`');
    return a;
  }
  if (a.command) throw new Error('a command after `--` needs --ref <git-ref>');
  if (positional.length !== 2) throw new Error('give two benchmarks (ids, files, last, previous), or --ref <git-ref> -- <command>');
  [a.a, a.b] = positional;
  return a;
}

function side(r: BenchRecord & { file?: string }) {
  return {
    id: r.id, label: r.label ?? null, command: r.command, cwd: r.cwd, git: r.git ?? null, ref: r.ref ?? null, createdAt: r.createdAt,
    nodeVersion: r.nodeVersion, file: r.file ?? null, n: r.stats.n, failed: r.stats.failed, stats: r.stats, build: r.build ?? null,
  };
}

function report(p: Args, before: BenchRecord & { file?: string }, after: BenchRecord & { file?: string }, c: Comparison, cpu: Comparison | undefined, notes: string[]): void {
  if (p.json) {
    console.log(JSON.stringify({
      verdict: c.verdict, sentence: c.sentence, metric: p.metric, ratio: c.ratio, ratioCI: c.ratioCI, changePct: c.changePct, changePctCI: c.changePctCI,
      p: c.test.p, before: side(before), after: side(after), comparison: comparisonJson(c), ...(cpu ? { cpuComparison: comparisonJson(cpu) } : {}), notes,
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
  for (const n of notes) console.log(`note: ${n}`);
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
  if (p.ref) {
    const sig = abortOnSigint();
    try {
      const r = await benchmarkRef({ command: p.command!, args: p.args, cwd }, p.ref, {
        runs: p.runs, warmup: p.warmup, order: p.order, timeoutMs: p.timeoutMs, metric: p.metric, storeDir: store, save: p.save,
        signal: sig.signal, compare: { alpha: p.alpha },
        ...(p.build ? { build: { command: p.build, workingTree: p.buildBoth, timeoutMs: p.buildTimeoutMs } } : {}),
        onBuild: (b) => {
          if (p.json) return;
          const where = b.side === 'ref' ? `worktree of ${p.ref}` : b.side;
          process.stderr.write(b.phase === 'start' ? `  build (${where}): ${b.command}\n` : `  build (${where}) done in ${ms(b.ms!)} ms\n`);
        },
        onProgress: (pr) => { if (!p.json) process.stderr.write(`  ${pr.phase === 'warmup' ? 'warm-up' : 'run'} ${pr.done}/${pr.total} ${pr.group}: ${pr.sample.ok ? `${ms(pr.sample.wallMs)} ms` : `FAILED (${pr.sample.error})`}\n`); },
      });
      ({ before, after } = r);
      c = r.comparison;
      notes.push(`before ran in a temporary worktree of ${p.ref} (${r.before.git!.commit.slice(0, 10)}), removed afterwards`);
      if (p.build && !p.buildBoth) notes.push('the working tree was measured as it is, not built (--build-both builds it too)');
    } catch (e) {
      if (e instanceof CancelledError) { console.error('hotpath compare: cancelled; the processes were ended and the worktree removed.'); return 130; }
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
  }
  const cpu = p.metric === 'wall' && before.cpuSource === 'proc-stat' && after.cpuSource === 'proc-stat' && before.stats.cpu && after.stats.cpu
    ? compareBench(before, after, 'cpu', { alpha: p.alpha }) : undefined;
  report(p, before, after, c, cpu, notes);
  return p.failIfSlower && c.verdict === 'slower' ? 1 : 0;
}
