// What the profiling commands resolve to: the contract automation and the VS Code tests rely on.
import type { LoadedProfile, TopFunction } from '../runs/profileSource';

export interface ProfileCommandResult {
  panelId: string;
  processes: number;
  topFunctions: TopFunction[];
  /** The live panel of the run, if one opened (a first sample arrived): what its page drew after each update. */
  live?: { panelId: string; drawn: import('../live/livePanel').LiveDrawn[] };
}

export function toCommandResult(panelId: string, profile: LoadedProfile): ProfileCommandResult {
  return {
    panelId,
    processes: profile.processes,
    topFunctions: profile.topFunctions.map(({ name, file, line, selfMs, totalMs }) => ({ name, file, line, selfMs, totalMs })),
  };
}
