// What the profiling commands resolve to: the contract automation and the VS Code tests rely on.
import type { LoadedProfile, TopFunction } from '../runs/profileSource';

export interface ProfileCommandResult {
  panelId: string;
  processes: number;
  topFunctions: TopFunction[];
}

export function toCommandResult(panelId: string, profile: LoadedProfile): ProfileCommandResult {
  return {
    panelId,
    processes: profile.processes,
    topFunctions: profile.topFunctions.map(({ name, file, line, selfMs, totalMs }) => ({ name, file, line, selfMs, totalMs })),
  };
}
