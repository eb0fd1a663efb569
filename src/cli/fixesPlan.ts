// `hotpath fixes --plan`: the startup plan of measured runs (src/core/plan), printed or as
// JSON, applied behind a checkpoint with --apply, and checked with --verify (the command is run
// once more and the modules it still loads are compared with the plan).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { benchmarkCheckpoint } from '../core/checkpoint/beforeTree';
import { computePlan, formatPlan, planCommand, planFiles, predictedAgainstMeasured, readRunFacts, savingError, startupLabelsOf, verifyPlan, PlanInputError, type RunFacts, type Spread, type StartupLabels, type StartupPlan } from '../core/plan';
import { listRuns } from '../core/history';
import { runTarget } from '../core/runner/run';
import { displayPath } from '../core/profile/classify';

export interface PlanArgs {
  target: string;
  runs: string[];
  profiles: string[];
  store?: string;
  json: boolean;
  apply: boolean;
  verify: boolean;
  minMs?: number;
  /** With apply: compare the checkpoint (before) with the edited tree (after), this many runs per side. */
  measure?: number;
  /** Writes the files behind a checkpoint (the one path `fixes --apply` uses). */
  write: (planned: { file: string; text: string; before?: string }[], base: string, label: string) => Promise<{ id: string; dir: string } | undefined>;
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

function spreadJson(s: Spread | null): { medianMs: number; minMs: number; maxMs: number; runs: number; perRunMs: number[] } | null {
  if (!s) return null;
  const r = (v: number) => Math.round(v * 100) / 100;
  return { medianMs: r(s.median), minMs: r(s.min), maxMs: r(s.max), runs: s.n, perRunMs: s.values.map(r) };
}

/** The run folders to plan from: --run ids (in the store), --profile folders, else the newest run profiled with --plan. */
function runDirs(a: PlanArgs, base: string): string[] {
  const store = path.resolve(a.store ?? path.join(base, '.hotpath', 'runs'));
  const dirs = [...a.profiles.map((p) => path.resolve(p))];
  for (const id of a.runs) {
    const dir = path.join(store, id);
    if (!fs.existsSync(dir)) {
      // A unique prefix is enough, as for `hotpath diff`.
      const matches = fs.existsSync(store) ? fs.readdirSync(store).filter((d) => d.startsWith(id)) : [];
      if (matches.length !== 1) throw new PlanInputError(`no run '${id}' in ${store}${matches.length > 1 ? ` (${matches.length} runs start with it)` : ''} (\`hotpath profile --plan\` stores runs there).`);
      dirs.push(path.join(store, matches[0]));
    } else dirs.push(dir);
  }
  if (dirs.length) return dirs;
  const newest = listRuns(store).runs.find((r) => r.capture?.coverage && r.capture.imports);
  if (!newest) throw new PlanInputError(`no run to plan from: profile the startup command with \`hotpath profile --plan -- <command>\` (in ${base}), or give --run ID / --profile DIR.`);
  return [path.join(store, newest.id)];
}

export async function runPlan(a: PlanArgs): Promise<number> {
  const target = path.resolve(a.target);
  const base = fs.statSync(target).isDirectory() ? target : path.dirname(target);
  const out = (line: string) => (a.json ? process.stderr : process.stdout).write(`${line}\n`);
  let runs: RunFacts[];
  let plan: StartupPlan;
  try {
    runs = runDirs(a, base).map(readRunFacts);
    plan = computePlan(runs, { root: base, minMs: a.minMs });
  } catch (err) {
    if (err instanceof PlanInputError) { console.error(`hotpath fixes --plan: ${err.message}`); return 2; }
    throw err;
  }
  let checkpoint: { id: string; dir: string } | undefined;
  const changedFiles: string[] = [];
  let applyError: string | undefined;
  if (a.apply && plan.edits.length) {
    try {
      const planned = planFiles(plan);
      checkpoint = await a.write(planned.map((p) => ({ file: p.file, text: p.after, before: p.before })), base, `hotpath fixes --plan --apply ${a.target}`);
      changedFiles.push(...planned.map((p) => path.relative(base, p.file) || path.basename(p.file)));
    } catch (err) {
      applyError = (err as Error).message.replace(/^refused: /, '');
    }
  }
  let verify: Record<string, unknown> | undefined;
  if (a.verify && !applyError) verify = await verifyRun(plan, runs, base);
  let measured: Record<string, unknown> | undefined;
  if (a.measure && checkpoint && !applyError) measured = await measureRun(plan, runs, checkpoint, a.measure, a.json);

  if (a.json) {
    const rel = (f: string) => displayPath(base, f);
    console.log(JSON.stringify({
      plan: {
        root: plan.root,
        runs: plan.runs.map((r) => ({ dir: r.dir, command: r.command, processes: r.processes })),
        saving: spreadJson(plan.saving),
        // `saving` is an estimate: the self load time of what leaves (savingSelf) less `shared`.
        estimated: true,
        savingSelf: spreadJson(plan.savingSelf),
        shared: spreadJson(plan.shared),
        startup: spreadJson(plan.startup),
        share: plan.share ? { median: round3(plan.share.median), min: round3(plan.share.min), max: round3(plan.share.max), runs: plan.share.n } : null,
        unmeasured: plan.unmeasured,
        leaving: plan.leaving.map((m) => ({
          file: rel(m.file), module: m.package ?? rel(m.file), package: m.package, selfMs: spreadJson(m.selfMs),
          sharedMs: spreadJson(m.sharedMs), sharedIn: m.sharedIn.map((x) => ({ file: rel(x.file), ms: Math.round(x.ms * 100) / 100 })),
        })),
        staying: plan.staying.map((m) => ({ file: rel(m.file), module: m.package ?? rel(m.file), package: m.package, selfMs: spreadJson(m.selfMs), by: rel(m.by), reason: m.reason })),
        edits: plan.edits.map((e) => ({ file: rel(e.file), line: e.line, request: e.request, module: rel(e.module) })),
        blockers: plan.blockers.map((m) => ({ file: rel(m.file), module: m.package ?? rel(m.file), package: m.package, selfMs: spreadJson(m.selfMs), by: rel(m.by), reason: m.reason })),
        deferOnly: plan.deferOnly.map((d) => ({ file: rel(d.file), line: d.line, request: d.request, module: rel(d.module), stillLoadedBy: rel(d.stillLoadedBy), reason: d.reason })),
        usedAtStartup: plan.usedAtStartup.map((u) => ({ file: rel(u.file), line: u.line, request: u.request, module: rel(u.module), reason: u.reason })),
        notes: plan.notes,
      },
      ...(a.apply ? { changedFiles, checkpoint: checkpoint ?? null, applyError: applyError ?? null } : {}),
      ...(verify ? { verify } : {}),
      ...(a.measure && a.apply ? { measured: measured ?? null } : {}),
    }, null, 2));
    return applyError ? 1 : 0;
  }
  for (const line of formatPlan(plan, base)) out(line);
  if (a.apply) {
    if (applyError) out(`\nNot applied: ${applyError}`);
    else if (!changedFiles.length) out('\nNothing to apply.');
    else {
      out(`\nChanged ${changedFiles.length} file(s):\n  ${changedFiles.join('\n  ')}`);
      if (checkpoint) out(`Checkpoint ${checkpoint.id} saved the files before the changes; undo with \`hotpath rollback ${checkpoint.id}\`.`);
      const cmd = planCommand(runs)!;
      if (cmd && !a.measure) out(`Measure it: hotpath fixes --plan ... --apply --measure 20 (before = the checkpoint), or hotpath compare --ref HEAD --runs 20 -- ${[cmd.command, ...(cmd.args ?? [])].join(' ')}`);
    }
  } else if (plan.edits.length) {
    out('');
    out(`Apply: hotpath fixes --plan ${a.runs.map((r) => `--run ${r}`).join(' ')}${a.profiles.map((p) => ` --profile ${p}`).join('')} --apply [--verify]`.replace(/\s+/g, ' '));
  }
  if (verify) {
    if (verify.error) out(`\nVerify: ${verify.error}`);
    else {
      const still = verify.stillLoaded as { file: string; by: string | null }[];
      out(`\nVerify (the command run once more, module loads recorded): ${(verify.left as string[]).length} of ${plan.leaving.length} planned module(s) left startup.`);
      for (const s of still.slice(0, 20)) out(`  still loaded: ${s.file}${s.by ? ` (first by ${s.by})` : ''}`);
    }
  }
  if (measured) out(`\n${measured.error ? `Measure: ${measured.error}` : measured.line}`);
  return applyError ? 1 : 0;
}

/**
 * After --apply: the plan's command in a copy of the checkpoint (before) and in the edited tree
 * (after), interleaved, `runs` per side (core/checkpoint/beforeTree), and the predicted saving
 * against the measured one. Stored like `hotpath compare` results.
 */
async function measureRun(plan: StartupPlan, runs: RunFacts[], checkpoint: { id: string; dir: string }, count: number, json: boolean): Promise<Record<string, unknown>> {
  const cmd = planCommand(runs);
  if (!cmd) return { error: 'the runs do not say which command they measured (a --profile folder without run.json): measure it with `hotpath compare`' };
  const command = [cmd.command, ...(cmd.args ?? [])].join(' ');
  if (cmd.stopWhen === 'startup') return { command, error: 'the command was profiled until its startup ended (it does not exit): measure a command that exits once started with `hotpath compare`' };
  try {
    const r = await benchmarkCheckpoint({ command: cmd.command, args: cmd.args, cwd: cmd.cwd }, path.dirname(checkpoint.dir), checkpoint.id, {
      runs: count, warmup: 1,
      onProgress: (p) => { if (!json) process.stderr.write(`  ${p.phase === 'warmup' ? 'warm-up' : 'run'} ${p.done}/${p.total} ${p.group}: ${p.sample.ok ? `${Math.round(p.sample.wallMs)} ms` : `FAILED (${p.sample.error})`}\n`); },
    });
    const c = r.comparison;
    const [bw, aw] = [r.before.stats.wall, r.after.stats.wall];
    if (!bw || !aw) return { command, error: `no run succeeded on the ${!bw ? 'before (checkpoint)' : 'after'} side: ${c.sentence}` };
    const m = {
      beforeMs: bw.median, afterMs: aw.median, changePct: c.changePct,
      changePctCI: { lo: c.changePctCI.lo, hi: c.changePctCI.hi }, verdict: c.verdict, runs: count,
    };
    const r2 = (v: number) => Math.round(v * 100) / 100;
    const err = savingError(plan, m);
    return {
      command, runs: count, beforeId: r.before.id, afterId: r.after.id,
      beforeMedianMs: r2(m.beforeMs), afterMedianMs: r2(m.afterMs), savingMs: r2(m.beforeMs - m.afterMs),
      changePct: r2(c.changePct), changePctCI: { lo: r2(c.changePctCI.lo), hi: r2(c.changePctCI.hi) }, verdict: c.verdict, sentence: c.sentence,
      predictedMs: r2(plan.saving.median), predictedShare: plan.share ? round3(plan.share.median) : null,
      // The estimate against this measurement: ms, % of the measured saving, points of the startup.
      errorMs: r2(err.ms), errorPct: err.pct === null ? null : r2(err.pct), shareErrorPoints: err.sharePoints === null ? null : r2(err.sharePoints),
      line: predictedAgainstMeasured(plan, m),
    };
  } catch (err) {
    return { command, error: `the comparison failed: ${(err as Error).message}` };
  }
}

/** Runs the plan's command once with module load times recorded and compares what it loaded with the plan. */
async function verifyRun(plan: StartupPlan, runs: RunFacts[], base: string): Promise<Record<string, unknown>> {
  const cmd = planCommand(runs);
  if (!cmd) return { error: 'the runs do not say which command they measured (a --profile folder without run.json): run the command and compare by hand, or plan from a stored run (--run ID)' };
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-verify-'));
  try {
    const result = await runTarget({
      command: cmd.command, args: cmd.args, cwd: cmd.cwd, outDir, capture: { cpu: false, heap: false, imports: true },
      stopWhen: cmd.stopWhen ?? 'exit', timeoutMs: 120_000,
    });
    const command = [cmd.command, ...(cmd.args ?? [])].join(' ');
    if (!result.processes.length) return { command, error: `the command started no Node.js process (${result.error ?? `exit ${result.exitCode}`})` };
    const failed = result.timedOut || (result.completed && result.exitCode !== 0);
    const v = verifyPlan(plan, readRunFacts(outDir));
    const rel = (f: string) => displayPath(base, f);
    return {
      command, exitCode: result.exitCode, ...(failed ? { error: `the command ${result.timedOut ? 'timed out' : `exited with ${result.exitCode}`}` } : {}),
      left: v.left.map(rel), stillLoaded: v.stillLoaded.map((s) => ({ file: rel(s.file), by: s.by ? rel(s.by) : null })),
    };
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

/**
 * For `hotpath fixes --run ID` without --plan: when the run was profiled with --plan, the plan
 * labels each lazy-load: it takes its module out of startup, or it "defers only" (the module is
 * still loaded at startup) and is then no speed fix. Undefined for a run without edges or
 * coverage (nothing is known either way).
 */
export function startupLabels(runDir: string, base: string): StartupLabels | undefined {
  try {
    return startupLabelsOf(computePlan([readRunFacts(runDir)], { root: base }), base);
  } catch {
    return undefined;
  }
}
