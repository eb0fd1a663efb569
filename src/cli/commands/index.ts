// The registry of CLI subcommands. Add one line per command; each module is loaded only when
// its command runs, so `hotpath profile` never pays for the TypeScript parser used by `rank`.
export interface CliCommand {
  summary: string;
  run(argv: string[]): Promise<number>;
}

export const commands: Record<string, CliCommand> = {
  // e.g. profile: { summary: 'Profile a command', run: (a) => import('./profile').then((m) => m.run(a)) },
  profile: { summary: 'Profile a command (every Node process it starts) or open a profile file', run: (a) => import('./profile').then((m) => m.run(a)) },
  rank: { summary: 'Rank modules by optimization potential, with the evidence', run: (a) => import('./rank').then((m) => m.run(a)) },
  report: { summary: 'Write a self-contained HTML report (flame graphs, tables) of a run or profile file', run: (a) => import('./report').then((m) => m.run(a)) },
  fixes: { summary: 'List (and --apply) safe fixes: lazy-load heavy imports, import type, unused imports; hoist constants, pool temporaries, memoize in hot code', run: (a) => import('./fixes').then((m) => m.run(a)) },
  bench: { summary: 'Measure a command N times: median wall and CPU time with 95 % intervals, stored with the git commit', run: (a) => import('./bench').then((m) => m.run(a)) },
  compare: { summary: 'Compare two benchmarks, or a git ref against the working tree: ratio, interval, p-value, verdict', run: (a) => import('./compare').then((m) => m.run(a)) },
  diff: { summary: 'Compare two profiles (or runs): which functions got faster or slower, beyond sampling noise', run: (a) => import('./diff').then((m) => m.run(a)) },
  checkpoints: { summary: 'List the checkpoints taken before batches of fixes', run: (a) => import('./checkpoints').then((m) => m.run(a)) },
  rollback: { summary: 'Restore the files of a checkpoint in one step (default: the latest)', run: (a) => import('./rollback').then((m) => m.run(a)) },
  leaks: { summary: 'Find memory leaks: live-heap growth per iteration or second with its interval, growing allocation sites and object types, retainer paths', run: (a) => import('./leaks').then((m) => m.run(a)) },
  runs: { summary: 'List the stored profile runs (newest first); rm deletes runs by id or keeps the newest N', run: (a) => import('./runs').then((m) => m.run(a)) },
};
