// Typed ids of everything package.json contributes. Code refers to these constants, never to
// string literals, and test/unit/extension/contributions.test.ts fails when the two drift.
// Adding a command: add it here, to package.json `contributes.commands`, then register it.

export const Commands = {
  profile: 'hotpath.profile',
  stopProfile: 'hotpath.stopProfile',
  openProfile: 'hotpath.openProfile',
  showLastProfile: 'hotpath.showLastProfile',
  /** Profile diff of two runs or profile files; args (before?, after?): run folder, profile file or Uri. */
  compareProfiles: 'hotpath.compareProfiles',
  toggleAnnotations: 'hotpath.toggleAnnotations',
  /** Internal: used by hover links to reveal a frame in the flame panel. */
  revealFrame: 'hotpath.revealFrame',
  applyLazyFixesInFile: 'hotpath.fixes.applyLazyInFile',
  applyLazyFixesInWorkspace: 'hotpath.fixes.applyLazyInWorkspace',
  /** Every safe kind (picked in a quick pick; memoize never preselected), behind a checkpoint. */
  applySafeFixesInFile: 'hotpath.fixes.applySafeInFile',
  applySafeFixesInWorkspace: 'hotpath.fixes.applySafeInWorkspace',
  /** The whole-program startup plan from runs profiled for it, behind a checkpoint, then before/after. */
  applyStartupPlan: 'hotpath.fixes.applyStartupPlan',
  /** Internal: runs after a lazy-load code action is applied (offers to measure). */
  lazyFixApplied: 'hotpath.fixes.lazyFixApplied',
  rankWorkspace: 'hotpath.rankWorkspace',
  showRankingTable: 'hotpath.showRankingTable',
  bench: 'hotpath.bench',
  compare: 'hotpath.compare',
  showBenchHistory: 'hotpath.showBenchHistory',
  createCheckpoint: 'hotpath.createCheckpoint',
  rollback: 'hotpath.rollback',
  /** The "Profile Runs" view (src/extension/runs/registerRuns.ts); item commands take a run. */
  refreshRuns: 'hotpath.runs.refresh',
  deleteAllRuns: 'hotpath.runs.deleteAll',
  openRun: 'hotpath.runs.open',
  profileRunAgain: 'hotpath.runs.profileAgain',
  compareRunWith: 'hotpath.runs.compareWith',
  deleteRun: 'hotpath.runs.delete',
  copyRunCommand: 'hotpath.runs.copyCommand',
  revealRunFolder: 'hotpath.runs.revealFolder',
  /** The live chart of a stored run (src/extension/live/livePanel.ts); arg: a run item or { dir, title? }. */
  showRunLive: 'hotpath.runs.showLive',
  /** Leak hunt (src/extension/leaks/findLeaks.ts); args { command, cwd?, durationSeconds?, snapshots? }. */
  findLeaks: 'hotpath.findLeaks',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Commands kept out of the command palette (they need arguments). */
export const InternalCommands: readonly CommandId[] = [
  Commands.lazyFixApplied, Commands.revealFrame,
  Commands.openRun, Commands.profileRunAgain, Commands.compareRunWith, Commands.deleteRun, Commands.copyRunCommand, Commands.revealRunFolder, Commands.showRunLive,
];

export const Views = {
  /** Webview panel type of the flame graph panel (also its serializer id). */
  flamePanel: 'hotpath.flame',
  /** Webview panel type of the profile diff panel (Compare Profiles…; also its serializer id). */
  diffPanel: 'hotpath.diff',
  /** Read-only custom editor for .cpuprofile / .heapprofile files. */
  profileEditor: 'hotpath.profileEditor',
  /** Side bar container and the ranked modules view (registered by the ranking feature). */
  container: 'hotpath',
  ranking: 'hotpath.ranking',
  /** Stored profile runs, newest first (src/extension/runs/runsTree.ts). */
  runs: 'hotpath.runs',
  /** Webview panel type of the sortable ranking table. */
  rankingTable: 'hotpath.rankingTable',
  /** Webview panel type of the benchmark history / before-after panel (also its serializer id). */
  provePanel: 'hotpath.prove',
  /** Webview panel type of the leak hunt panel (also its serializer id). */
  leaksPanel: 'hotpath.leaks',
  /** Webview panel type of the live panel (heap, CPU, event-loop delay while Profile… runs; also its serializer id). */
  livePanel: 'hotpath.live',
} as const;

export const Settings = {
  captureCpu: 'hotpath.capture.cpu',
  captureHeap: 'hotpath.capture.heap',
  captureImports: 'hotpath.capture.imports',
  captureEsmHooks: 'hotpath.capture.esmHooks',
  intervalUs: 'hotpath.sampling.intervalUs',
  heapIntervalKiB: 'hotpath.sampling.heapIntervalKiB',
  timeoutSeconds: 'hotpath.profile.timeoutSeconds',
  durationSeconds: 'hotpath.profile.durationSeconds',
  stopWhen: 'hotpath.profile.stopWhen',
  engine: 'hotpath.engine',
  annotationsEnabled: 'hotpath.annotations.enabled',
  diagnosticsEnabled: 'hotpath.diagnostics.enabled',
  diagnosticsTop: 'hotpath.diagnostics.top',
  exclude: 'hotpath.exclude',
  rankingIncludeAll: 'hotpath.ranking.includeAll',
  maxRuns: 'hotpath.history.maxRuns',
  benchRuns: 'hotpath.bench.runs',
  benchWarmup: 'hotpath.bench.warmup',
  benchTimeoutSeconds: 'hotpath.bench.timeoutSeconds',
  benchBuildCommand: 'hotpath.bench.buildCommand',
  benchBuildWorkingTree: 'hotpath.bench.buildWorkingTree',
  benchProfileDiff: 'hotpath.bench.profileDiff',
  benchProfileRuns: 'hotpath.bench.profileRuns',
  diffIncludeLaunchers: 'hotpath.diff.includeLaunchers',
} as const;
export type SettingId = (typeof Settings)[keyof typeof Settings];

/** Context keys used in `when` clauses. */
export const ContextKeys = {
  profiling: 'hotpath.profiling',
  annotationsOn: 'hotpath.annotationsOn',
  /** `hotpath.compareProfiles` is registered (the runs view shows "Compare with…"). */
  compareProfilesAvailable: 'hotpath.compareProfilesAvailable',
} as const;

/** Diagnostic collection name and code; code actions (issue 6) attach to this code. */
export const Diagnostics = {
  collection: 'hotpath',
  hotspotCode: 'hotpath.hotspot',
} as const;
