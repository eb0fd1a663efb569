// `hotpath fixes [DIR] [--kind K] [--json] [--apply] [--heavy a,b] [--profile FILE] [--all] [--explain]`:
// lists the refactor engine's fixes for a folder (or one file) and optionally applies the
// safe, preferred ones. JSON fields `fixes[].{file,line,kind,title,safe,reason}` are a contract.
import * as fs from 'fs';
import * as path from 'path';
import {
  analyzeFile, applyFixes, builtinReplacement, checkReplacement, countCalls, createProjectLookup, encodeSource, isApplicable, isSourceFile, listSourceFiles, loadCallCounts,
  readHeavyFromProfile, readSource, saveCallCounts, syntaxErrors, MEMO_MIN_HIT_RATE, MEMO_MIN_HITS,
  type CallCounts, type FixKind, type HeavyModule, type ModuleKind,
} from '../../core/refactor';
import { checkpointStoreFor, findCheckpointStore } from '../../core/checkpoint';
import { applyBatch, type BatchFile, type BatchResult } from '../../core/checkpoint/batch';
import { asksHelp } from '../usage';
import { runPlan, startupLabels } from '../fixesPlan';

const ROUTINE_SKIPS = /^(dependencies|build output|version control|tool cache|coverage output|Hotpath run store)$/;
const KINDS: FixKind[] = ['lazy-import', 'type-import', 'unused-import', 'hoist-constant', 'pool-object', 'memoize', 'compile-cache', 'replace-dependency'];
const MODULE_KINDS: ModuleKind[] = ['ts-cjs', 'cjs', 'esm', 'ts-esm', 'bundled'];

const HELP = `Usage: hotpath fixes [DIR|FILE] [options]

Lists code fixes for slow startups: lazy-loading heavy imports, 'import type' for imports used
only as types, and removal of unused imports; and for hot code: hoisting constants (regexes,
literal arrays/objects, require() in loops), pooling loop temporaries, memoizing pure functions.
Each fix says whether it is safe, and why not.

Options:
  --kind K          lazy-import | type-import | unused-import | hoist-constant | pool-object |
                    memoize | compile-cache | replace-dependency (repeat or comma-separate; --kinds
                    is the same). memoize and compile-cache are never
                    applied by --apply unless named here; memoize and then only where counted calls
                    show it pays (see --calls)
  --calls -- CMD... run CMD once with a counter in every memoize candidate (a measured run):
                    calls, distinct arguments and the hit rate the fix's cache would have had.
                    Stored in .hotpath/calls (repository top, else DIR); without --calls the
                    newest stored counts are used. memoize is a speed fix only from
                    ${MEMO_MIN_HITS} hits and a ${MEMO_MIN_HIT_RATE * 100} % hit rate
  --timeout S       end the --calls run after S seconds (default 600)
  --heavy a,b       treat these packages as heavy (in addition to measured/known ones)
  --profile FILE    measured load times: a Hotpath *.imports.json, a .cpuprofile, or a run folder
  --run ID          measured load times of a stored run (--store DIR, default DIR/.hotpath/runs)
  --min-ms N        a measured module is heavy from N ms (default 10)
  --all             offer lazy-loading for every import, not only heavy ones
  --explain         also list why each function cannot be memoized (by default only safe
                    candidates and functions a profile measured as hot are listed)
  --no-known-heavy  do not use the built-in (estimated) list of heavy packages
  --module-kind K   override detection: ts-cjs | cjs | esm | ts-esm | bundled
  --apply           apply the safe, preferred fixes and report the changed files; the files are
                    saved in a checkpoint first (\`hotpath rollback\` restores them)
  --checkpoints DIR checkpoint store (default: .hotpath/checkpoints in the top folder of the
                    git repository holding DIR, else in DIR; \`hotpath rollback\` run anywhere
                    under that folder finds it)
  --json            machine-readable output

Startup plan (the lazy-loads that take whole modules out of a program's startup):
  --plan            from measured runs of the startup command (\`hotpath profile --plan -- <cmd>\`;
                    --run ID and --profile DIR may be repeated, one spread over the runs; default:
                    the newest stored run profiled with --plan): which modules leave startup, the
                    edits in every eager importer, the estimated saving (their measured self load
                    time less the time it ran code of modules that stay, from the runs' CPU
                    profiles), and the lazy-loads that would only defer (the module stays loaded)
  --apply           (with --plan) apply the plan's edits behind a checkpoint
  --verify          (with --plan) run the command once more and report which planned modules left
  --measure N       (with --plan --apply) run the command N times per side, before (a copy of the
                    checkpoint) and after, interleaved, and print the estimated saving against
                    the measured one (median, 95 % interval, verdict) and the estimate's error
  --min-gain-ms N   (with --plan) keep a module whose leaving saves less than N ms (default:
                    1 ms or 1 % of the measured startup, whichever is more)

Files that are not UTF-8, and links to files outside the folder holding the checkpoint store,
are skipped with the reason. --apply writes each file atomically (a kill leaves it old or new),
one batch per store at a time; if a file cannot be written, nothing is (or, when a write fails
part-way, the batch is rolled back at once).

Exit code: 0 (files that do not parse are listed as skipped); 1 when --apply changed nothing
because files cannot be written, changed meanwhile, another batch holds the store, or a write
failed (rolled back); 2 for bad usage, a missing DIR|FILE, or a --profile/--run that cannot be read.`;

interface Args {
  target: string; kinds: FixKind[]; json: boolean; apply: boolean; all: boolean; knownHeavy: boolean; explain?: boolean;
  calls?: boolean; command?: string[]; timeoutS: number;
  heavy: string[]; profile?: string; run?: string; store?: string; minMs: number; moduleKind?: ModuleKind; checkpoints?: string;
  plan: boolean; verify: boolean; runs: string[]; profiles: string[]; minGainMs?: number; measure?: number;
}

function parse(argv: string[]): Args | string {
  const a: Args = { target: '.', kinds: [], json: false, apply: false, all: false, knownHeavy: true, heavy: [], minMs: 10, timeoutS: 600, plan: false, verify: false, runs: [], profiles: [] };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') { a.command = argv.slice(i + 1); break; }
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--json') a.json = true;
    else if (arg === '--apply') a.apply = true;
    else if (arg === '--all') a.all = true;
    else if (arg === '--explain') a.explain = true;
    else if (arg === '--calls') a.calls = true;
    else if (arg === '--timeout') a.timeoutS = Number(value());
    else if (arg === '--no-known-heavy') a.knownHeavy = false;
    else if (arg === '--kind' || arg === '--kinds') a.kinds.push(...(value().split(',') as FixKind[]));
    else if (arg === '--heavy') a.heavy.push(...value().split(',').filter(Boolean));
    else if (arg === '--profile') { a.profile = value(); a.profiles.push(a.profile); }
    else if (arg === '--run') { a.run = value(); a.runs.push(...a.run.split(',').filter(Boolean)); }
    else if (arg === '--plan') a.plan = true;
    else if (arg === '--verify') a.verify = true;
    else if (arg === '--measure') a.measure = Number(value());
    else if (arg === '--min-gain-ms') a.minGainMs = Number(value());
    else if (arg === '--store') a.store = value();
    else if (arg === '--checkpoints') a.checkpoints = value();
    else if (arg === '--min-ms') a.minMs = Number(value());
    else if (arg === '--module-kind') a.moduleKind = value() as ModuleKind;
    else if (arg.startsWith('-')) return `unknown option '${arg}'`;
    else positional.push(arg);
  }
  if (positional.length > 1) return `one folder or file only, got ${positional.join(' ')}`;
  if (positional[0]) a.target = positional[0];
  const badKind = a.kinds.find((k) => !KINDS.includes(k));
  if (badKind) return `unknown --kind '${badKind}' (expected ${KINDS.join(', ')})`;
  if (a.moduleKind && !MODULE_KINDS.includes(a.moduleKind)) return `unknown --module-kind '${a.moduleKind}' (expected ${MODULE_KINDS.join(', ')})`;
  if (!(a.minMs >= 0)) return '--min-ms needs a number of milliseconds, 0 or more';
  if (a.plan) {
    if (a.kinds.length || a.all || a.explain || a.heavy.length) return '--plan makes lazy-loads only, from measured runs: --kind, --all, --explain and --heavy do not apply';
    if (a.calls || a.command) return '--calls (and a command after --) does not go with --plan: the plan reads runs profiled with `hotpath profile --plan`';
    if (a.minGainMs !== undefined && !(a.minGainMs >= 0)) return '--min-gain-ms needs a number of milliseconds, 0 or more';
    if (a.measure !== undefined && !(Number.isInteger(a.measure) && a.measure >= 2)) return '--measure needs a whole number of runs per side, 2 or more (20 for a reliable verdict)';
    if (a.measure !== undefined && !a.apply) return '--measure goes with --plan --apply (it measures the applied plan against its checkpoint)';
    return a;
  }
  if (a.measure !== undefined) return '--measure goes with --plan --apply';
  if (a.verify) return '--verify goes with --plan';
  if (a.minGainMs !== undefined) return '--min-gain-ms goes with --plan';
  if (a.run && a.profile) return 'give --run or --profile, not both';
  if (a.runs.length > 1 || a.profiles.length > 1) return 'one --run or --profile (several go with --plan)';
  if (a.calls && !a.command?.length) return '--calls needs the command to count calls in after --, e.g. --calls -- node src/main.js';
  if (!a.calls && a.command) return `a command after -- is only used with --calls (got: ${a.command.join(' ')})`;
  if (!(a.timeoutS >= 0)) return '--timeout needs a number of seconds, 0 or more';
  return a;
}

/** Packages the files name in a string literal that the replacement data maps to a built-in, with the folder to resolve them from. */
function packagesWithBuiltin(files: string[]): Map<string, { builtin: string; dir: string }> {
  const out = new Map<string, { builtin: string; dir: string }>();
  for (const file of files) {
    let text: string;
    try { text = fs.readFileSync(file, 'utf8'); } catch { continue; }
    for (const m of text.matchAll(/(?:require\(\s*|from\s+)['"]((?:@[\w.-]+\/)?[\w.-]+)['"]/g)) {
      const pkg = m[1];
      if (out.has(pkg)) continue;
      const b = builtinReplacement(pkg);
      if (b) out.set(pkg, { builtin: b.builtin, dir: path.dirname(file) });
    }
  }
  return out;
}

export async function run(argv: string[]): Promise<number> {
  if (asksHelp(argv)) { console.log(HELP); return 0; }
  let args: Args | string;
  try { args = parse(argv); } catch (e) { args = (e as Error).message; }
  if (typeof args === 'string') { console.error(`hotpath fixes: ${args}\n\n${HELP}`); return 2; }
  const target = path.resolve(args.target);
  if (!fs.existsSync(target)) { console.error(`hotpath fixes: '${args.target}' does not exist.`); return 2; }
  const checkpoints = args.checkpoints;
  if (args.plan) {
    return runPlan({
      target: args.target, runs: args.runs, profiles: args.profiles, store: args.store, json: args.json, apply: args.apply, verify: args.verify,
      minMs: args.minGainMs, measure: args.measure,
      write: async (planned, base, label) => {
        const r = await writeBatch(planned.map((p) => ({ file: p.file, text: p.text, beforeText: p.before })), base, checkpoints, label);
        if (!r.ok) throw new Error(r.error ?? 'the batch was not applied');
        return r.checkpoint;
      },
    });
  }

  const heavy = new Map<string, HeavyModule>();
  if (args.run) {
    const base = fs.statSync(target).isDirectory() ? target : path.dirname(target);
    const store = path.resolve(args.store ?? path.join(base, '.hotpath', 'runs'));
    args.profile = path.join(store, args.run);
    if (!fs.existsSync(args.profile)) { console.error(`hotpath fixes: no run '${args.run}' in ${store} (\`hotpath profile\` stores runs there).`); return 2; }
  }
  if (args.profile) {
    if (!fs.existsSync(args.profile)) { console.error(`hotpath fixes: --profile ${args.profile} does not exist (give a Hotpath *.imports.json, a .cpuprofile, or a run folder).`); return 2; }
    try {
      for (const [k, v] of readHeavyFromProfile(path.resolve(args.profile), args.minMs)) heavy.set(k, v);
    } catch (e) { console.error(`hotpath fixes: ${(e as Error).message}`); return 2; }
  }
  for (const name of args.heavy) if (!heavy.has(name)) heavy.set(name, { measured: false });

  const listed = fs.statSync(target).isDirectory() ? listSourceFiles(target) : { files: [target], skipped: [] };
  const files = listed.files;
  const base = fs.statSync(target).isDirectory() ? target : path.dirname(target);
  // A run profiled with --plan tells lazy-loads that take a module out of startup from those that
  // only defer it; the engine makes the latter not preferred (listed, never applied).
  const startup = args.profile && fs.statSync(args.profile).isDirectory() ? startupLabels(path.resolve(args.profile), base) : undefined;
  const opts = {
    kinds: args.kinds.length ? args.kinds : undefined, heavy, lazyAll: args.all, knownHeavy: args.knownHeavy,
    moduleKind: args.moduleKind, project: createProjectLookup(), explainUnsafe: args.explain, startup,
  };
  // memoize evidence: a counting run now (--calls), else the newest stored one.
  let counts: CallCounts | undefined;
  let countsFile: string | undefined;
  const countNotes: string[] = [];
  if (args.calls && args.command) {
    if (!args.json) console.error(`Counting the calls of memoize candidates in one run of: ${args.command.join(' ')}`);
    const result = await countCalls({
      files, command: args.command[0], args: args.command.slice(1), cwd: process.cwd(), project: opts.project,
      timeoutMs: args.timeoutS ? args.timeoutS * 1000 : undefined,
      onOutput: args.json ? undefined : (text) => process.stderr.write(text),
    });
    counts = result.counts;
    countNotes.push(...result.notes);
    if (counts.functions.length) countsFile = saveCallCounts(base, counts);
  } else if (!args.kinds.length || args.kinds.includes('memoize')) {
    const stored = loadCallCounts(base);
    counts = stored?.counts;
    countsFile = stored?.file;
  }
  if (counts?.functions.length) Object.assign(opts, { calls: counts });
  // replace-dependency: packages the replacement data maps to a built-in are checked (drop-in
  // or not, and both load times) in fresh processes before the analysis.
  if (!args.kinds.length || args.kinds.includes('replace-dependency')) {
    const wanted = packagesWithBuiltin(files);
    if (wanted.size && !args.json) console.error(`Checking ${wanted.size} package(s) against the built-ins that could replace them, in fresh processes: ${[...wanted.keys()].join(', ')}`);
    const checks = new Map([...wanted].map(([pkg, { builtin, dir }]) => [pkg, checkReplacement(pkg, builtin, dir)]));
    if (checks.size) Object.assign(opts, { replacementChecks: checks });
  }
  const fixes = [];
  const changedFiles: string[] = [];
  const planned: BatchFile[] = [];
  const skipped: { file: string; reason: string }[] = [...listed.skipped];
  const shownOf = (file: string) => path.relative(base, file) || path.basename(file);
  for (const file of files) {
    let src: ReturnType<typeof readSource>;
    try { src = readSource(file); } catch (e) { skipped.push({ file, reason: (e as Error).message }); continue; }
    // Only UTF-8 is edited (other bytes would come back as U+FFFD); a byte order mark is kept.
    if ('error' in src) { skipped.push({ file: shownOf(file), reason: src.error }); continue; }
    const text = src.text;
    const found = analyzeFile(file, text, opts);
    // analyzeFile offers nothing for a file that does not parse (editing it is not safe): say so.
    if (!found.length) {
      const shown = path.relative(base, file) || path.basename(file);
      if (!isSourceFile(file)) skipped.push({ file: shown, reason: 'not a JavaScript or TypeScript source file' });
      else {
        const errs = syntaxErrors(file, text);
        // syntaxErrors gives `file:line:column: message`; say it as the ranking does.
        const m = errs.length ? /^(\d+):\d+: ([\s\S]*)$/.exec(errs[0].slice(file.length + 1)) : null;
        if (errs.length) skipped.push({ file: shown, reason: `syntax error at line ${m ? `${m[1]}: ${m[2].replace(/\.$/, '')}` : errs[0]}; no fixes are offered for a file that does not parse` });
      }
    }
    for (const f of found) {
      fixes.push({ file: path.relative(base, f.file) || path.basename(f.file), line: f.line, kind: f.kind, title: f.title, safe: f.safe,
        reason: f.reason ?? null, column: f.column, module: f.module, preferred: f.preferred, variant: f.variant, moduleKind: f.moduleKind,
        heavyMs: f.heavyMs, heavyMeasured: f.heavyMeasured, explanation: f.explanation, hot: f.hot, hygiene: !!f.hygiene,
        ...(f.kind === 'replace-dependency' ? { replacement: f.replacement ?? null } : {}), ...(f.kind === 'memoize' ? { calls: f.calls ?? null } : {}),
        ...(f.startup ? { startup: f.startup, startupNote: f.startupNote } : {}) });
    }
    if (args.apply && found.some((f) => isApplicable(f, opts))) {
      const result = applyFixes(file, text, opts, (f) => isApplicable(f, opts));
      if (result.text !== text) planned.push({ file, before: src.bytes, after: encodeSource(result.text, src.bom) });
    }
  }
  let checkpoint: { id: string; dir: string } | undefined;
  let failed: { error: string; blocked: { file: string; reason: string }[]; rolledBack: boolean } | undefined;
  if (planned.length) {
    const batch = await writeBatch(planned, base, args.checkpoints, `hotpath fixes --apply ${args.target}`);
    for (const s of batch.skipped) skipped.push({ file: shownOf(s.file), reason: s.reason });
    changedFiles.push(...batch.written.map(shownOf));
    if (batch.ok) checkpoint = batch.checkpoint;
    else failed = { error: batch.error ?? 'the batch was not applied', blocked: (batch.blocked ?? []).map((b) => ({ file: shownOf(b.file), reason: b.reason })), rolledBack: batch.rolledBack ?? false };
  }
  if (failed) {
    console.error(`hotpath fixes: ${failed.error}`);
    for (const b of failed.blocked.slice(0, 50)) console.error(`  ${b.file}: ${b.reason}`);
    if (failed.blocked.length > 50) console.error(`  ... and ${failed.blocked.length - 50} more`);
  }
  if (args.json) {
    const callsRun = counts ? { id: counts.id, command: counts.command, createdAt: counts.createdAt, wallMs: counts.wallMs, exitCode: counts.exitCode, file: countsFile ?? null, counted: counts.functions.filter((f) => f.instrumented).length, notes: countNotes } : null;
    console.log(JSON.stringify({ fixes, ...(args.apply ? { changedFiles } : {}), ...(skipped.length ? { skipped } : {}), ...(checkpoint ? { checkpoint } : {}), callsRun, ...(failed ?? {}) }, null, 2));
    return failed ? 1 : 0;
  }
  if (counts) {
    const counted = counts.functions.filter((f) => f.instrumented).length;
    console.log(`memoize evidence: ${args.calls ? 'this' : 'the stored'} counting run ${counts.id} of \`${counts.command}\` (${Math.round(counts.wallMs)} ms, ${counted} of ${counts.functions.length} candidate(s) counted)`);
    for (const n of countNotes) console.log(`  note: ${n}`);
  } else if (countNotes.length) for (const n of countNotes) console.log(`memoize evidence: ${n}`);
  if (fixes.length === 0) console.log(`No fixes in ${files.length} file(s).`);
  for (const f of fixes) {
    const note = (f as { startupNote?: string }).startupNote;
    console.log(`${f.file}:${f.line}  ${f.safe ? (f.hygiene ? 'hygiene ' : f.preferred ? 'safe    ' : 'optional') : 'disabled'}  [${f.kind}] ${f.title}${f.reason ? `\n      not safe: ${f.reason}` : ''}${note ? `\n      ${note}` : ''}`);
  }
  // Folders skipped by design (dependencies, build output...) are in --json only; problems show.
  for (const s of skipped) if (!ROUTINE_SKIPS.test(s.reason)) console.log(`skipped ${s.file}: ${s.reason}`);
  if (args.apply && args.kinds.includes('memoize') && !counts?.functions.length) {
    console.log('memoize: nothing is memoized without counted calls: add --calls -- <command> (a measured run of the program) to show which functions repeat their arguments.');
  }
  if (args.apply && !failed) console.log(changedFiles.length ? `Changed ${changedFiles.length} file(s):\n  ${changedFiles.join('\n  ')}` : 'Nothing to apply.');
  if (checkpoint) {
    const store = path.dirname(checkpoint.dir);
    const storeArg = store === findCheckpointStore(process.cwd()) ? '' : ` --store ${path.relative(process.cwd(), store) || store}`;
    console.log(`Checkpoint ${checkpoint.id} saved the files before the changes; undo with \`hotpath rollback ${checkpoint.id}${storeArg}\`.`);
  }
  return failed ? 1 : 0;
}

/**
 * Writes a batch of fixes behind a checkpoint (`hotpath rollback` undoes it), atomically, one batch
 * per store at a time, nothing at all when a file cannot be written or changed since it was read
 * (core/checkpoint/batch.ts). The store: the repository's top folder (else the folder), the one
 * rule `checkpoints`/`rollback` and VS Code use. Used by --apply and --plan --apply alike; a plan
 * gives text (`beforeText`: what it was computed from), read back here as bytes.
 */
async function writeBatch(planned: (BatchFile | { file: string; text: string; beforeText?: string })[], base: string, checkpoints: string | undefined, label: string): Promise<BatchResult> {
  const cpStore = path.resolve(checkpoints ?? checkpointStoreFor(base));
  const files: BatchFile[] = [];
  const skipped: BatchResult['skipped'] = [];
  for (const p of planned) {
    if ('before' in p) { files.push(p); continue; }
    const src = readSource(p.file);
    if ('error' in src) { skipped.push({ file: p.file, reason: src.error }); continue; }
    const strip = (t: string) => t.replace(/^\uFEFF/, '');
    // The plan's text was read before: a file changed since then is caught by the batch (bytes differ).
    const before = p.beforeText === undefined || strip(p.beforeText) === src.text ? src.bytes : Buffer.from(p.beforeText, 'utf8');
    files.push({ file: p.file, before, after: encodeSource(strip(p.text), src.bom) });
  }
  if (!files.length) return { ok: true, written: [], skipped };
  const r = await applyBatch(files, {
    store: cpStore, root: base, label,
    onLockWait: (pid) => console.error(`hotpath fixes: another Hotpath process (pid ${pid}) is changing files with ${cpStore}; waiting for it...`),
  });
  return { ...r, skipped: [...skipped, ...r.skipped] };
}
