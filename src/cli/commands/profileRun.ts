// `hotpath profile` once its options are valid (profile.ts): runs the target with the profiling
// preload (or reads --from) and prints the summary. Its own bundle, dist/cli-profileRun.js.
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
import { tierKey, tiersByFunction } from '../../core/runner/engine0x';
import type { RunResult } from '../../core/runner/types';
import { abortOnSignals } from '../signals';
import type { Parsed } from './profile';

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

export async function runProfile(p: Parsed): Promise<number> {
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
