// The real workload of the runner benchmarks (overhead, flush): the TypeScript compiler
// type-checking @ts-morph/common's declarations (~10 s of CPU here), or with --quick mocha's
// typings (9.4 s of CPU at load 30, where simple-git's, used before simple-git was dropped, took
// 11 s in the same minute). The shell prints its reaped children's CPU time after the workload.
import * as path from 'path';
import { cpuFromStat } from '../src/core/bench/measure';

export const ROOT = path.join(__dirname, '..');
export const TSC = path.join(ROOT, 'node_modules/typescript/lib/tsc.js');

export function tscWorkload(quick: boolean): { input: string; node: string; line: string } {
  const input = quick ? 'node_modules/@types/mocha/index.d.ts' : 'node_modules/@ts-morph/common/lib/ts-morph-common.d.ts';
  const node = `node ${TSC} --noEmit --target es2022 --moduleResolution node --types node ${input}`;
  return { input, node, line: `${node}; cat /proc/$$/stat` };
}

/** CPU ms of the whole process tree, from the output of `line`. */
export function cpuMsOf(output: string): number {
  const ms = cpuFromStat(output);
  if (ms === null) throw new Error(`no /proc stat line in the output: ${output.trim().split('\n').pop()}`);
  return ms;
}
