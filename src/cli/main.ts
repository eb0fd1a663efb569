// `hotpath` command line: the same core as the extension, for scripts and CI.
// Each subcommand lives in ./commands/<name>.ts and exports `run(argv): Promise<number>`.
import { commands } from './commands';

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(11)} ${c.summary}`);
  return ['Usage: hotpath <command> [options]', '       hotpath --version', '', 'Commands:', ...lines, '', 'Run `hotpath <command> --help` for its options.'].join('\n');
}

/** The version of the package this CLI belongs to (package.json next to dist/, or the source tree's). */
function version(): string {
  const fs = require('fs') as typeof import('fs');
  const path = require('path') as typeof import('path');
  for (const dir of [path.join(__dirname, '..'), path.join(__dirname, '../..')]) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'hotpath' && pkg.version) return `hotpath ${pkg.version} (Node ${process.version})`;
    } catch { /* next */ }
  }
  return `hotpath (version unknown) (Node ${process.version})`;
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
  if (name === '--version' || name === '-v') {
    console.log(version());
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`hotpath: unknown command '${name}'.\n\n${usage()}`);
    return 2;
  }
  return command.run(rest);
}

// A reader that went away (`hotpath … | head`): stop quietly with 141 (128 + SIGPIPE), as a Unix
// tool killed by SIGPIPE does, instead of Node's raw EPIPE stack. Exiting still runs the exit
// handlers: a running target's tree is ended and temporary folders are removed.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(141);
    throw err;
  });
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    console.error(`hotpath: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
