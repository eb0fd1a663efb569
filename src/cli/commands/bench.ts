// `hotpath bench [--runs N] [--warmup K] [--label L] [--timeout S] [--json] [--no-save] -- <command...>`:
// measures a command N times (wall time, and on Linux CPU time of its process tree), stores
// `.hotpath/bench/<id>.json` tied to the git commit. --json prints the stored record (plus `file`).
import * as path from 'path';
import { benchmarkCommand, CancelledError, defaultBenchStore, listBench } from '../../core/bench';
import { codeLine, exitCodes, metricLine, ms, positiveInt, problemLines, seconds, splitCommand } from '../benchText';
import { parseOrUsage } from '../usage';
import { abortOnSignals } from '../signals';

const HELP = `Usage: hotpath bench [options] -- <command ...>
       hotpath bench [options] "<shell command line>"

Runs the command several times and reports the median wall time with its 95 % bootstrap
interval, the IQR and MAD, and on Linux the CPU time (user + system) of the whole process tree.
Warm-up runs are not counted; failed runs are reported and left out of the statistics. The result
is stored in .hotpath/bench/<id>.json with the git commit; compare two with \`hotpath compare\`.

Options:
  --runs N       measured runs (default 10)
  --warmup K     warm-up runs, not counted (default 1)
  --label L      a name for this measurement (shown by compare)
  --timeout S    end a run (and its process tree) after S seconds; the run counts as failed
  --ok-exit CODES
                 exit codes of a successful run, comma-separated (default 0); e.g. 0,1 for a
                 linter that exits 1 when it finds problems. Other codes count as failed.
  --store DIR    bench store (default .hotpath/bench)
  --no-save      do not store the result
  --json         print the record as JSON

Exit code: 0 when every measured run succeeded (exit 0, or a code of --ok-exit), 1 when some failed, 2 for bad usage, 128 + the signal on SIGINT (130), SIGTERM (143) or SIGHUP (129).`;

interface Args { runs: number; warmup: number; label?: string; timeoutMs?: number; okExit?: number[]; json: boolean; save: boolean; store?: string; command: string; args?: string[] }

function parse(argv: string[]): Args {
  const { opts, command, args } = splitCommand(argv);
  const a: Partial<Args> & { json: boolean; save: boolean; runs: number; warmup: number } = { json: false, save: true, runs: 10, warmup: 1 };
  const positional: string[] = [];
  for (let i = 0; i < opts.length; i++) {
    const o = opts[i];
    const value = () => { if (i + 1 >= opts.length) throw new Error(`${o} needs a value`); return opts[++i]; };
    switch (o) {
      case '--runs': a.runs = positiveInt(o, value()); break;
      case '--warmup': a.warmup = positiveInt(o, value(), 0); break;
      case '--label': a.label = value(); break;
      case '--timeout': a.timeoutMs = seconds(o, value()); break;
      case '--ok-exit': a.okExit = exitCodes(o, value()); break;
      case '--store': a.store = value(); break;
      case '--no-save': a.save = false; break;
      case '--json': a.json = true; break;
      default:
        if (o.startsWith('-')) throw new Error(`unknown option ${o}`);
        positional.push(o);
    }
  }
  if (command) return { ...a, command, args };
  if (positional.length === 1) return { ...a, command: positional[0] };
  if (positional.length > 1) return { ...a, command: positional[0], args: positional.slice(1) };
  throw new Error('nothing to measure: give a command after `--` or a quoted command line');
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrUsage('bench', HELP, argv, parse);
  if ('exit' in parsed) return parsed.exit;
  const p = parsed.args;
  const cwd = process.cwd();
  const sig = abortOnSignals();
  const err = (line: string) => { if (!p.json) process.stderr.write(`${line}\n`); };
  try {
    const rec = await benchmarkCommand({ command: p.command, args: p.args, cwd }, {
      runs: p.runs, warmup: p.warmup, timeoutMs: p.timeoutMs, okExitCodes: p.okExit, label: p.label, save: p.save,
      storeDir: p.store ? path.resolve(p.store) : defaultBenchStore(cwd), signal: sig.signal,
      onProgress: (pr) => err(`  ${pr.phase === 'warmup' ? 'warm-up' : 'run'} ${pr.done}/${pr.total}: ${pr.sample.ok ? `${ms(pr.sample.wallMs)} ms` : `FAILED (${pr.sample.error})`}`),
    });
    if (p.json) {
      // The record as stored, with every documented optional field present (null when not set),
      // so a script can read e.g. git.commit without checking that the key exists.
      const optional = { file: rec.file ?? null, label: rec.label ?? null, args: rec.args ?? null, git: rec.git ?? null, ref: rec.ref ?? null,
        timeoutMs: rec.timeoutMs ?? null, okExit: rec.okExit ?? null, loadAverage: rec.loadAverage ?? null, pair: rec.pair ?? null };
      console.log(JSON.stringify({ ...rec, ...optional }, null, 2));
    } else {
      console.log(`${rec.command}  (${rec.runs} runs + ${rec.warmup} warm-up; ${codeLine(rec)})`);
      console.log(metricLine('wall', rec.stats.wall));
      if (rec.cpuSource === 'proc-stat') console.log(metricLine('cpu ', rec.stats.cpu, ' (user+system of the process tree, 10 ms resolution)'));
      else console.log('cpu : not measured on this platform (wall time only)');
      for (const line of problemLines(rec)) console.log(line);
      if (rec.file) {
        // The hint only when there is something to compare: an earlier record and runs that succeeded.
        const stored = listBench(path.dirname(rec.file)).records.length;
        const hint = stored > 1 && rec.stats.wall ? '; compare with `hotpath compare previous last`' : '';
        console.log(`stored as ${path.relative(cwd, rec.file) || rec.file} (id ${rec.id})${hint}`);
      }
    }
    return rec.stats.failed ? 1 : 0;
  } catch (e) {
    if (e instanceof CancelledError) {
      console.error(`hotpath bench: ${sig.received() ? `${sig.received()} received` : 'cancelled'}; the command's processes were ended, nothing was stored.`);
      return sig.exitCode() ?? 130;
    }
    throw e;
  } finally {
    sig.dispose();
  }
}
