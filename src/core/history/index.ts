export { createRunDir, saveRun, listRuns, loadRunRecord, type RunRecord, type ListResult } from './store';
export { gitState } from './git';
