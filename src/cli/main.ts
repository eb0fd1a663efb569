// `hotpath` command line: the same core as the extension, for scripts and CI.
// Each subcommand lives in ./commands/<name>.ts and exports `run(argv): Promise<number>`.
import { commands } from './commands';

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(11)} ${c.summary}`);
  return ['Usage: hotpath <command> [options]', '', 'Commands:', ...lines, '', 'Run `hotpath <command> --help` for its options.'].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    // No command is a usage error: the usage goes to stderr so a script's stdout stays empty.
    console.error(usage());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`hotpath: unknown command '${name}'.\n\n${usage()}`);
    return 2;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    console.error(`hotpath: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
