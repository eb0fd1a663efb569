// The prologue every subcommand shares: `--help` prints the usage, and bad options print what is
// wrong followed by the usage, with exit code 2.
export type Parsed<T> = { args: T } | { exit: number };

/** `--help`/`-h` among Hotpath's own options: never after `--`, where they belong to the profiled command. */
export function asksHelp(argv: string[]): boolean {
  const dash = argv.indexOf('--');
  const own = dash >= 0 ? argv.slice(0, dash) : argv;
  return own.includes('--help') || own.includes('-h');
}

export function parseOrUsage<T>(command: string, help: string, argv: string[], parse: (argv: string[]) => T): Parsed<T> {
  if (asksHelp(argv)) {
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
