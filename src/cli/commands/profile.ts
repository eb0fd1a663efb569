// `hotpath profile`: run a command with every Node process profiled, or open an existing
// profile (--from), and print a summary (a table, or one JSON object with --json).
// This file holds the options and the usage; running and summarizing is profileRun.ts, its own
// bundle (dist/cli-profileRun.js), required once the options are valid: `hotpath profile --help`
// (and a usage error) loads neither the runner nor the profile model.
import { OX_OVERHEAD_NOTE } from '../../core/runner/engine0x';
import type { CaptureOptions, Engine } from '../../core/runner/types';
import { parseOrUsage } from '../usage';

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
                    --coverage --cpu, sampled every 1 ms unless --interval says otherwise (the
                    CPU profile splits each module's load time into its own code and code of
                    modules that stay, for the estimated saving).
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

export interface Parsed {
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
      case '--plan': p.capture.imports = true; p.capture.coverage = true; p.capture.cpu = true; p.plan = true; break;
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
  // A module's load is tens of ms: at the default 5 ms a busy machine leaves a handful of samples in it.
  if (p.plan && p.capture.intervalUs === undefined) p.capture.intervalUs = 1000;
  if (p.capture.flushMs !== undefined && p.capture.flushMs > 0 && p.capture.flushMs < 100) throw new Error('--flush needs at least 0.1 seconds (or 0)');
  const cmd = rest.length ? rest : positional;
  // One word after `--` or one quoted argument: a shell command line. Several: an argv.
  if (cmd.length === 1) p.command = cmd[0];
  else if (cmd.length > 1) { p.command = cmd[0]; p.args = cmd.slice(1); }
  if (!p.command && !p.from) throw new Error('nothing to profile: give a command after `--`, a quoted command line, or --from FILE');
  return p;
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrUsage('profile', HELP, argv, parseProfileArgs);
  if ('exit' in parsed) return parsed.exit;
  const p = parsed.args;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./profileRun') as typeof import('./profileRun')).runProfile(p);
}
