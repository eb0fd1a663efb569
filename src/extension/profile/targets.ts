// What "Hotpath: Profile…" offers to run. Pure data in, choices out, so the rules (which scripts,
// how a file is started) are unit-tested without VS Code.
import * as path from 'path';

export interface TargetChoice {
  kind: 'script' | 'test' | 'file' | 'custom' | 'recent';
  label: string;
  description?: string;
  detail?: string;
  /** Shell command line; empty for 'custom' (asked for afterwards). */
  command: string;
  cwd: string;
}

export interface FolderInfo {
  name: string;
  path: string;
  /** Text of the folder's package.json, if any. */
  packageJson?: string;
}

/** Parses package.json text; a broken file yields no scripts rather than an error. */
export function readScripts(packageJson: string | undefined): Record<string, string> {
  if (!packageJson) return {};
  try {
    const pkg = JSON.parse(packageJson) as { scripts?: unknown };
    if (typeof pkg.scripts !== 'object' || pkg.scripts === null) return {};
    return Object.fromEntries(Object.entries(pkg.scripts).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

/** `npm test` first (if defined), then every other script as `npm run <name>`. */
export function scriptChoices(folder: FolderInfo, multiRoot: boolean): TargetChoice[] {
  const scripts = readScripts(folder.packageJson);
  const where = multiRoot ? ` · ${folder.name}` : '';
  const choices: TargetChoice[] = [];
  // Lifecycle hooks (pre*/post*) run as part of their main script; offering them alone is noise.
  const names = Object.keys(scripts).filter((n) => !/^(pre|post)/.test(n) || !(n.replace(/^(pre|post)/, '') in scripts));
  for (const name of names) {
    const isTest = name === 'test';
    choices.push({
      kind: isTest ? 'test' : 'script',
      label: isTest ? '$(beaker) npm test' : `$(play) npm run ${name}`,
      description: `${scripts[name]}${where}`,
      command: isTest ? 'npm test' : `npm run ${quoteArg(name)}`,
      cwd: folder.path,
    });
  }
  return choices.sort((a, b) => (a.kind === 'test' ? -1 : 0) - (b.kind === 'test' ? -1 : 0));
}

export type FileChoiceResult = { choice: TargetChoice } | { reason: string };

/**
 * How to start the file in the active editor: plain Node for JavaScript, tsx for TypeScript
 * when the workspace has it (Node 20 cannot run .ts by itself).
 */
export function fileChoice(file: string, cwd: string, hasTsx: boolean): FileChoiceResult {
  const ext = path.extname(file).toLowerCase();
  const rel = path.relative(cwd, file);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
  const arg = quoteArg(shown);
  if (['.js', '.mjs', '.cjs'].includes(ext)) {
    return { choice: { kind: 'file', label: `$(file-code) node ${shown}`, description: 'current file', command: `node ${arg}`, cwd } };
  }
  if (['.ts', '.mts', '.cts', '.tsx'].includes(ext)) {
    if (!hasTsx) return { reason: `Node.js cannot run ${path.basename(file)} directly: add tsx to the workspace (npm install -D tsx) or profile the compiled JavaScript.` };
    return { choice: { kind: 'file', label: `$(file-code) npx tsx ${shown}`, description: 'current file', command: `npx tsx ${arg}`, cwd } };
  }
  return { reason: `${path.basename(file)} is not a JavaScript or TypeScript file.` };
}

/** Whether a package.json lists tsx in any dependency section. */
export function hasDependency(packageJson: string | undefined, name: string): boolean {
  if (!packageJson) return false;
  try {
    const pkg = JSON.parse(packageJson) as Record<string, unknown>;
    return ['dependencies', 'devDependencies', 'optionalDependencies'].some((k) => {
      const deps = pkg[k];
      return typeof deps === 'object' && deps !== null && name in deps;
    });
  } catch {
    return false;
  }
}

/** Quotes an argument for the platform shell only when it needs it. */
export function quoteArg(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  if (process.platform === 'win32') return `"${arg.replace(/"/g, '""')}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
