// The registry of CLI subcommands. Add one line per command; each module is loaded only when
// its command runs, so `hotpath profile` never pays for the TypeScript parser used by `rank`.
export interface CliCommand {
  summary: string;
  run(argv: string[]): Promise<number>;
}

export const commands: Record<string, CliCommand> = {
  // e.g. profile: { summary: 'Profile a command', run: (a) => import('./profile').then((m) => m.run(a)) },
  rank: { summary: 'Rank modules by optimization potential, with the evidence', run: (a) => import('./rank').then((m) => m.run(a)) },
};
