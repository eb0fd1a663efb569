// `hotpath profile`: run a command with every Node process profiled, or open an existing
// profile (--from), and print a summary (a table, or one JSON object with --json).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadRun, openProfileFile, summarize } from '../../core/profile';
import type { ProfileSummary } from '../../core/profile/types';
import { blockingLabel } from '../../core/profile/blocking';
import { createRunDir, saveRun } from '../../core/history';
import { fewSamplesNote } from '../../core/runner/sampling';
import { samplingError } from '../../core/stats/sampling';
import { runTarget } from '../../core/runner/run';
import { OX_OVERHEAD_NOTE, tierKey, tiersByFunction } from '../../core/runner/engine0x';
import type { CaptureOptions, Engine, RunResult } from '../../core/runner/types';
import { parseOrUsage } from '../usage';
import { abortOnSignals } from '../signals';

export const HELP = `Usage: hotpath profile [options] -- <command ...>
       hotpath profile [options] "<shell command line>"
       hotpath profile [options] --from FILE

Runs the command with CPU sampling (and module load timing) in every Node process and worker
thread it starts, then prints the top functions, modules and allocations.

Options:
  --json            Print one JSON object on stdout (the target's output goes to stderr).
  --out DIR         Write the raw profiles to DIR (default: a new run folder in .hotpath/runs);
                    the run is then also copied into .hotpath/runs unless --no-save.
  --cpu --heap --imports --coverage
                    What to capture (default: --cpu --imports). Giving any selects exactly those.
                    --coverage: V8 precise coverage (which functions ran), for startup plans.
  --plan            Capture what a startup plan needs (\`hotpath fixes --plan\`): --imports
                    --coverage, without the CPU profiler (its cost would be counted as load time).
  --engine inspector|0x
                    inspector (default): in-process V8 sampling in every process; CPU, heap
                    and imports together measured 1.16-1.18x the plain run on a type-check in
                    bench/overhead.bench.ts, about what Node's own --cpu-prof costs alone.
                    0x: V8 tick log with optimization tiers, main process only, a single
                    \`node script\` command. Measured end to end (bench/profileCost.bench.ts --ox):
                    ${OX_OVERHEAD_NOTE}.
  --interval US     CPU sampling interval in microseconds (default 5000; 1000 gives 5x the samples
                    for short runs and costs more per second, see bench/overhead.bench.ts).
  --heap-interval KIB
                    heap sampling interval in KiB allocated (default 512, as node --heap-prof).
  --esm-hooks auto|always
                    ESM load timing (resolve, load, compile, evaluation per module). On Node 24:
                    in every process (in-thread hooks, under 1 ms to register). Before: auto
                    (default) in processes and worker threads whose entry is an ES module, and
                    in a process from the moment a CommonJS module whose source mentions
                    import( is loaded; always: in every process from its start (also ES
                    modules that eval'd code imports). Registering starts a loader thread:
                    30-1300 ms measured here, charged to no module.
  --flush S         Every S seconds each process writes what it has so far, so a process killed
                    with SIGKILL keeps its profile up to then (default 30; 0: only at exit).
                    Stops and timeouts ask every process to flush first in any case.
  --duration S      Stop gracefully after S seconds (profiles are kept).
  --timeout S       End the whole process tree after S seconds (an error).
  --startup         Stop once the program has loaded (a server listens, or loading is quiet).
  --from FILE       Summarize an existing .cpuprofile / .heapprofile / 0x / speedscope file.
  --top N           Rows per table (default 10).
  --no-save         Do not record the run in .hotpath/runs (without --out, the raw profiles are
                    read for the summary and deleted; --json outDir is then null).

Exit code: 0; 1 when the command failed, timed out or started no Node process (what it wrote is
still summarized), or the --from file cannot be read; 2 for bad usage; 128 + the signal on
SIGINT (130), SIGTERM (143) or SIGHUP (129): the process tree is ended and what it wrote is kept.`;

interface Parsed {
  json: boolean; out?: string; capture: CaptureOptions; engine: Engine; durationMs?: number; timeoutMs?: number;
  startup: boolean; from?: string; top: number; save: boolean; command?: string; args?: string[]; plan?: boolean;
}

function seconds(flag: string, v: string | undefined): number {
  const n = Number(v);
  if (!v || !Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number of seconds`);
  return Math.round(n * 1000);
}

export function parseProfileArgs(argv: string[]): Parsed {
  const dash = argv.indexOf('--');
  const opts = dash >= 0 ? argv.slice(0, dash) : argv;
  const rest = dash >= 0 ? argv.slice(dash + 1) : [];
  const p: Parsed = { json: false, capture: { cpu: false, heap: false, imports: false }, engine: 'inspector', startup: false, top: 10, save: true };
  const positional: string[] = [];
  for (let i = 0; i < opts.length; i++) {
    const a = opts[i];
    const value = () => { if (i + 1 >= opts.length) throw new Error(`${a} needs a value`); return opts[++i]; };
    switch (a) {
      case '--json': p.json = true; break;
      case '--out': p.out = value(); break;
      case '--cpu': p.capture.cpu = true; break;
      case '--heap': p.capture.heap = true; break;
      case '--imports': p.capture.imports = true; break;
      case '--coverage': p.capture.coverage = true; break;
      case '--plan': p.capture.imports = true; p.capture.coverage = true; p.plan = true; break;
      case '--engine': {
        const e = value();
        if (e !== 'inspector' && e !== '0x') throw new Error(`--engine must be inspector or 0x, not ${e}`);
        p.engine = e;
        break;
      }
      case '--interval': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 10) throw new Error('--interval needs microseconds, at least 10');
        p.capture.intervalUs = n;
        break;
      }
      case '--heap-interval': {
        const n = Number(value());
        if (!Number.isFinite(n) || n < 1) throw new Error('--heap-interval needs KiB, at least 1');
        p.capture.heapIntervalBytes = Math.round(n * 1024);
        break;
      }
      case '--esm-hooks': {
        const e = value();
        if (e !== 'auto' && e !== 'always') throw new Error(`--esm-hooks must be auto or always, not ${e}`);
        p.capture.esmHooks = e;
        break;
      }
      case '--flush': {
        const v = value();
        const n = Number(v);
        if (!v || !Number.isFinite(n) || n < 0) throw new Error('--flush needs a number of seconds (0: only at exit)');
        p.capture.flushMs = Math.round(n * 1000);
        break;
      }
      case '--duration': p.durationMs = seconds(a, value()); break;
      case '--timeout': p.timeoutMs = seconds(a, value()); break;
      case '--startup': p.startup = true; break;
      case '--from': p.from = value(); break;
      case '--top': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1) throw new Error('--top needs a positive whole number');
        p.top = n;
        break;
      }
      case '--no-save': p.save = false; break;
      default:
        if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
        positional.push(a);
    }
  }
  if (!p.capture.cpu && !p.capture.heap && !p.capture.imports && !p.capture.coverage) Object.assign(p.capture, { cpu: true, imports: true });
  if (p.capture.flushMs !== undefined && p.capture.flushMs > 0 && p.capture.flushMs < 100) throw new Error('--flush needs at least 0.1 seconds (or 0)');
  const cmd = rest.length ? rest : positional;
  // One word after `--` or one quoted argument: a shell command line. Several: an argv.
  if (cmd.length === 1) p.command = cmd[0];
  else if (cmd.length > 1) { p.command = cmd[0]; p.args = cmd.slice(1); }
  if (!p.command && !p.from) throw new Error('nothing to profile: give a command after `--`, a quoted command line, or --from FILE');
  return p;
}

function ms(v: number): string {
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

function printTables(s: ProfileSummary, out: (line: string) => void): void {
  if (s.topFunctions.length) {
    out(`\nTop functions (sampled time on the threads' stacks: ${ms(s.cpuMs)} ms, ${s.samples} samples; ± is the sampling error):`);
    out(`  ${'self ms'.padStart(14)} ${'total ms'.padStart(9)}  function`);
    for (const f of s.topFunctions) {
      const err = samplingError(f.selfMs, f.samples) || 0; // NaN (no samples) prints as ±0.0, as before
      const tiers = (f as typeof f & { tiers?: Record<string, number> }).tiers;
      const tierText = tiers ? `  [${Object.entries(tiers).map(([t, n]) => `${t} ${n}`).join(', ')}]` : '';
      const blocking = f.blocking ? `  [${blockingLabel(f.blocking)}]` : '';
      out(`  ${`${ms(f.selfMs)} ±${ms(err)}`.padStart(14)} ${ms(f.totalMs).padStart(9)}  ${f.name || '(anonymous)'}  ${f.file}${f.line ? `:${f.line}` : ''}${blocking}${tierText}`);
    }
    if (s.onCpu) out(`  ${s.onCpu}`);
  }
  if (s.modules.length) {
    out(`\nModules (${s.modulesSource === 'imports' ? 'measured load time' : 'top-level CPU samples'}):`);
    out(`  ${'self ms'.padStart(9)} ${'total ms'.padStart(9)}  module`);
    // A module whose own time was not measured: its figures are what was measured of it (a lower bound).
    for (const m of s.modules) {
      const self = m.notMeasured ? 'not measured' : ms(m.selfMs);
      const total = m.notMeasured ? `>=${ms(m.totalMs)}` : ms(m.totalMs);
      out(`  ${self.padStart(9)} ${total.padStart(9)}  ${m.name}${m.file && m.file !== m.name ? `  (${m.file})` : ''}`);
    }
  }
  if (s.allocations.length) {
    out('\nAllocations (sampled bytes, including objects already collected):');
    for (const a of s.allocations) out(`  ${(a.bytes / 1048576).toFixed(2).padStart(9)} MB  ${a.name || '(anonymous)'}  ${a.file}${a.line ? `:${a.line}` : ''}`);
  }
}

function emptySummary(notes: string[]): ProfileSummary {
  return { cpuMs: 0, samples: 0, topFunctions: [], modules: [], modulesSource: 'none', allocations: [], notes };
}

async function summarizeRun(result: RunResult, cwd: string, top: number): Promise<ProfileSummary> {
  if (!result.processes.some((p) => p.cpuProfile || p.heapProfile || p.importsFile)) return emptySummary([]);
  try {
    return summarize(await loadRun(result, { root: cwd }), { top });
  } catch (err) {
    return emptySummary([`The profiles could not be read: ${(err as Error).message}`]);
  }
}

/** 0x only: samples per optimization tier (optimized, maglev, baseline, interpreted) per top function. */
function addTiers(summary: ProfileSummary, result: RunResult, cwd: string): void {
  const file = result.processes.find((x) => x.cpuProfile)?.cpuProfile;
  if (!file) return;
  try {
    const tiers = tiersByFunction(file);
    for (const f of summary.topFunctions) {
      const t = tiers.get(tierKey(f.name, path.resolve(cwd, f.file), f.line));
      if (t) (f as typeof f & { tiers?: Record<string, number> }).tiers = t;
    }
  } catch (err) {
    summary.notes.push(`Optimization tiers unavailable: ${(err as Error).message}`);
  }
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrUsage('profile', HELP, argv, parseProfileArgs);
  if ('exit' in parsed) return parsed.exit;
  const p = parsed.args;
  const cwd = process.cwd();
  // Relative to the working folder when inside it; absolute otherwise (clearer than ../../..).
  const rel = (f: string) => { const r = path.relative(cwd, f); return r.startsWith('..') || path.isAbsolute(r) ? f : r || '.'; };
  const out = (line: string) => (p.json ? process.stderr : process.stdout).write(`${line}\n`);

  if (p.from) {
    if (fs.existsSync(p.from) && fs.statSync(p.from).isDirectory()) {
      console.error(`hotpath profile: ${p.from} is a folder; --from takes one profile file. For a run folder use \`hotpath report --run ${p.from}\` or \`hotpath rank --profile ${p.from}\`.`);
      return 1;
    }
    try {
      const summary = summarize(await openProfileFile(path.resolve(p.from), { root: cwd }), { top: p.top });
      if (p.json) console.log(JSON.stringify({ from: rel(path.resolve(p.from)), ...summary }));
      else { printTables(summary, out); for (const n of summary.notes) out(`note: ${n}`); }
      return 0;
    } catch (err) {
      console.error(`hotpath profile: ${(err as Error).message}`);
      return 1;
    }
  }

  if (p.out && fs.existsSync(p.out) && !fs.statSync(p.out).isDirectory()) {
    console.error(`hotpath profile: --out ${p.out} is a file; give a folder for the raw profiles.`);
    return 2;
  }
  // Profiles already in the --out folder stay there: say so, since a report of the folder shows both runs.
  const earlier = p.out && fs.existsSync(p.out) ? fs.readdirSync(p.out).filter((f) => f.endsWith('.meta.json')).length : 0;
  const store = path.join(cwd, '.hotpath', 'runs');
  // --no-save without --out: the raw profiles go to a temporary folder, read for the summary and deleted
  // (a folder in the store without run.json would be listed as an unfinished run ever after).
  const runDir = p.out ? { id: '', dir: path.resolve(p.out) } : p.save ? createRunDir(store) : { id: '', dir: fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-profile-')) };
  // A stop signal keeps the profiles (Ctrl-C is how a server is profiled): every process is
  // asked to flush, then the tree gets SIGTERM and SIGKILL after the grace period.
  const sig = abortOnSignals('stop');
  const result = await runTarget({
    command: p.command!, args: p.args, cwd, outDir: runDir.dir, capture: p.capture, engine: p.engine,
    timeoutMs: p.timeoutMs, durationMs: p.durationMs, stopWhen: p.startup ? 'startup' : 'exit', signal: sig.signal,
    onOutput: (text, stream) => (p.json || stream === 'stderr' ? process.stderr : process.stdout).write(text),
  }).finally(() => sig.dispose());

  const summary = await summarizeRun(result, cwd, p.top);
  const few = p.capture.cpu && p.engine === 'inspector' ? fewSamplesNote(summary.samples, p.capture.intervalUs, '--interval 1000') : undefined;
  if (few) summary.notes.push(few);
  if (p.engine === '0x') addTiers(summary, result, cwd);
  // One note once: the runner's notes can also come back through the loaded run's notes.
  const notes = [...new Set([...(result.error ? [result.error] : []), ...(result.notes ?? []), ...summary.notes])];
  // No Node process profiled is a failure too: a script relying on the output would get nothing.
  const failed = !!result.error || result.timedOut || (result.completed && result.exitCode !== 0) || !result.processes.length;
  // Exit 0 with no Node process is already explained by the runner's note; only a real failure is named here.
  if (failed && !result.error && (result.timedOut || (result.completed && result.exitCode !== 0))) {
    const how = result.timedOut ? 'timed out' : `exited with ${result.signal ? `signal ${result.signal}` : `code ${result.exitCode}`}`;
    const notFound = !result.timedOut && !result.signal && result.exitCode === 127 ? ' (the shell could not find the command: is it installed and on PATH?)' : '';
    notes.push(`The command ${how}${notFound}; any profile it wrote is summarized.`);
  }
  const stopSignal = sig.received();
  if (stopSignal) notes.push(`Hotpath received ${stopSignal}: it ended the command's whole process tree; what the processes wrote is kept.`);
  if (earlier) notes.push(`${rel(path.resolve(p.out!))} already held the profiles of ${earlier} earlier process(es); they are not in this summary, but \`hotpath report --run\` on the folder shows them with this run's.`);
  let savedId: string | undefined;
  if (p.save && result.processes.length) {
    try {
      const first = result.processes[0];
      savedId = runDir.id || createRunDir(store).id;
      await saveRun(store, {
        id: savedId, command: [p.command!, ...(p.args ?? [])].join(' '), args: p.args, cwd, nodeVersion: first.nodeVersion,
        startedAt: new Date(result.startedAt ?? Date.now()).toISOString(), wallMs: result.wallMs, exitCode: result.exitCode, signal: result.signal,
        capture: p.capture, engine: p.engine, stopWhen: p.startup ? 'startup' : 'exit', durationMs: p.durationMs,
        timedOut: result.timedOut, cancelled: result.cancelled, processes: result.processes, notes,
      });
    } catch (err) {
      savedId = undefined;
      notes.push(`The run could not be stored in ${rel(store)}: ${(err as Error).message}`);
    }
  }
  // A folder this command made that nothing would list: the temporary one of --no-save, or the
  // store's run folder when no Node process was profiled (it would stay as an 'unfinished run').
  const discard = !p.out && (!p.save || !result.processes.length);
  if (discard) {
    fs.rmSync(runDir.dir, { recursive: true, force: true });
    notes.push(p.save ? `Nothing was stored in ${rel(store)} (no Node.js process was profiled).` : 'The raw profiles were read for this summary and deleted (--no-save without --out; --out DIR keeps them).');
  }

  if (p.json) {
    console.log(JSON.stringify({
      processes: result.processes.map((x) => ({ pid: x.pid, ppid: x.ppid, threadId: x.threadId, commandLine: x.commandLine, ending: x.ending, writeMs: x.writeMs ?? null })),
      count: result.processes.length, wallMs: result.wallMs, exitCode: result.exitCode, signal: result.signal,
      timedOut: result.timedOut, cancelled: result.cancelled, outDir: discard ? null : rel(result.outDir), engine: p.engine,
      // Not captured reads null, never 0 (cpuMs is the sampled time on the stacks, kept for the
      // contract; sampledMs names it honestly). `captured` says what was asked for.
      cpuMs: p.capture.cpu ? summary.cpuMs : null, samples: p.capture.cpu ? summary.samples : null,
      sampledMs: p.capture.cpu ? summary.cpuMs : null,
      captured: { cpu: !!p.capture.cpu, heap: !!p.capture.heap, imports: !!p.capture.imports, coverage: !!p.capture.coverage },
      waitingMs: summary.waitingMs ?? null, measured: summary.measured ?? null,
      topFunctions: summary.topFunctions, modules: summary.modules, allocations: summary.allocations, notes,
      ...(failed ? { outputTail: result.outputTail } : {}),
    }));
  } else {
    out(`\nProfiled ${result.processes.length} Node process(es) in ${result.wallMs} ms wall time; ${discard ? 'raw profiles not kept (see the note)' : `raw profiles in ${rel(result.outDir)}`}`);
    for (const x of result.processes) out(`  pid ${x.pid}${x.threadId ? ` thread ${x.threadId}` : ''}  ${x.ending.padEnd(14)} ${x.commandLine}${x.writeMs ? `  (writing profiles: ${Math.round(x.writeMs)} ms, measured)` : ''}`);
    printTables(summary, out);
    if (failed && result.outputTail) out(`\nLast output of the command:\n${result.outputTail.trimEnd().split('\n').slice(-20).join('\n')}`);
    for (const n of notes) out(`note: ${n}`);
    if (p.plan && !failed) out(`\nStartup plan from this run: hotpath fixes --plan ${savedId ? `--run ${savedId}` : `--profile ${rel(result.outDir)}`}`);
  }
  // 128 + the signal (130 for Ctrl-C), as a shell reports it.
  return result.cancelled ? sig.exitCode() ?? 130 : failed ? 1 : 0;
}
