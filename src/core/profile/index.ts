// Public face of the profile model. Callers: the CLI `profile` command, the extension's flame
// graph panel and editor annotations, the ranking engine.
export { loadRun, openProfileFile, type OpenOptions } from './open';
export { summarize } from './summary';
export { toFlameGraphs } from './flame';
export { hotspotsForFile } from './hotspots';
export { toSpeedscope, SPEEDSCOPE_SCHEMA } from './speedscope';
export { ProfileError } from './errors';
export { packageOf, classify } from './classify';
export type { ProfileModel, ProfileSummary, FileHotspots, ModelFrame, ModelTree, ModelProcess, CpuData, FunctionSummary, ModuleSummary, AllocationSummary } from './types';
