// `hotpath leaks -- <command>`: runs the command with live-heap measurements in every Node process
// and worker thread, and says whether the heap grows per iteration (or per second), with the
// interval, the allocation sites and object types that grow, and a retainer path for each.
import * as fs from 'fs';
import * as path from 'path';
import { huntLeaks } from '../../core/leaks/hunt';
import { fmtBytes } from '../../core/leaks/analyze';
import { saveLeaksReport, leaksStore, newLeaksDir } from '../../core/leaks/store';
import type { LeaksReport, ProcessLeaks } from '../../core/leaks/types';
import type { LeaksConfig } from '../../core/runner/preloadLeaks';
import { positiveInt, seconds, splitCommand } from '../benchText';
import { parseOrUsage } from '../usage';
import { abortOnSignals } from '../signals';

export const HELP = `Usage: hotpath leaks [options] -- <command ...>
       hotpath leaks [options] "<shell command line>"

Runs the command and measures its live heap (heapUsed + external after a full GC) in every Node
process and worker thread, then reports the growth per iteration or per second with its 95 %
confidence interval (a regression over every measurement), a verdict (growing, flat, not enough
data), the allocation sites whose live size grows and, from a baseline and a final heap
snapshot, the object types that grew, each with a retainer path from a GC root.

Iterations: a program (or test) that repeats a scenario calls
    globalThis.hotpathIteration?.()
at the end of each iteration (a no-op without Hotpath). Measurements start after --warmup
iterations. A program that never calls it is measured over time: after --warmup seconds, every
--interval seconds, until it exits or --duration ends; growth is then per second.

Options:
  --json            Print one JSON object on stdout (the target's output goes to stderr).
  --warmup N        Iterations before the first measurement (default 10); in time mode, seconds
                    (default 2).
  --every N         Measure every N iterations (default: every iteration for 16 measurements,
                    then every 2nd for 16, every 4th...: spread over the whole run, whatever
                    its length).
  --interval S      Time mode: seconds between measurements (default 1).
  --sampling KIB    Live-heap sampling interval in KiB (default 32).
  --no-snapshots    No heap snapshots (no object types or retainer paths; much cheaper on big heaps).
  --duration S      Stop gracefully after S seconds (a server under load, an endless loop).
  --timeout S       End the whole process tree after S seconds (an error).
  --out DIR         Keep the measurements, snapshots and leaks.json in DIR (default
                    .hotpath/leaks/<id>).
  --no-save         Keep nothing (without --out).

Exit code: 0 flat; 1 growing (usable as a CI gate); 2 for bad usage; 3 not enough data, or
the command failed or started no Node process; 128 + the signal on SIGINT (130), SIGTERM (143) or
SIGHUP (129).`;

interface Args {
  json: boolean; config: Partial<LeaksConfig>; durationMs?: number; timeoutMs?: number; out?: string; save: boolean;
  command: string; args?: string[]; warmupGiven?: number;
}

export function parseLeaksArgs(argv: string[]): Args {
  const { opts, command, args } = splitCommand(argv);
  const a: Omit<Args, 'command'> & { command?: string } = { json: false, config: {}, save: true };
  const positional: string[] = [];
  for (let i = 0; i < opts.length; i++) {
    const o = opts[i];
    const value = () => { if (i + 1 >= opts.length) throw new Error(`${o} needs a value`); return opts[++i]; };
    switch (o) {
      case '--json': a.json = true; break;
      case '--warmup': {
        const n = Number(value());
        if (!Number.isFinite(n) || n < 0) throw new Error('--warmup needs a number (iterations, or seconds in time mode), at least 0');
        a.warmupGiven = n;
        break;
      }
      case '--every': a.config.every = positiveInt(o, value()); break;
      case '--interval': a.config.everyMs = seconds(o, value()); break;
      case '--sampling': {
        const n = Number(value());
        if (!Number.isFinite(n) || n < 1) throw new Error('--sampling needs KiB, at least 1');
        a.config.intervalBytes = Math.round(n * 1024);
        break;
      }
      case '--no-snapshots': a.config.snapshots = false; break;
      case '--duration': a.durationMs = seconds(o, value()); break;
      case '--timeout': a.timeoutMs = seconds(o, value()); break;
      case '--out': a.out = value(); break;
      case '--no-save': a.save = false; break;
      default:
        if (o.startsWith('-')) throw new Error(`unknown option ${o}`);
        positional.push(o);
    }
  }
  if (a.warmupGiven !== undefined) {
    a.config.warmup = Math.round(a.warmupGiven);
    a.config.warmupMs = Math.round(a.warmupGiven * 1000);
  }
  if (command) return { ...a, command, args };
  if (positional.length === 1) return { ...a, command: positional[0] };
  if (positional.length > 1) return { ...a, command: positional[0], args: positional.slice(1) };
  throw new Error('nothing to run: give a command after `--` or a quoted command line');
}

export function leaksExitCode(report: LeaksReport, failed: boolean): number {
  if (report.verdict === 'growing') return 1;
  if (report.verdict === 'flat' && !failed) return 0;
  return 3;
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrUsage('leaks', HELP, argv, parseLeaksArgs);
  if ('exit' in parsed) return parsed.exit;
  const p = parsed.args;
  const cwd = process.cwd();
  const out = (line: string) => (p.json ? process.stderr : process.stdout).write(`${line}\n`);
  if (p.out && fs.existsSync(p.out) && !fs.statSync(p.out).isDirectory()) {
    console.error(`hotpath leaks: --out ${p.out} is a file; give a folder.`);
    return 2;
  }
  const keep = !!p.out || p.save;
  const dir = p.out ? path.resolve(p.out) : newLeaksDir(p.save ? leaksStore(cwd) : undefined);
  // SIGINT, SIGTERM and SIGHUP alike: the tree is ended (src/cli/signals.ts).
  const sig = abortOnSignals();
  const { report, run: result } = await huntLeaks({
    command: p.command, args: p.args, cwd, outDir: dir, config: p.config, durationMs: p.durationMs, timeoutMs: p.timeoutMs, signal: sig.signal,
    onOutput: (text, stream) => (p.json || stream === 'stderr' ? process.stderr : process.stdout).write(text),
  }).finally(() => sig.dispose());
  const failed = !!result.error || result.timedOut || (result.completed && result.exitCode !== 0) || !result.processes.length;
  if (result.error) report.notes.unshift(result.error);
  if (failed && !result.error && (result.timedOut || (result.completed && result.exitCode !== 0))) {
    report.notes.push(`The command ${result.timedOut ? 'timed out' : `exited with ${result.signal ? `signal ${result.signal}` : `code ${result.exitCode}`}`}; what it measured is reported.`);
  }
  // A store folder with nothing measured in it would only be clutter.
  const nothing = !p.out && !report.processes.length;
  if (keep && !nothing) {
    try { saveLeaksReport(dir, report); } catch (err) { report.notes.push(`leaks.json could not be written: ${(err as Error).message}`); }
  } else {
    if (nothing && p.save) report.notes.push('Nothing was kept (no process was measured).');
    fs.rmSync(dir, { recursive: true, force: true });
    report.outDir = null;
  }
  if (result.cancelled) return sig.exitCode() ?? 130;
  if (p.json) console.log(JSON.stringify({ ...report, outDir: report.outDir && rel(cwd, report.outDir) }));
  else printReport(report, cwd, out);
  return leaksExitCode(report, failed);
}

function rel(cwd: string, f: string): string {
  const r = path.relative(cwd, f);
  return r.startsWith('..') || path.isAbsolute(r) ? f : r || '.';
}

export function printReport(report: LeaksReport, cwd: string, out: (line: string) => void): void {
  out(`\nLeak hunt: ${report.verdict.toUpperCase()}  (${report.processes.length} process(es)/thread(s) measured, ${report.wallMs} ms wall time)`);
  for (const p of report.processes) printProcess(p, out);
  if (report.outDir) out(`\nMeasurements and snapshots in ${rel(cwd, report.outDir)} (leaks.json holds this report).`);
  for (const n of report.notes) out(`note: ${n}`);
}

function printProcess(p: ProcessLeaks, out: (line: string) => void): void {
  const who = p.threadId ? `worker thread ${p.threadId} of pid ${p.pid}` : `pid ${p.pid}  ${p.commandLine}`;
  const per = p.unit === 'iteration' ? '/iteration' : '/s';
  out(`\n${who}`);
  out(`  ${p.verdict}: ${p.reason}`);
  if (p.points.length) {
    const first = p.points[0];
    const last = p.points[p.points.length - 1];
    const span = p.unit === 'iteration' ? `iterations ${first.x}-${last.x}` : `${first.x.toFixed(1)}-${last.x.toFixed(1)} s`;
    out(`  ${p.points.length} measurements over ${span} (after a warm-up of ${p.warmup} ${p.unit === 'iteration' ? 'iterations' : 's'}): heap ${fmtBytes(first.bytes)} -> ${fmtBytes(last.bytes)}; measuring cost ${p.measureMs} ms inside the process`);
  }
  if (p.suspects.length) {
    out(`  Allocation sites whose live size grows (sampled live bytes${per}, 95 % CI):`);
    for (const s of p.suspects.slice(0, 10)) {
      out(`    ${`+${fmtBytes(s.slope)}`.padStart(10)} [${fmtBytes(s.lo)}, ${fmtBytes(s.hi)}]  ${s.name}${s.via ? ` (via ${s.via})` : ''}  ${s.file}:${s.line}`);
    }
  }
  if (p.types.length) {
    out('  Object types that grew (baseline -> final snapshot; new = allocated after the baseline, still alive):');
    for (const t of p.types.slice(0, 6)) {
      out(`    ${`+${fmtBytes(t.bytesAfter - t.bytesBefore)}`.padStart(10)}  ${t.name}  ${t.countBefore} -> ${t.countAfter} objects, ${t.newCount} new (${fmtBytes(t.newBytes)})`);
      if (t.retainers.length) out(`      retained by${t.traceShare !== null ? ` (the path of ${Math.round(t.traceShare * 100)} % of the new objects looked at)` : ''}: ${retainerText(t)}`);
    }
  }
  for (const s of p.snapshots) out(`  ${s.role} snapshot ${s.file}: ${fmtBytes(s.bytes)}, written in ${s.ms} ms`);
  for (const n of p.notes) out(`  note: ${n}`);
}

/** The retainer chain as one readable line: root first, the leaked object last. */
export function retainerText(t: { retainers: { edge: string; edgeType: string; type: string; name: string; location: { file: string; line: number } | null; repeat?: number }[] }): string {
  return t.retainers.map((r) => {
    const at = r.location ? ` (${r.location.file}:${r.location.line})` : '';
    const edge = r.edgeType === 'element' || r.edgeType === 'hidden' || /^\d+$/.test(r.edge) ? (r.edge.startsWith('[') ? r.edge : `[${r.edge}]`) : `.${r.edge}`;
    return `${edge} ${r.name || `(${r.type})`}${at}${(r.repeat ?? 1) > 1 ? ` (×${r.repeat})` : ''}`;
  }).join(' → ');
}
