// Public surface of the refactor engine (bundled to dist/engines/refactor.js, loaded lazily).
export type { AnalyzeOptions, CallCounts, CallEvidence, CountedFunction, Fix, FixKind, HeavyModule, LazyVariant, ModuleKind, ProjectLookup, TextEdit } from './types';
export { analyzeFile, computeEdits, isSourceFile, syntaxErrors } from './analyze';
export { applyEdits, applyFixes, applySafeFixes, applySafeFixesToFile, encodeSource, isApplicable, readSource, type ApplyResult, type SourceText } from './apply';
export { HOT_KINDS } from './types';
export { createProjectLookup } from './project';
export { KNOWN_HEAVY, readHeavyFromProfile } from './heavy';
export { listSourceFiles, type SourceList } from './scan';
// The startup plan (src/core/plan) ships in this engine bundle: it needs the same parser.
export { computePlan, planFiles, planCommand, readRunFacts, verifyPlan, formatPlan, startupLabelsOf, PlanInputError } from '../plan';
export type { StartupPlan, RunFacts, StartupLabels } from '../plan';
export { callCountsStore, countCalls, loadCallCounts, saveCallCounts, type CountCallsResult } from './callEvidence';
export { describeCalls, memoPays, MEMO_MIN_HIT_RATE, MEMO_MIN_HITS } from './memoize';
export { builtinReplacement, replacementsOf } from './replacements';
export { checkReplacement, type ReplacementCheck } from './replacementCheck';
