// The registry of CLI subcommands. Add one line per command.
export interface CliCommand {
  summary: string;
  run(argv: string[]): Promise<number>;
}

export const commands: Record<string, CliCommand> = {
};
