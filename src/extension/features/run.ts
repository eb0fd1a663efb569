// One bundle (dist/ext-run.js, see ../lazy.ts) for the features that run a target: Profile… and
// Find Memory Leaks… share the runner; the live panel reads what the runner's preloads write.
export * as profileRun from '../profile/profileRun';
export * as findLeaks from '../leaks/findLeaks';
export * as live from '../live/livePanel';
