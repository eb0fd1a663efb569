// The prologue every subcommand shares: `--help` prints the usage, and bad options print what is
// wrong followed by the usage, with exit code 2.
export type Parsed<T> = { args: T } | { exit: number };

export function parseOrUsage<T>(command: string, help: string, argv: string[], parse: (argv: string[]) => T): Parsed<T> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(help);
    return { exit: 0 };
  }
  try {
    return { args: parse(argv) };
  } catch (err) {
    console.error(`hotpath ${command}: ${(err as Error).message}\n\n${help}`);
    return { exit: 2 };
  }
}
