// The Apply All / Apply Safe Fixes and Apply Startup Plan commands: their own bundle
// (dist/ext-fixesCommands.js, see ../lazy.ts), loaded on first use; the code actions and hovers
// (fixesProvider.ts) are registered at activation.
export { applyAllInFile, applyAllInWorkspace, applySafeInFile, applySafeInWorkspace, offerMeasure } from './applyAll';
export { applyStartupPlan } from './startupPlan';
