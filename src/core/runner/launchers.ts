// Package-manager launchers: the Node processes of npm, npx, yarn, pnpm and corepack that start
// the real program (`npm run build`, `npx tsc`). Their own code (reading package.json, resolving
// scripts, waiting for the child) is not the program's, and a profile diff of an npm script
// otherwise lists hundreds of npm's internal functions. The diff leaves them out by default.

const LAUNCHER_SCRIPT = [
  /[\\/](npm|npx)-cli\.js$/,
  /[\\/]node_modules[\\/](npm|yarn|pnpm|corepack|@pnpm[\\/]exe)[\\/]/,
  /[\\/]corepack[\\/]dist[\\/]/,
  /[\\/]\.yarn[\\/]releases[\\/]yarn-[^\\/]+\.c?js$/,
  /[\\/]bin[\\/](npm|npx|yarn|yarnpkg|pnpm|pnpx|corepack)(\.c?js)?$/,
];

/** How the note that names the launchers left out of a run begins (profile/open.ts writes it; diffs carry it). */
export const LAUNCHER_NOTE_PREFIX = 'Launcher processes left out:';

/** Whether a Node process (its process.argv) is a package-manager launcher. */
export function isLauncher(argv: readonly string[] | undefined): boolean {
  const script = argv?.[1];
  return !!script && LAUNCHER_SCRIPT.some((re) => re.test(script));
}

/** The launcher's name for notes: "npm", "npx", "yarn"... */
export function launcherName(argv: readonly string[]): string {
  const script = (argv[1] ?? '').split(/[\\/]/);
  const file = script[script.length - 1].replace(/(-cli)?\.c?js$/, '');
  if (/^yarn-/.test(file)) return 'yarn';
  return file === 'corepack' || !file ? 'corepack' : file;
}
