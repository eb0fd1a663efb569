// `hotpath rank`: score every module of a folder by optimization potential, with the evidence.
import * as fs from 'fs';
import * as path from 'path';
import { rankWorkspace } from '../../core/rank';
import { loadMeasuredFiles, loadMeasuredRun } from '../../core/rank/loadMeasured';
import type { FactorName, RankResult } from '../../core/rank/types';
import { parseOrUsage } from '../usage';

export const HELP = `Usage: hotpath rank [DIR] [--run ID [--store DIR] | --profile FILE...] [--json] [--top N] [--all] [--exclude GLOB...]

Scores every JavaScript/TypeScript module in DIR (default: the current folder) from 0 to 10 by
how much there is to gain, with the evidence, the risk and the recommended changes.
Without measured data the factors are static estimates (capped at 6); with a run they are measured.
Only the product's modules are listed: tests, fixtures, examples, benchmarks and scripts (test/,
examples/, *.test.js, scripts/, *.config.js...) are counted as left out unless --all. Equal
scores are ordered by the score before the cap, then modules an entry point (package.json main,
bin, exports) loads at startup, then modules imported by more others.

Options:
  --run ID          Use measured data of a stored run (see \`hotpath profile\`).
  --store DIR       Run store (default: DIR/.hotpath/runs).
  --profile FILE    Use a .cpuprofile, .heapprofile, <pid>-<tid>.imports.json or a folder of them.
                    May be repeated.
  --json            Print {modules: [...], skipped: [...]} as JSON.
  --top N           Only the N highest scores.
  --all             Also rank tests, fixtures, examples, benchmarks and scripts (each with its role).
  --exclude GLOB    Skip files matching this gitignore-style glob. May be repeated.
  --workers N|auto  Threads that parse, this one included, for 400+ files (default auto: this
                    one plus one worker per core left free by the load average; 0 or 1 parses
                    inline). On 2 cores at load 5-15 a second thread was slower than one.

Exit code: 0; 1 when the folder is missing or the measured data (--run, --profile) cannot be
read; 2 for bad usage. Files that do not parse are listed as skipped, not an error.`;

interface Args {
  dir: string; run?: string; store?: string; profiles: string[]; json: boolean; top?: number; exclude: string[]; workers: number | 'auto'; all: boolean;
}

export function parseRankArgs(argv: string[]): Args {
  const a: Args = { dir: '.', profiles: [], json: false, exclude: [], workers: 'auto', all: false };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[++i];
    };
    switch (flag) {
      case '--run': a.run = value(); break;
      case '--store': a.store = value(); break;
      case '--profile': a.profiles.push(value()); break;
      case '--json': a.json = true; break;
      case '--all': a.all = true; break;
      case '--top': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1) throw new Error('--top needs a positive whole number');
        a.top = n;
        break;
      }
      case '--exclude': a.exclude.push(value()); break;
      case '--workers': {
        const v = value();
        if (v === 'auto') { a.workers = 'auto'; break; }
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > 64) throw new Error('--workers needs auto or a whole number from 0 to 64');
        a.workers = n;
        break;
      }
      default:
        if (flag.startsWith('-')) throw new Error(`unknown option ${flag}`);
        positional.push(flag);
    }
  }
  if (positional.length > 1) throw new Error(`one folder only, got ${positional.join(' ')}`);
  if (positional[0]) a.dir = positional[0];
  if (a.run && a.profiles.length) throw new Error('give --run or --profile, not both');
  return a;
}

const SHORT: Record<FactorName, string> = { startupImpact: 'startup', heavyDependencies: 'deps', memory: 'memory', initComplexity: 'init', cpu: 'cpu' };

function printTable(r: RankResult, notes: string[], out: (s: string) => void): void {
  const names = Object.keys(SHORT) as FactorName[];
  out(`${'score'.padStart(5)}  ${'risk'.padEnd(6)} ${names.map((n) => SHORT[n].padStart(8)).join('')}  module / recommended`);
  for (const m of r.modules) {
    // An asterisk marks a measured factor; plain numbers are estimates.
    const cells = names.map((n) => `${m.factors[n].score.toFixed(1)}${m.factors[n].measured ? '*' : ' '}`.padStart(8)).join('');
    const patterns = m.patterns.map((p) => `${p.kind} @${p.sites.map((s) => s.line).join(',')}`).join('; ');
    const role = m.role !== 'product' ? ` [${m.role}]` : '';
    out(`${m.score.toFixed(1).padStart(5)}  ${m.risk.padEnd(6)} ${cells}  ${m.file}${role}${patterns ? `  -> ${patterns}` : ''}`);
  }
  out(`\n${r.stats.parsed} module(s) ranked, ${r.stats.skipped} skipped, ${r.stats.ms} ms. * = measured${r.measuredFrom ? ` (${r.measuredFrom})` : ''}, others are estimates.`);
  const leftOut = Object.entries(r.leftOut).map(([role, n]) => `${n} ${role}`);
  if (leftOut.length) out(`left out: ${leftOut.join(', ')} file(s) (--all lists them too).`);
  for (const s of r.skipped) out(`skipped: ${s.file}: ${s.reason}`);
  for (const n of notes) out(`note: ${n}`);
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrUsage('rank', HELP, argv, parseRankArgs);
  if ('exit' in parsed) return parsed.exit;
  const a = parsed.args;
  const root = path.resolve(a.dir);
  const runStore = path.resolve(a.store ?? path.join(root, '.hotpath', 'runs'));
  if (a.run && !fs.existsSync(path.join(runStore, a.run))) {
    console.error(`hotpath rank: no run '${a.run}' in ${runStore} (\`hotpath profile\` stores runs there; --store DIR names another store, --profile FILE a profile file or run folder).`);
    return 1;
  }
  const loaded = a.run ? await loadMeasuredRun(runStore, a.run, root)
    : a.profiles.length ? await loadMeasuredFiles(a.profiles.map((p) => path.resolve(p)), a.profiles.map((p) => path.basename(p)).join(', '), root)
    : { notes: [] as string[] };
  if ((a.run || a.profiles.length) && !loaded.measured) {
    // Nothing is ranked here (exit 1), so the loader's "static estimates only" would be wrong.
    const why = loaded.notes.filter((n) => !/uses static estimates only/.test(n));
    console.error(`hotpath rank: no measured data could be read: ${(why.join('; ') || 'no profile data').replace(/\.$/, '')}. Nothing was ranked; without --run/--profile the ranking uses static estimates.`);
    return 1;
  }
  let result: RankResult;
  try {
    result = await rankWorkspace(root, { measured: loaded.measured, exclude: a.exclude, workers: a.workers, all: a.all });
  } catch (err) {
    console.error(`hotpath rank: ${(err as Error).message}`);
    return 1;
  }
  if (a.top !== undefined) result.modules = result.modules.slice(0, a.top);
  if (a.json) {
    console.log(JSON.stringify({ ...result, notes: loaded.notes }, null, 2));
  } else {
    printTable(result, loaded.notes, (s) => process.stdout.write(`${s}\n`));
  }
  return 0;
}
