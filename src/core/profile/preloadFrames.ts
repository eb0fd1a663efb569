// Hotpath's own instrumentation in profiles: the preload (dist/preload.js, injected with
// NODE_OPTIONS=--require) wraps Module._load, Module.prototype.load and net.Server#listen, and
// those wrappers would otherwise sit in every stack (`executeUserEntryPoint > hotpathLoad >
// Module._load > hotpathProtoLoad > Module.load > ...`). Users must not see them:
//  - 'wrapper': a pass-through wrapper. Elided: its children go to its parent (merging with a
//    sibling of the same frame), its self time to its parent, so totals stay exact.
//  - 'setup': the preload's module frame (its top-level setup, which starts the profiler), and
//    the registration of the ESM hooks (SUBTREE_NAMES). Kept as one `(hotpath profiler)` frame
//    with its whole subtree folded in: the overhead stays visible.
//  - 'other': any other preload function (exit handler, timing helpers called by the wrappers).
//    Also `(hotpath profiler)`, merged with preload callers; callees outside the preload stay
//    below it (a wrapper that could not be recognised never hides the user's code).
// A file is the preload when its path is the one the runner injects (findPreload), a
// `preload.js` next to Hotpath's bundles (its folder's ../package.json is Hotpath's), or a
// `preload.js` whose source map points at src/core/runner/preload*.ts. Fallback when none of
// that is known (a profile from another machine): the wrapper names on a URL ending in
// /preload.js or src/core/runner/preload*.ts.
import * as fs from 'fs';
import * as path from 'path';
import { urlToPath } from './classify';
import { findPreload } from '../runner/run';

export type PreloadRole = 'wrapper' | 'setup' | 'other';

/** Names of the preload's wrappers (object-literal methods there, so minifying keeps them). */
export const WRAPPER_NAMES: ReadonlySet<string> = new Set(['hotpathLoad', 'hotpathProtoLoad', 'hotpathListen', 'hotpathCompile']);

/**
 * Preload functions whose whole subtree is the profiler's work, Node's internals included
 * (registering the ESM hooks blocks in waitForWorker while the loader thread starts): 'setup'.
 */
export const SUBTREE_NAMES: ReadonlySet<string> = new Set(['hotpathRegisterHooks']);

/** The frame that stands for the preload's own work. */
export const PROFILER_FRAME_NAME = '(hotpath profiler)';

const PRELOAD_SOURCE = /(^|[\\/])src[\\/]core[\\/]runner[\\/]preload\w*\.ts$/;
const PRELOAD_BUNDLE = /(^|[\\/])preload\.js$/;

let runnerPreload: string[] | undefined;

/** The preload the runner injects, as given and with links resolved (profiles hold real paths). */
function runnerPreloadPaths(): string[] {
  if (runnerPreload) return runnerPreload;
  const out = new Set<string>();
  try {
    const p = findPreload();
    out.add(path.resolve(p));
    try { out.add(fs.realpathSync(p)); } catch { /* kept as given */ }
  } catch { /* not built: the other checks still apply */ }
  return (runnerPreload = [...out]);
}

/** Per profile model: which URLs are the preload, decided once per URL. */
export class PreloadFrames {
  private readonly files = new Map<string, boolean>();
  private readonly known: string[];

  /** `sourceOf(url, line, column)`: the original path of a generated position, if mapped. */
  constructor(private readonly sourceOf: (url: string, line: number, column: number) => string | undefined, extraPaths: string[] = []) {
    this.known = [...runnerPreloadPaths(), ...extraPaths.map((p) => path.resolve(p))];
  }

  /** The role of a call frame (0-based line and column, as in profiles), or undefined for the user's frames. */
  role(functionName: string, url: string, lineNumber: number, columnNumber: number): PreloadRole | undefined {
    // Cheap test first: this runs for every frame of every profile.
    if (!(url.endsWith('preload.js') ? PRELOAD_BUNDLE.test(url) : url.endsWith('.ts') && PRELOAD_SOURCE.test(url))) return undefined;
    if (this.isPreloadFile(url, lineNumber, columnNumber)) {
      if (WRAPPER_NAMES.has(functionName)) return 'wrapper';
      return (functionName === '' && lineNumber <= 0 && columnNumber <= 0) || SUBTREE_NAMES.has(functionName) ? 'setup' : 'other';
    }
    // Fallback: the wrapper names are unique enough on a file named like the preload.
    return WRAPPER_NAMES.has(functionName) ? 'wrapper' : undefined;
  }

  private isPreloadFile(url: string, line: number, column: number): boolean {
    let yes = this.files.get(url);
    if (yes === undefined) {
      yes = this.decide(url, line, column);
      this.files.set(url, yes);
    }
    return yes;
  }

  private decide(url: string, line: number, column: number): boolean {
    const file = urlToPath(url);
    if (!file || !PRELOAD_BUNDLE.test(file)) return false;
    if (this.known.includes(path.resolve(file))) return true;
    if (besideHotpathBundles(file)) return true;
    // A development build: its source map names Hotpath's preload sources.
    const source = this.sourceOf(url, Math.max(1, line + 1), Math.max(1, column + 1));
    return !!source && PRELOAD_SOURCE.test(source);
  }
}

const bundleDirs = new Map<string, boolean>();

/** `<ext>/dist/preload.js` where `<ext>/package.json` is Hotpath's (the installed extension, the CLI package). */
function besideHotpathBundles(file: string): boolean {
  const dir = path.dirname(file);
  let yes = bundleDirs.get(dir);
  if (yes === undefined) {
    yes = false;
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, '..', 'package.json'), 'utf8')) as { name?: string; publisher?: string };
      yes = pkg.name === 'hotpath' && (fs.existsSync(path.join(dir, 'cli.js')) || fs.existsSync(path.join(dir, 'extension.js')));
    } catch { /* no package.json there */ }
    bundleDirs.set(dir, yes);
  }
  return yes;
}
