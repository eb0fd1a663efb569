// `hotpath report --from` a very large profile: wall time and peak RSS of the report against the
// same file summarized (`hotpath profile --from --json`, the baseline: reading and modelling the
// profile, which the report needs too), rounds interleaved, each a fresh process under
// /usr/bin/time. The profile is a long recording of a small program (few nodes, many samples),
// the shape whose timeline made one JSON.stringify of the report's data fail ("Invalid string
// length"). Prints the load average too.
// `node --import tsx bench/reportLarge.bench.ts [--nodes N] [--samples N] [--file F] [--rounds N] [--keep]`
// (defaults 50,000 nodes, 60,000,000 samples: a 634 MB file; generating it takes minutes).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { median } from '../src/core/stats';
import { writeSyntheticCpuProfile } from './syntheticCpuProfile';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);

interface Measured { ok: boolean; wallS: number; rssMb: number; tail: string }

function timed(argv: string[], cwd: string): Measured {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', process.execPath, CLI, ...argv], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const m = /TIME ([\d.]+) (\d+)\s*$/.exec(r.stderr);
  return { ok: r.status === 0, wallS: m ? Number(m[1]) : NaN, rssMb: m ? Number(m[2]) / 1024 : NaN, tail: r.stderr.replace(/TIME .*$/, '').trim().slice(-300) };
}

function main(): void {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`node esbuild.js --only cli,webview\``);
  const nodes = arg('--nodes', 50_000);
  const samples = arg('--samples', 60_000_000);
  const rounds = arg('--rounds', 1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-reportbench-'));
  const given = args.includes('--file') ? path.resolve(args[args.indexOf('--file') + 1]) : undefined;
  const file = given ?? path.join(dir, 'long.cpuprofile');
  try {
    const t0 = Date.now();
    if (!given) {
      const mb = writeSyntheticCpuProfile(file, 0, 7, { nodes, samples });
      console.log(`profile: ${mb.toFixed(0)} MB (${nodes} nodes, ${samples} samples), written in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    } else console.log(`profile: ${file} (${(fs.statSync(file).size / 1e6).toFixed(0)} MB)`);
    const load = [os.loadavg()[0]];
    const base: Measured[] = [];
    const report: Measured[] = [];
    for (let r = 0; r < rounds; r++) {
      base.push(timed(['profile', '--from', file, '--json'], dir));
      report.push(timed(['report', '--from', file, '--out', path.join(dir, 'report.html'), '--json'], dir));
      load.push(os.loadavg()[0]);
      const size = fs.existsSync(path.join(dir, 'report.html')) ? fs.statSync(path.join(dir, 'report.html')).size / 1e6 : 0;
      console.log(`round ${r + 1}: profile --from ${base[r].wallS} s ${base[r].rssMb.toFixed(0)} MB${base[r].ok ? '' : ' FAILED'}; report ${report[r].wallS} s ${report[r].rssMb.toFixed(0)} MB${report[r].ok ? `, ${size.toFixed(0)} MB of HTML` : ` FAILED: ${report[r].tail}`}`);
    }
    const ratio = (k: 'wallS' | 'rssMb') => report.map((x, i) => x[k] / base[i][k]);
    const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}`;
    console.log(`report / profile --from: wall ${median(ratio('wallS')).toFixed(2)}x (${range(ratio('wallS'))}), peak RSS ${median(ratio('rssMb')).toFixed(2)}x (${range(ratio('rssMb'))}); load ${Math.min(...load).toFixed(1)}-${Math.max(...load).toFixed(1)}`);
  } finally {
    if (!args.includes('--keep')) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
