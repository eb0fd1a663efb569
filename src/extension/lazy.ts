// Feature code that activation does not need. Each `require` below is its own bundle,
// dist/ext-<file>.js (esbuild.js reads these calls, as it reads the CLI's command registry), loaded
// the first time its feature is used: activation parses only the registrations, the trees and the
// providers (bench/SELF.md: the one 481 KB bundle was most of activation's time).
// From sources (tests, tsx) the same calls load the TypeScript modules.
import type * as Compare from './features/compare';
import type * as Run from './features/run';
import type * as FixesCommands from './fixes/fixesCommands';
import type * as ProfileCore from './runs/profileCore';

export interface Lazy<T> {
  (): T;
  /** Whether the bundle was loaded (what it created needs disposing only then). */
  loaded(): boolean;
}

function lazy<T>(load: () => T): Lazy<T> {
  let mod: T | undefined;
  const get = (() => (mod ??= load())) as Lazy<T>;
  get.loaded = () => mod !== undefined;
  return get;
}

/** A feature inside a bundle that holds several (they share most of their code: one copy in the .vsix). */
function part<M, T>(bundle: Lazy<M>, pick: (m: M) => T): Lazy<T> {
  const get = (() => pick(bundle())) as Lazy<T>;
  get.loaded = bundle.loaded;
  return get;
}

/* eslint-disable @typescript-eslint/no-require-imports */
const compare = lazy((): typeof Compare => require('./features/compare'));
const run = lazy((): typeof Run => require('./features/run'));
export const features = {
  /** Compare Profiles… and its panel (dist/ext-compare.js). */
  compareProfiles: part(compare, (m) => m.compareProfiles),
  /** Benchmark…, Compare Before/After…, history, checkpoints and rollback; the prove panel (dist/ext-compare.js). */
  prove: part(compare, (m) => m.prove),
  /** Running a profile: the runner (dist/ext-run.js). */
  profileRun: part(run, (m) => m.profileRun),
  /** Find Memory Leaks… and its panel (dist/ext-run.js). */
  findLeaks: part(run, (m) => m.findLeaks),
  /** The Hotpath Live panel of Profile… and Show Live Metrics (dist/ext-run.js). */
  live: part(run, (m) => m.live),
  /** Apply All / Apply Safe Fixes, Apply Startup Plan (dist/ext-fixesCommands.js). */
  fixesCommands: lazy((): typeof FixesCommands => require('./fixes/fixesCommands')),
  /** The profile model in the extension host's thread: hotspots of a file, import lines, loading without the worker (dist/ext-profileCore.js). */
  profileCore: lazy((): typeof ProfileCore => require('./runs/profileCore')),
};
/* eslint-enable @typescript-eslint/no-require-imports */
