export { createRunDir, saveRun, listRuns, loadRunRecord, runResultOf, type RunRecord, type ListResult } from './store';
export { gitState } from './git';
export { removeRuns, keepNewestRuns, type RemoveResult } from './remove';
export { runOutcome, runEnding, shortCommit, formatWall, describeCapture, comparisonLabel, type RunOutcome } from './describe';
