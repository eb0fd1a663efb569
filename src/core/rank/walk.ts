// Finds the source files of a workspace (and Node scripts without an extension, such as a CLI's
// `bin` entry). Honours .gitignore files (root and nested, with the
// `ignore` package for the exact gitignore matching rules) and the user's exclude globs, and
// never fails: unreadable folders, symlink loops and broken links become `skipped` notes.
import * as fs from 'fs';
import * as path from 'path';
import ignore, { Ignore } from 'ignore';
import { Skipped } from './types';

export const SOURCE_EXTENSIONS = new Set(['.ts', '.tsx', '.js', '.mjs', '.cjs', '.jsx', '.mts', '.cts']);

/** A `#!` line that runs Node: `#!/usr/bin/env node`, `#!/usr/bin/env -S node --flag`, `#!/usr/local/bin/node`. */
const NODE_SHEBANG = /^#![^\n]*[/\s]node(?:[\s]|$)/;

/**
 * A file without an extension whose first line runs Node (a CLI's `bin` entry, e.g. bin/tsc):
 * JavaScript, CommonJS or an ES module as a .js file in its place would be.
 */
export function isNodeScript(file: string): boolean {
  if (path.extname(file) !== '') return false;
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(256);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return NODE_SHEBANG.test(buf.subarray(0, n).toString('utf8'));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** A file the ranking and the fixes read: a JS/TS source (not .d.ts) or a Node script without an extension. */
export function isRankedSource(file: string): boolean {
  return (SOURCE_EXTENSIONS.has(path.extname(file)) && !isDeclarationFile(path.basename(file))) || isNodeScript(file);
}

/** Folders that hold dependencies, build output or tool state: never the user's sources. */
const SKIPPED_DIRS: Record<string, string> = {
  node_modules: 'dependencies',
  bower_components: 'dependencies',
  jspm_packages: 'dependencies',
  '.git': 'version control',
  '.hg': 'version control',
  '.svn': 'version control',
  dist: 'build output',
  out: 'build output',
  build: 'build output',
  coverage: 'coverage output',
  '.nyc_output': 'coverage output',
  '.next': 'build output',
  '.nuxt': 'build output',
  '.output': 'build output',
  '.svelte-kit': 'build output',
  '.turbo': 'tool cache',
  '.cache': 'tool cache',
  '.parcel-cache': 'tool cache',
  '.vscode-test': 'tool cache',
  '.hotpath': 'Hotpath run store',
};

/**
 * The top-level folders of `dir` that its package.json's `main`, `module`, `browser`, `bin` or
 * `exports` point into (acorn's `main` is `dist/acorn.js`): a package's shipped code, never
 * skipped as build output.
 */
export function packageEntryDirs(dir: string): Set<string> {
  const dirs = new Set<string>();
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return dirs;
  }
  if (typeof pkg !== 'object' || pkg === null) return dirs;
  const add = (target: unknown): void => {
    if (typeof target === 'string') {
      const first = path.posix.normalize(target.replace(/\\/g, '/')).split('/').filter((x) => x && x !== '.')[0];
      if (first && first !== '..' && !first.includes('*')) dirs.add(first);
    } else if (Array.isArray(target)) target.forEach(add);
    else if (typeof target === 'object' && target !== null) Object.values(target).forEach(add);
  };
  for (const key of ['main', 'module', 'browser', 'bin', 'exports']) {
    // `browser` may map files to replacements ({ "./a.js": false }): only its string form names an entry.
    if (key === 'browser' && typeof pkg.browser !== 'string') continue;
    add(pkg[key]);
  }
  return dirs;
}

export interface WalkResult {
  files: string[];
  skipped: Skipped[];
}

interface Rules {
  /** Folder (absolute) the rules of this .gitignore are relative to. */
  dir: string;
  ig: Ignore;
}

function isDeclarationFile(name: string): boolean {
  return /\.d\.[cm]?ts$/.test(name);
}

function readGitignore(dir: string): Rules | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
  } catch {
    return undefined;
  }
  return { dir, ig: ignore().add(text) };
}

/** Later (deeper) .gitignore files override earlier ones, as in git. */
function isIgnored(rules: Rules[], abs: string, isDir: boolean): boolean {
  let ignored = false;
  for (const r of rules) {
    let rel = path.relative(r.dir, abs).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    if (isDir) rel += '/';
    const t = r.ig.test(rel);
    if (t.ignored) ignored = true;
    else if (t.unignored) ignored = false;
  }
  return ignored;
}

export function walkWorkspace(root: string, exclude: string[] = [], signal?: AbortSignal): WalkResult {
  const files: string[] = [];
  const skipped: Skipped[] = [];
  const excludeRules: Rules = { dir: root, ig: ignore().add(exclude) };
  const visited = new Set<string>();
  const rel = (p: string) => path.relative(root, p).split(path.sep).join('/') || '.';

  const visit = (dir: string, inherited: Rules[]) => {
    if (signal?.aborted) return;
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch (err) {
      skipped.push({ file: rel(dir) + '/', reason: `cannot resolve folder (${(err as NodeJS.ErrnoException).code ?? err})` });
      return;
    }
    if (visited.has(real)) {
      skipped.push({ file: rel(dir) + '/', reason: `symlink loop or duplicate link: already scanned as ${rel(real)}` });
      return;
    }
    visited.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      skipped.push({ file: rel(dir) + '/', reason: `unreadable folder (${(err as NodeJS.ErrnoException).code ?? err})` });
      return;
    }
    const own = readGitignore(dir);
    const rules = own ? [...inherited, own] : inherited;
    let entryDirs: Set<string> | undefined;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const st = fs.statSync(abs);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          const why = code === 'ELOOP' ? 'symlink loop' : `broken symlink (${code ?? err})`;
          // A broken link to a non-source file is not worth a note.
          if (code === 'ELOOP' || SOURCE_EXTENSIONS.has(path.extname(entry.name))) skipped.push({ file: rel(abs), reason: why });
          continue;
        }
      }
      if (isDir) {
        const known = SKIPPED_DIRS[entry.name];
        // Build output that the package.json beside it names as an entry (main, exports, bin) is
        // the package's own code: scanned (its .gitignore rules still apply).
        if (known === 'build output' && (entryDirs ??= packageEntryDirs(dir)).has(entry.name)) {
          if (isIgnored(rules, abs, true) || isIgnored([excludeRules], abs, true)) continue;
          visit(abs, rules);
          continue;
        }
        if (known) {
          skipped.push({ file: rel(abs) + '/', reason: known });
          continue;
        }
        if (isIgnored(rules, abs, true) || isIgnored([excludeRules], abs, true)) continue;
        visit(abs, rules);
      } else if (isFile) {
        const ext = path.extname(entry.name);
        if (ext === '' ? !isNodeScript(abs) : !SOURCE_EXTENSIONS.has(ext) || isDeclarationFile(entry.name)) continue;
        if (isIgnored(rules, abs, false) || isIgnored([excludeRules], abs, false)) continue;
        files.push(abs);
      }
    }
  };
  visit(root, []);
  return { files, skipped };
}
