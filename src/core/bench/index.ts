// Benchmarks: measure a command N times (wall and, on Linux, process-tree CPU time), or two
// variants interleaved (A/B, "before" optionally a git ref in a temporary worktree); store the
// results as `.hotpath/bench/<id>.json` tied to the git commit; compare two of them.
// Pure Node (no vscode). Entry points: benchmarkCommand, benchmarkRef, compareBench.
export { measureOnce, cpuSource, commandLine, shQuote, CancelledError, CPU_TICK_MS, type CommandSpec, type Sample, type CpuSource, type MeasureOptions } from './measure';
export { runBench, runAB, benchStats, type BenchSample, type BenchStats, type MetricStats, type BenchOptions, type BenchProgress, type BenchResult, type AbOptions, type AbResult, type AbOrder } from './run';
export { createRefWorktree, withRefWorktree, type RefWorktree } from './worktree';
export {
  saveBench, listBench, readBenchFile, resolveBench, compareBench, metricValues, newBenchId,
  type BenchRecord, type BenchListResult, type Metric,
} from './store';
export {
  benchmarkCommand, benchmarkRef, profilePair, treeMap, defaultBenchStore, targetNodeVersion, toBenchRecord, runBuild, buildBoth, BuildError,
  type BenchmarkOptions, type RefBenchmarkOptions, type RefBenchmarkResult, type BuildOptions, type BuildSide, type BuildEvent,
} from './workflow';
export { profileSides, rewriteProfilePaths, launcherNotes, DEFAULT_PROFILED_RUNS, PROFILED_INTERVAL_US, type ProfiledComparison, type ProfiledRun, type ProfiledSide, type ProfileSidesOptions, type PathMap } from './profiled';
export { proofStory, movedRows, type MovedRow, type ProofStory, type StoryReason, type TimedSummary } from './story';
