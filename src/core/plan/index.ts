// Startup plans: which modules can leave the startup path, the edits that take them out, and
// the predicted saving, from measured runs of the startup command (see plan.ts).
export { readRunFacts, PlanInputError, type RunFacts, type ProcessFacts } from './facts';
export { formatPlan, predictedAgainstMeasured, savingError, savingLine, spreadText, type MeasuredSaving } from './text';
export { computePlan, planFiles, planCommand, verifyPlan, spreadOf, type StartupPlan, type PlanEdit, type LeavingModule, type StayingModule, type DeferOnly, type UsedAtStartup, type Spread, type PlannedFile } from './plan';
export { startupLabelsOf, type StartupLabel, type StartupLabels } from './labels';
