// Plain-data contracts of the refactor engine: what a fix is and what the analysis needs to know.

export type FixKind = 'lazy-import' | 'type-import' | 'unused-import' | 'hoist-constant' | 'pool-object' | 'memoize' | 'compile-cache' | 'replace-dependency';

/** The fixes for hot code (not imports): hoisting invariant values, pooling loop temporaries, memoizing. */
export const HOT_KINDS: readonly FixKind[] = ['hoist-constant', 'pool-object', 'memoize'];

/** How a lazy-load is written: a cached `require`, `createRequire` in native ESM, a built-in
 *  through `process.getBuiltinModule`, or the explicit async `await import()` variant. */
export type LazyVariant = 'require' | 'createRequire' | 'builtin' | 'async';

/** What a file compiles to and runs as. `unknown` blocks every fix that depends on it. */
export type ModuleKind = 'ts-cjs' | 'cjs' | 'esm' | 'ts-esm' | 'bundled' | 'unknown';

export interface TextEdit {
  file: string;
  /** Offsets into the file's text (UTF-16 code units, like the TypeScript AST). */
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  file: string;
  /** 1-based line of the import. */
  line: number;
  /** 1-based column of the import. */
  column: number;
  kind: FixKind;
  title: string;
  /** False: shown disabled, with `reason`. */
  safe: boolean;
  reason?: string;
  /** The one the editor marks preferred and the only ones `--apply` applies. */
  preferred: boolean;
  /** The module specifier as written; for hoist-constant, pool-object and memoize: the name of
   *  the constant, object or function the fix is about. */
  module: string;
  variant?: LazyVariant;
  /** Measured load time (ms) when known; `heavyMeasured` false means the number is an estimate. */
  heavyMs?: number;
  heavyMeasured?: boolean;
  /** One or two sentences for the user: what changes, and what moves (errors to first use). */
  explanation: string;
  moduleKind: ModuleKind;
  /** Set when the site is in a function the loaded profile measured as hot (what was measured). */
  hot?: string;
  /**
   * lazy-import with `AnalyzeOptions.executed`: a use of the module's names inside a function
   * that ran in the measured run (so deferring the import would not keep the module out of it).
   */
  ranUse?: string;
  /** True for a fix that changes nothing at runtime (e.g. `import type` under TypeScript's default
   *  elision: no emitted byte changes): tidiness, no speed claim. */
  hygiene?: boolean;
  /** replace-dependency: the fresh-process check of the package against its built-in, with both load times. */
  replacement?: {
    builtin: string; expression: string | null; form: 'identity' | 'call-bind' | 'bind-static' | null; version: string | null; nodeVersion: string;
    loadMs: { median: number; min: number; max: number; n: number } | null; replacementMs: { median: number; min: number; max: number; n: number } | null;
  };
  /** memoize: the calls counted in a measured run (`hotpath fixes --calls -- <command>`), when there was one. */
  calls?: CallEvidence;
  /**
   * lazy-import with `AnalyzeOptions.startup`: what the startup plan of a measured run says about
   * it: the module leaves startup, or the lazy-load defers only (the module is still loaded at
   * startup; then it is no speed fix and not preferred). Absent when the plan does not know.
   */
  startup?: 'leaves' | 'defers-only';
  startupNote?: string;
  /** Filled by `computeEdits`, kept out of cheap analysis. */
  edits?: TextEdit[];
}

/** One function's calls counted in a measured run, as the memoize fix's cache would have seen them. */
export interface CallEvidence {
  /** Calls counted, over every process and thread of the run. */
  calls: number;
  /** Calls with an object, function, -0 (or, with several parameters, symbol) argument: they call through the cache. */
  bypassed: number;
  /** Distinct primitive argument tuples (at least this many when `distinctCapped`). */
  distinct: number;
  distinctCapped: boolean;
  /** Calls a cache like the fix's (MEMO_MAX entries, cleared when full; one per process) would have answered. */
  hits: number;
  /** hits / calls (0 without calls). */
  hitRate: number;
  /** Processes and threads that called it. */
  processes: number;
  /** The measured run: stored id, command line, start time (ISO). */
  run: { id: string; command: string; createdAt: string };
}

/** What `hotpath fixes --calls` stores (`.hotpath/calls/<id>.json`): per candidate function, its counted calls. */
export interface CallCounts {
  version: 1;
  id: string;
  createdAt: string;
  command: string;
  cwd: string;
  wallMs: number;
  exitCode: number | null;
  functions: CountedFunction[];
}

export interface CountedFunction {
  /** Absolute path of the source file analysed. */
  file: string;
  name: string;
  /** sha1 of the declaration's text when counted: the counts apply while it is unchanged. */
  hash: string;
  /** False when the code that ran did not contain the function where Hotpath could find it (`reason`). */
  instrumented: boolean;
  reason?: string;
  calls: number;
  bypassed: number;
  distinct: number;
  distinctCapped: boolean;
  hits: number;
  processes: number;
}

export interface HeavyModule {
  /** Load time in ms (inclusive); absent for the known-heavy list. */
  ms?: number;
  measured: boolean;
}

/** Answers questions about the project around a file; one instance per scan (caches inside). */
export interface ProjectLookup {
  moduleKind(file: string): ModuleKind;
  compilerFlags(file: string): CompilerFlags;
  /** Can `require()` load this specifier from this file? 'dual': only through a `require`
   *  condition that points to a separate CommonJS build (a different instance than `import`). */
  canRequire(file: string, specifier: string): 'yes' | 'dual' | 'no';
  /** Declared `engines.node` allows `process.getBuiltinModule` (>= 20.16). */
  hasGetBuiltinModule(file: string): boolean;
  /** The file is a program's entry: a package.json `bin` entry, or the `main` of a package
   *  (`private` says whether it is an application rather than a library others load). */
  entryRole?(file: string): EntryRole | undefined;
  /** The nearest package.json's `engines.node` range. */
  enginesNode?(file: string): string | undefined;
}

export interface EntryRole { role: 'bin' | 'main'; packageDir: string; packageName: string; private: boolean; enginesNode?: string }

export interface CompilerFlags {
  esModuleInterop: boolean;
  verbatimModuleSyntax: boolean;
  isolatedModules: boolean;
  emitDecoratorMetadata: boolean;
  /** `jsx` set to a classic/pragma runtime: imports like React can be used by JSX implicitly. */
  jsxPragma: boolean;
  /** What keeps imports used only as types in the emitted JavaScript (so they load at runtime):
   *  e.g. "verbatimModuleSyntax in tsconfig.json"; undefined under TypeScript's default elision. */
  valueImportsKept?: string;
}

export interface AnalyzeOptions {
  kinds?: FixKind[];
  /** Package names (or absolute file paths) known to be heavy, with measured load ms. */
  heavy?: Map<string, HeavyModule>;
  /** Offer lazy-loading for every static import, not only heavy ones (tests, corpus). */
  lazyAll?: boolean;
  /** Use the built-in estimate list of heavy packages (default true). */
  knownHeavy?: boolean;
  /** Override the detected module kind (`hotpath` told the code is bundled). */
  moduleKind?: ModuleKind;
  project?: ProjectLookup;
  /** Functions of this file the profile measured as hot: the line of the function (1-based) and
   *  a label such as "12.3 ms ±1.1 self time, measured"; fixes inside them say so. */
  hotFunctions?: { line: number; label: string }[];
  /** List why every function cannot be memoized, not only the hot ones (tests, `fixes --explain`). */
  explainUnsafe?: boolean;
  /**
   * Which of this file's functions ran in a measured run (V8 coverage): the innermost function
   * around an offset that ran, or undefined. Lazy-load fixes then say when a use ran (`ranUse`).
   */
  executed?: (offset: number) => { name: string; line: number } | undefined;
  /** Counted calls of memoize candidates (`hotpath fixes --calls`): memoize is a speed fix only where they show repeats. */
  calls?: CallCounts;
  /** replace-dependency: packages checked in fresh processes (replacementCheck.ts), by name. */
  replacementChecks?: Map<string, import('./replacementCheck').ReplacementCheck>;
  /** false: `applySafeFixes` applies a named memoize fix without counted calls (tests of the transformation). Default true. */
  requireCallEvidence?: boolean;
  /**
   * The startup plan's word on a lazy-load of `request` in `file` (src/core/plan/labels.ts): a
   * lazy-load that leaves its module loaded at startup ("defers only") is not preferred, so no
   * Apply/--apply makes it as a speed fix, and says why.
   */
  startup?: (file: string, request: string) => { leaves: boolean; note: string } | undefined;
}
